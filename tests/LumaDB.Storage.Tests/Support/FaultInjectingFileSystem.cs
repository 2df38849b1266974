using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Support;

/// <summary>
/// Wraps the real file system, counts writes and syncs, and fails on purpose: a full disk that accepts only
/// part of a write, or a failing fsync.
/// </summary>
public sealed class FaultInjectingFileSystem : IWalFileSystem
{
    private long _writes;
    private long _syncs;

    /// <summary>When set, the write that would take the total written bytes past this budget writes what fits, then throws.</summary>
    public long? DiskSpaceBytes { get; set; }

    public bool FailSync { get; set; }

    public long WrittenBytes { get; private set; }

    public long Writes => Interlocked.Read(ref _writes);

    public long Syncs => Interlocked.Read(ref _syncs);

    public void CreateDirectory(string path) => LocalWalFileSystem.Instance.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory, string extension) => LocalWalFileSystem.Instance.ListFiles(directory, extension);

    public Stream OpenRead(string path) => LocalWalFileSystem.Instance.OpenRead(path);

    public IWalAppendFile OpenAppend(string path) => new File(this, LocalWalFileSystem.Instance.OpenAppend(path));

    public void Truncate(string path, long length) => LocalWalFileSystem.Instance.Truncate(path, length);

    public void Delete(string path) => LocalWalFileSystem.Instance.Delete(path);

    private sealed class File(FaultInjectingFileSystem owner, IWalAppendFile inner) : IWalAppendFile
    {
        public long Length => inner.Length;

        public void Write(ReadOnlySpan<byte> data)
        {
            Interlocked.Increment(ref owner._writes);
            if (owner.DiskSpaceBytes is { } space && owner.WrittenBytes + data.Length > space)
            {
                var fits = (int)Math.Max(0, space - owner.WrittenBytes);
                inner.Write(data[..fits]);
                owner.WrittenBytes += fits;
                throw new IOException("No space left on device");
            }

            inner.Write(data);
            owner.WrittenBytes += data.Length;
        }

        public void Sync()
        {
            if (owner.FailSync)
            {
                throw new IOException("fsync failed");
            }

            Interlocked.Increment(ref owner._syncs);
            inner.Sync();
        }

        public void Dispose() => inner.Dispose();
    }
}
