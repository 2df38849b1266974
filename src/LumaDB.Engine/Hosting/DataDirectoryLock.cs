namespace LumaDB.Engine.Hosting;

/// <summary>
/// Owns a data directory for the life of the process: creates it, checks it is writable and holds an
/// exclusive lock file so a second server cannot open the same data.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private const string LockFileName = "LOCK";
    private readonly FileStream _lock;

    private DataDirectoryLock(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The full path of the data directory.</summary>
    public string Path { get; }

    /// <summary>Creates the directory if needed and takes its lock.</summary>
    /// <exception cref="DataDirectoryException">The directory cannot be created or written, or another process holds it.</exception>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        var path = System.IO.Path.GetFullPath(dataDir);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException($"data directory '{path}' cannot be created: {e.Message}", e);
        }

        var lockPath = System.IO.Path.Combine(path, LockFileName);
        FileStream stream;
        try
        {
            // FileShare.None is an advisory flock on Unix: a second luma on the same directory fails here.
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataDirectoryException($"data directory '{path}' is not writable: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DataDirectoryException($"data directory '{path}' is in use by another process (its {LockFileName} file is locked)", e);
        }

        try
        {
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new DataDirectoryException($"data directory '{path}' is not writable: {e.Message}", e);
        }

        return new DataDirectoryLock(path, stream);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();
}
