namespace LumaDB.Storage.Wal;

/// <summary>
/// The few file operations the write-ahead log needs, behind an interface so tests can simulate a full disk,
/// a failing fsync or count syncs without touching the real file system.
/// </summary>
public interface IWalFileSystem
{
    /// <summary>Creates the directory when it does not exist.</summary>
    void CreateDirectory(string path);

    /// <summary>Full paths of the files in <paramref name="directory"/> whose names end with <paramref name="extension"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory, string extension);

    /// <summary>Opens a file for sequential reading.</summary>
    Stream OpenRead(string path);

    /// <summary>Opens (or creates) a file for appending at its current end.</summary>
    IWalAppendFile OpenAppend(string path);

    /// <summary>Cuts a file to <paramref name="length"/> bytes and makes the new length durable.</summary>
    void Truncate(string path, long length);

    /// <summary>Deletes a file.</summary>
    void Delete(string path);
}
