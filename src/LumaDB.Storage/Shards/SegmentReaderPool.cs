using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Open segment readers kept between point lookups, so a row-group cache miss decodes one row group instead of
/// first opening the file and parsing its whole Parquet footer again. A reader serves one read at a time: it is
/// rented, used and returned. Segments are immutable and their ids never reused, so a pooled reader never goes
/// stale; readers of segments that left the manifest are closed by <see cref="Sweep"/> (an open reader keeps a
/// removed file readable, so reads through it stay correct meanwhile).
/// </summary>
internal sealed class SegmentReaderPool(int perSegment, int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Stack<SegmentReader>> _idle = [];
    private int _count;
    private bool _closed;

    /// <summary>An idle reader of <paramref name="segment"/>, or null when none is pooled.</summary>
    public SegmentReader? TryRent(Guid segment)
    {
        lock (_gate)
        {
            if (_idle.TryGetValue(segment, out var readers) && readers.TryPop(out var reader))
            {
                _count--;
                return reader;
            }

            return null;
        }
    }

    /// <summary>Keeps <paramref name="reader"/> for the next lookup; false when the pool is full or closed (the caller disposes it).</summary>
    public bool Return(Guid segment, SegmentReader reader)
    {
        lock (_gate)
        {
            if (_closed || _count >= capacity)
            {
                return false;
            }

            if (!_idle.TryGetValue(segment, out var readers))
            {
                readers = new Stack<SegmentReader>(perSegment);
                _idle[segment] = readers;
            }

            if (readers.Count >= perSegment)
            {
                return false;
            }

            readers.Push(reader);
            _count++;
            return true;
        }
    }

    /// <summary>Takes out the idle readers of segments <paramref name="isLive"/> rejects; the caller disposes them.</summary>
    public List<SegmentReader> Sweep(Func<Guid, bool> isLive)
    {
        var dead = new List<SegmentReader>();
        lock (_gate)
        {
            foreach (var (segment, readers) in _idle.ToArray())
            {
                if (!isLive(segment))
                {
                    dead.AddRange(readers);
                    _count -= readers.Count;
                    _idle.Remove(segment);
                }
            }
        }

        return dead;
    }

    /// <summary>Closes the pool: every idle reader is handed back for disposal and later returns are refused.</summary>
    public List<SegmentReader> Close()
    {
        lock (_gate)
        {
            _closed = true;
            var all = _idle.Values.SelectMany(r => r).ToList();
            _idle.Clear();
            _count = 0;
            return all;
        }
    }
}
