using System.Collections.Concurrent;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Decoded row groups of segments (every column, system columns included, plus their shard keys) for point
/// lookups, bounded by bytes, least recently used out first. Segments are immutable and their ids never reused,
/// so entries never go stale; those of removed segments are dropped eagerly to free their room.
/// </summary>
/// <remarks>
/// Hits take no lock (point lookups from many connections hit the same groups): recency is a use stamp, and
/// eviction, which only runs when an insert overflows the bound, looks for the oldest stamp.
/// </remarks>
internal sealed class RowGroupCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<(Guid Segment, int RowGroup), Entry> _entries = new();
    private long _bytes;
    private long _clock;

    public long CapacityBytes { get; } = capacityBytes;

    public CachedRowGroup? TryGet(Guid segment, int rowGroup)
    {
        if (_entries.TryGetValue((segment, rowGroup), out var entry))
        {
            // A racy stamp is fine: recency only needs to be roughly right.
            entry.LastUse = ++_clock;
            return entry.Group;
        }

        return null;
    }

    public void Add(Guid segment, int rowGroup, CachedRowGroup group)
    {
        if (group.Bytes > CapacityBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (!_entries.TryAdd((segment, rowGroup), new Entry(segment, rowGroup, group) { LastUse = ++_clock }))
            {
                return;
            }

            _bytes += group.Bytes;
            while (_bytes > CapacityBytes && Oldest() is { } oldest)
            {
                Evict(oldest);
            }
        }
    }

    public void RemoveSegment(Guid segment)
    {
        lock (_gate)
        {
            foreach (var (_, entry) in _entries)
            {
                if (entry.Segment == segment)
                {
                    Evict(entry);
                }
            }
        }
    }

    private Entry? Oldest()
    {
        Entry? oldest = null;
        foreach (var (_, entry) in _entries)
        {
            if (oldest is null || entry.LastUse < oldest.LastUse)
            {
                oldest = entry;
            }
        }

        return oldest;
    }

    private void Evict(Entry entry)
    {
        if (_entries.TryRemove((entry.Segment, entry.RowGroup), out _))
        {
            _bytes -= entry.Group.Bytes;
        }
    }

    private sealed class Entry(Guid segment, int rowGroup, CachedRowGroup group)
    {
        public Guid Segment { get; } = segment;

        public int RowGroup { get; } = rowGroup;

        public CachedRowGroup Group { get; } = group;

        public long LastUse { get; set; }
    }
}
