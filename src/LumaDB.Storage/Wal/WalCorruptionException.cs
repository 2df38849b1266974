namespace LumaDB.Storage.Wal;

/// <summary>
/// A record in the middle of the log (not its tail) failed validation. Records after it were acknowledged,
/// so the log cannot be cut there silently: the shard must not open until an operator decides.
/// </summary>
public sealed class WalCorruptionException : IOException
{
    /// <summary>Creates the exception with no location.</summary>
    public WalCorruptionException()
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception with a message and no location.</summary>
    public WalCorruptionException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public WalCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception for a located corruption.</summary>
    public WalCorruptionException(string filePath, long offset, string reason)
        : base($"WAL segment '{filePath}' is corrupt at offset {offset}: {reason}.")
    {
        FilePath = filePath;
        Offset = offset;
    }

    /// <summary>The segment file holding the bad record.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the bad record in <see cref="FilePath"/>.</summary>
    public long Offset { get; }
}
