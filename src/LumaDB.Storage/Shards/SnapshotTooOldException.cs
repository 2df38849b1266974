namespace LumaDB.Storage.Shards;

/// <summary>
/// A read asked for a snapshot older than the shard still keeps versions for: a flush keeps only the newest
/// version of each key, so reading it could return a wrong row. The caller retries with a newer snapshot.
/// </summary>
public sealed class SnapshotTooOldException : InvalidOperationException
{
    /// <summary>Creates the exception with no details.</summary>
    public SnapshotTooOldException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotTooOldException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SnapshotTooOldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a refused snapshot.</summary>
    public SnapshotTooOldException(ulong snapshotSeq, ulong oldestSnapshotSeq)
        : base($"Snapshot {snapshotSeq} is too old: flushes keep only versions visible at seq {oldestSnapshotSeq} or later.")
    {
        SnapshotSeq = snapshotSeq;
        OldestSnapshotSeq = oldestSnapshotSeq;
    }

    /// <summary>The snapshot asked for.</summary>
    public ulong SnapshotSeq { get; }

    /// <summary>The oldest snapshot the shard can read correctly.</summary>
    public ulong OldestSnapshotSeq { get; }
}
