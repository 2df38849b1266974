namespace LumaDB.Storage.Shards;

/// <summary>
/// A registered snapshot of a shard: while it is open, flush and compaction keep every version it can see, so
/// reads at <see cref="Seq"/> never fail as too old. One owner; dispose it when the reader is done.
/// </summary>
public sealed class ShardSnapshot : IDisposable
{
    private readonly Shard _shard;
    private bool _disposed;

    internal ShardSnapshot(Shard shard, ulong seq)
    {
        _shard = shard;
        Seq = seq;
    }

    /// <summary>The commit seq the snapshot reads at.</summary>
    public ulong Seq { get; private set; }

    /// <summary>Moves the snapshot to the shard's newest committed state (a new statement under READ COMMITTED).</summary>
    public ulong Refresh()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Seq = _shard.Advance(Seq);
        return Seq;
    }

    /// <summary>Unregisters the snapshot; versions only it could see become garbage for the next flush or compaction.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _shard.Release(Seq);
    }
}
