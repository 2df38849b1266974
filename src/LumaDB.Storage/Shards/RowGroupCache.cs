using Apache.Arrow;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Decoded row groups of segments (every column, system columns included) for point lookups, bounded by bytes,
/// least recently used out first. Segments are immutable and their ids never reused, so entries never go stale;
/// those of removed segments are dropped eagerly to free their room.
/// </summary>
internal sealed class RowGroupCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Segment, int RowGroup), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;

    public long CapacityBytes { get; } = capacityBytes;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public RecordBatch? TryGet(Guid segment, int rowGroup)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((segment, rowGroup), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Hits++;
                return node.Value.Batch;
            }

            Misses++;
            return null;
        }
    }

    public void Add(Guid segment, int rowGroup, RecordBatch batch)
    {
        var size = SizeOf(batch);
        if (size > CapacityBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.ContainsKey((segment, rowGroup)))
            {
                return;
            }

            _entries[(segment, rowGroup)] = _recency.AddFirst(new Entry(segment, rowGroup, batch, size));
            _bytes += size;
            while (_bytes > CapacityBytes && _recency.Last is { } last)
            {
                Evict(last);
            }
        }
    }

    public void RemoveSegment(Guid segment)
    {
        lock (_gate)
        {
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
        _entries.Remove((node.Value.Segment, node.Value.RowGroup));
        _bytes -= node.Value.Bytes;
    }

    private static long SizeOf(RecordBatch batch)
    {
        long bytes = 0;
        foreach (var array in batch.Arrays)
        {
            foreach (var buffer in array.Data.Buffers)
            {
                bytes += buffer.Length;
            }
        }

        return bytes;
    }

    private sealed record Entry(Guid Segment, int RowGroup, RecordBatch Batch, long Bytes);
}
