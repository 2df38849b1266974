using System.Text;

namespace LumaDB.Engine.Telemetry;

/// <summary>
/// The traces with the newest span starts seen so far, at most a fixed number, while a search streams matching
/// spans: a trace ranks by the newest start among its spans seen while it was kept; one pushed out and seen again
/// comes back with the start it is seen with. Memory stays proportional to the limit, whatever the scan's size.
/// </summary>
internal sealed class NewestTraces
{
    private readonly int _limit;
    private readonly Dictionary<string, long> _starts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    // Once the limit is reached, the oldest kept start: a span older than it can neither enter nor move a kept
    // trace, so it is turned away before its id is decoded (most spans of a large scan are).
    private long _floor = long.MinValue;

    // Oldest kept start first; an entry whose start no longer matches _starts is stale and skipped.
    private readonly PriorityQueue<string, (long Start, string TraceId)> _oldest = new(Comparer<(long Start, string TraceId)>.Create(
        (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(b.TraceId, a.TraceId)));

    public NewestTraces(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
        _lookup = _starts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Offers one span: its trace id (UTF-8) and start time.</summary>
    public void Add(ReadOnlySpan<byte> traceIdUtf8, long startNanos)
    {
        if (startNanos < _floor)
        {
            return;
        }

        Span<char> chars = stackalloc char[Math.Min(traceIdUtf8.Length, 256)];
        ReadOnlySpan<char> traceId = traceIdUtf8.Length <= 256 && Encoding.UTF8.TryGetChars(traceIdUtf8, chars, out var written)
            ? chars[..written]
            : Encoding.UTF8.GetString(traceIdUtf8);
        if (_lookup.TryGetValue(traceId, out var key, out var kept))
        {
            if (startNanos > kept)
            {
                _starts[key] = startNanos;
                Push(key, startNanos);
                RaiseFloor();
            }

            return;
        }

        if (_starts.Count == _limit)
        {
            var (oldestId, oldestStart) = Oldest();
            if (startNanos < oldestStart || (startNanos == oldestStart && traceId.CompareTo(oldestId, StringComparison.Ordinal) > 0))
            {
                return;
            }

            _starts.Remove(oldestId);
            _oldest.Dequeue();
        }

        var id = traceId.ToString();
        _starts[id] = startNanos;
        Push(id, startNanos);
        RaiseFloor();
    }

    /// <summary>Once the limit is held, moves the floor up to the oldest kept start.</summary>
    private void RaiseFloor()
    {
        if (_starts.Count == _limit)
        {
            _floor = Oldest().Start;
        }
    }

    /// <summary>
    /// The newest <paramref name="limit"/> of the traces kept by searches over disjoint parts of the trace ids,
    /// newest first (ties by id): each part holds its own newest, so the newest overall are among them.
    /// </summary>
    public static IReadOnlyList<string> NewestFirst(IEnumerable<NewestTraces> parts, int limit) =>
        [.. parts.SelectMany(p => p._starts).OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(limit).Select(e => e.Key)];

    private (string TraceId, long Start) Oldest()
    {
        while (true)
        {
            _oldest.TryPeek(out var id, out var priority);
            if (_starts.TryGetValue(id!, out var start) && start == priority.Start)
            {
                return (id!, start);
            }

            _oldest.Dequeue();
        }
    }

    private void Push(string traceId, long start)
    {
        _oldest.Enqueue(traceId, (start, traceId));
        if (_oldest.Count > (4 * _limit) + 64)
        {
            // Drop stale entries so the queue stays proportional to the limit.
            _oldest.Clear();
            foreach (var (id, kept) in _starts)
            {
                _oldest.Enqueue(id, (kept, id));
            }
        }
    }
}
