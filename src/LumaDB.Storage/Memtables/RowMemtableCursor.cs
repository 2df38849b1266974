namespace LumaDB.Storage.Memtables;

/// <summary>
/// Walks a <see cref="RowMemtable"/> in key order at a snapshot, yielding each key's newest visible version.
/// Lock-free; entries written after the cursor started may or may not be seen (never in part).
/// </summary>
public ref struct RowMemtableCursor
{
    private readonly RowMemtable _memtable;
    private readonly ReadOnlySpan<byte> _from;
    private readonly ReadOnlySpan<byte> _to;
    private readonly bool _hasUpperBound;
    private readonly ulong _snapshotSeq;
    private readonly bool _includeTombstones;
    private int _current;
    private bool _started;

    internal RowMemtableCursor(
        RowMemtable memtable, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool hasUpperBound, ulong snapshotSeq, bool includeTombstones)
    {
        _memtable = memtable;
        _from = from;
        _to = to;
        _hasUpperBound = hasUpperBound;
        _snapshotSeq = snapshotSeq;
        _includeTombstones = includeTombstones;
    }

    /// <summary>Key of the current entry.</summary>
    public readonly ReadOnlySpan<byte> Key => _memtable.KeyOf(_current);

    /// <summary>Commit seq of the current entry.</summary>
    public readonly ulong Seq => _memtable.SeqOf(_current);

    /// <summary>True when the current entry is a tombstone (only with tombstones included).</summary>
    public readonly bool IsTombstone => _memtable.ValueLength(_current) < 0;

    /// <summary>Row bytes of the current entry (empty for a tombstone).</summary>
    public readonly ReadOnlySpan<byte> Value => _memtable.ValueOf(_current);

    /// <summary>Advances to the next key; false at the end of the range.</summary>
    public bool MoveNext()
    {
        int node;
        if (!_started)
        {
            _started = true;
            node = _memtable.FindGreaterOrEqual(_from, _snapshotSeq, default);
        }
        else
        {
            node = SkipVersionsOf(_current);
        }

        while (node != 0)
        {
            if (_hasUpperBound && _memtable.KeyOf(node).SequenceCompareTo(_to) >= 0)
            {
                break;
            }

            if (_memtable.SeqOf(node) > _snapshotSeq)
            {
                // Too new for the snapshot; an older version of the same key may follow.
                node = _memtable.Next(node, 0);
                continue;
            }

            if (!_includeTombstones && _memtable.ValueLength(node) < 0)
            {
                // A visible tombstone hides the key and every older version of it.
                node = SkipVersionsOf(node);
                continue;
            }

            _current = node;
            return true;
        }

        _current = 0;
        return false;
    }

    private readonly int SkipVersionsOf(int node)
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
