namespace LumaDB.Storage.Wal;

/// <summary>When the write-ahead log forces written records to stable storage before acknowledging them.</summary>
public enum WalFsyncMode
{
    /// <summary>Every group commit is fsynced before its appends complete: nothing acknowledged is lost.</summary>
    Always = 0,

    /// <summary>
    /// Appends complete once written to the operating system; an fsync runs at most every
    /// <see cref="WalOptions.FsyncInterval"/>, so a power loss may drop that much acknowledged data.
    /// </summary>
    Interval = 1,

    /// <summary>Appends complete once written to the operating system; fsync only on clean shutdown.</summary>
    Never = 2,
}
