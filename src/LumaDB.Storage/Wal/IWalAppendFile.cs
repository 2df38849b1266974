namespace LumaDB.Storage.Wal;

/// <summary>A segment file open for appending.</summary>
public interface IWalAppendFile : IDisposable
{
    /// <summary>Current length of the file in bytes.</summary>
    long Length { get; }

    /// <summary>Appends bytes at the end of the file (handed to the operating system, not yet durable).</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Forces everything written so far to stable storage (fsync).</summary>
    void Sync();
}
