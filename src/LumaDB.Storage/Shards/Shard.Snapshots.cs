namespace LumaDB.Storage.Shards;

/// <content>
/// Active snapshots: a reader that registers its snapshot seq here keeps every version it can see through
/// flushes and compactions, which keep per key every version above the oldest registered snapshot plus the
/// newest one at or below it.
/// </content>
public sealed partial class Shard
{
    // Guarded by _applyLock, so a snapshot is taken and registered at one visible seq while flushes and
    // compactions read the horizon under the same lock.
    private readonly SortedDictionary<ulong, int> _snapshots = [];

    /// <summary>
    /// The oldest seq versions must be kept for: the oldest registered snapshot, or the visible seq when none is
    /// registered. Versions a snapshot at or above it can see survive flush and compaction.
    /// </summary>
    public ulong RetentionHorizon
    {
        get
        {
            lock (_applyLock)
            {
                return HorizonLocked();
            }
        }
    }

    /// <summary>How many snapshots are registered (for diagnostics and tests).</summary>
    public int ActiveSnapshotCount
    {
        get
        {
            lock (_applyLock)
            {
                return _snapshots.Values.Sum();
            }
        }
    }

    /// <summary>Takes a snapshot at <see cref="LastCommittedSeq"/> and registers it until the returned lease is disposed.</summary>
    public ShardSnapshot AcquireSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_applyLock)
        {
            var seq = _visibleSeq;
            RegisterLocked(seq);
            return new ShardSnapshot(this, seq);
        }
    }

    /// <summary>Moves a registered snapshot to the current visible seq; returns the new seq.</summary>
    internal ulong Advance(ulong previous)
    {
        lock (_applyLock)
        {
            var seq = _visibleSeq;
            if (seq != previous)
            {
                RegisterLocked(seq);
                ReleaseLocked(previous);
            }

            return seq;
        }
    }

    /// <summary>Unregisters a snapshot seq.</summary>
    internal void Release(ulong seq)
    {
        lock (_applyLock)
        {
            ReleaseLocked(seq);
        }
    }

    private ulong HorizonLocked()
    {
        foreach (var (seq, _) in _snapshots)
        {
            return Math.Min(seq, _visibleSeq);
        }

        return _visibleSeq;
    }

    private void RegisterLocked(ulong seq) => _snapshots[seq] = _snapshots.GetValueOrDefault(seq) + 1;

    private void ReleaseLocked(ulong seq)
    {
        if (_snapshots.TryGetValue(seq, out var count))
        {
            if (count <= 1)
            {
                _snapshots.Remove(seq);
            }
            else
            {
                _snapshots[seq] = count - 1;
            }
        }
    }
}
