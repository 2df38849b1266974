namespace LumaDB.Storage.Segments;

/// <summary>
/// Column chunks of segment row groups as decoded vectors, so repeated scans skip decompressing and decoding
/// Parquet. Bounded by bytes, least recently used out first. Segments are immutable and their ids never reused,
/// so an entry never goes stale: snapshot visibility is still decided per scan from the cached seq and
/// tombstone columns. Entries of removed segments are dropped eagerly to free their room. Cached vectors are
/// read-only and never go back to a buffer pool (a scan may still hold one after it is evicted).
/// </summary>
internal sealed class DecodedColumnCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Segment, int RowGroup, int Column), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly HashSet<(Guid Segment, int RowGroup)> _distinctKeys = [];
    private long _bytes;

    /// <summary>The byte bound.</summary>
    public long CapacityBytes { get; } = capacityBytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Look-ups that found their column.</summary>
    public long Hits { get; private set; }

    /// <summary>Look-ups that had to decode.</summary>
    public long Misses { get; private set; }

    public ColumnVector? TryGet(Guid segment, int rowGroup, int column)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((segment, rowGroup, column), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Hits++;
                return node.Value.Vector;
            }

            Misses++;
            return null;
        }
    }

    /// <summary>Keeps <paramref name="vector"/>, which the caller must not change or dispose afterwards.</summary>
    public void Add(Guid segment, int rowGroup, int column, ColumnVector vector)
    {
        var size = vector.EstimatedBytes;
        if (size > CapacityBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.ContainsKey((segment, rowGroup, column)))
            {
                return;
            }

            _entries[(segment, rowGroup, column)] = _recency.AddFirst(new Entry(segment, rowGroup, column, vector, size));
            _bytes += size;
            vector.Grown = extra => Grow((segment, rowGroup, column), vector, extra);
            EvictOverCapacity();
        }
    }

    // A cached vector built derived data (a text dictionary): its entry grows, and older entries make room.
    private void Grow((Guid Segment, int RowGroup, int Column) key, ColumnVector vector, long extra)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && ReferenceEquals(node.Value.Vector, vector))
            {
                node.Value = node.Value with { Bytes = node.Value.Bytes + extra };
                _bytes += extra;
                EvictOverCapacity();
            }
        }
    }

    private void EvictOverCapacity()
    {
        while (_bytes > CapacityBytes && _recency.Last is { } last)
        {
            Evict(last);
        }
    }

    /// <summary>
    /// Whether row group <paramref name="rowGroup"/> of <paramref name="segment"/> is known to hold one version
    /// per key (no older versions kept for snapshots), so a snapshot that sees every version in it and no
    /// tombstone needs no per-row version check.
    /// </summary>
    public bool KeysDistinct(Guid segment, int rowGroup)
    {
        lock (_gate)
        {
            return _distinctKeys.Contains((segment, rowGroup));
        }
    }

    /// <summary>Records that a row group holds one version per key (segments are immutable, so it stays true).</summary>
    public void MarkKeysDistinct(Guid segment, int rowGroup)
    {
        lock (_gate)
        {
            _distinctKeys.Add((segment, rowGroup));
        }
    }

    /// <summary>Drops every entry of a segment that compaction or retention removed.</summary>
    public void RemoveSegment(Guid segment)
    {
        lock (_gate)
        {
            _distinctKeys.RemoveWhere(e => e.Segment == segment);
            for (var node = _recency.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Segment == segment)
                {
                    Evict(node);
                }

                node = next;
            }
        }
    }

    private void Evict(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove((node.Value.Segment, node.Value.RowGroup, node.Value.Column));
        _bytes -= node.Value.Bytes;
    }

    private sealed record Entry(Guid Segment, int RowGroup, int Column, ColumnVector Vector, long Bytes);
}
