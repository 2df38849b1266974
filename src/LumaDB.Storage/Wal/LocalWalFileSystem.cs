using LumaDB.Storage.IO;

namespace LumaDB.Storage.Wal;

/// <summary>The write-ahead log's view of the local file system.</summary>
public sealed class LocalWalFileSystem : IWalFileSystem
{
    /// <summary>The shared instance; the type holds no state.</summary>
    public static LocalWalFileSystem Instance { get; } = new();

    private LocalWalFileSystem()
    {
    }

    /// <inheritdoc />
    public void CreateDirectory(string path) => System.IO.Directory.CreateDirectory(path);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory, string extension) =>
        System.IO.Directory.GetFiles(directory, "*" + extension);

    /// <inheritdoc />
    public Stream OpenRead(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

    /// <inheritdoc />
    public IWalAppendFile OpenAppend(string path)
    {
        var created = !File.Exists(path);
        var file = new LocalWalAppendFile(path);
        if (created)
        {
            try
            {
                // The new name must be durable before any record in the file is acknowledged.
                DurableFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        return file;
    }

    /// <inheritdoc />
    public void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Delete(string path) => File.Delete(path);

    /// <summary>An append handle over a <see cref="FileStream"/> without its own buffer.</summary>
    private sealed class LocalWalAppendFile : IWalAppendFile
    {
        private readonly FileStream _stream;

        public LocalWalAppendFile(string path)
        {
            // Buffer size 1 turns off FileStream's buffering: the WAL already batches into one write per commit.
            _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, 1);
            _stream.Seek(0, SeekOrigin.End);
        }

        public long Length => _stream.Length;

        public void Write(ReadOnlySpan<byte> data) => _stream.Write(data);

        public void Sync() => _stream.Flush(flushToDisk: true);

        public void Dispose() => _stream.Dispose();
    }
}
