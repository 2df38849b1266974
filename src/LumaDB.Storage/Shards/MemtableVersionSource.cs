using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Shards;

/// <summary>The newest version at or below a snapshot of each key of a memtable in a key range, tombstones included.</summary>
internal sealed class MemtableVersionSource : VersionSource
{
    private readonly RowMemtable _memtable;
    private readonly byte[]? _lower;
    private readonly byte[]? _upper;
    private readonly ulong _snapshot;
    private int _current;
    private bool _started;

    public MemtableVersionSource(RowMemtable memtable, byte[]? lower, byte[]? upper, ulong snapshot)
    {
        _memtable = memtable;
        _lower = lower;
        _upper = upper;
        _snapshot = snapshot;
    }

    public override ReadOnlySpan<byte> Key => _memtable.KeyOf(_current);

    public override ulong Seq => _memtable.SeqOf(_current);

    public override bool IsTombstone => _memtable.ValueLength(_current) < 0;

    public override ReadOnlySpan<byte> Row => _memtable.ValueOf(_current);

    public override ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken) => ValueTask.FromResult(MoveNext());

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool MoveNext()
    {
        var node = _started ? SkipVersionsOf(_current) : _memtable.FindGreaterOrEqual(_lower, _snapshot, default);
        _started = true;
        while (node != 0)
        {
            if (_upper is not null && _memtable.KeyOf(node).SequenceCompareTo(_upper) >= 0)
            {
                break;
            }

            if (_memtable.SeqOf(node) > _snapshot)
            {
                // Too new for the snapshot; an older version of the same key may follow.
                node = _memtable.Next(node, 0);
                continue;
            }

            _current = node;
            return true;
        }

        _current = 0;
        return false;
    }

    private int SkipVersionsOf(int node)
    {
        var key = _memtable.KeyOf(node);
        var next = _memtable.Next(node, 0);
        while (next != 0 && _memtable.KeyOf(next).SequenceEqual(key))
        {
            next = _memtable.Next(next, 0);
        }

        return next;
    }
}
