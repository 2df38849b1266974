using System.Buffers;
using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Telemetry;

/// <summary>Reading spans back: a whole trace, or a search.</summary>
public sealed partial class TelemetryStore
{
    /// <summary>Every stored span of the trace <paramref name="traceId"/> (32 lower-case hex digits), in no set order.</summary>
    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(traceId);

        // The trace id leads the primary key, so a trace is one key range: the memtable seeks to it and each
        // segment decodes only the row group that may hold it, where a filter on the column read everything.
        var prefix = new ArrayBufferWriter<byte>(2 + (2 * traceId.Length));
        KeyEncoding.WriteText(prefix, traceId);
        var scan = new SegmentScan { Keys = KeyRange.StartingWith(prefix.WrittenSpan.ToArray()) };
        return await ScanSpansAsync(scan, int.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ids of the <paramref name="limit"/> traces with the newest spans matching <paramref name="search"/>,
    /// newest first. Only the trace id and start time of each matching span are read (and the columns the search
    /// filters on), and only <paramref name="limit"/> traces per part of the key space are held while scanning
    /// (see <see cref="SearchParts"/>).
    /// </summary>
    /// <remarks>
    /// When the table keys spans by start time too, scans skip what lies outside their time range, so the search
    /// reads back from its end in windows four times longer each time (see <see cref="SearchWindows"/>) and stops
    /// at the first that holds <paramref name="limit"/> traces: a trace ranks by its newest matching span, which
    /// lies in every window that reaches back to any of its spans, and every trace without a span in the window
    /// ranks below every trace with one. A search for the newest traces then reads the last seconds or minutes,
    /// not the whole table.
    /// </remarks>
    public async Task<IReadOnlyList<string>> FindTraceIdsAsync(SpanSearch search, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var predicates = new List<ColumnPredicate>();
        if (search.ServiceName is { } service)
        {
            predicates.Add(ColumnPredicate.Compare("service_name", CompareOp.Equal, service));
        }

        if (search.SpanName is { } name)
        {
            predicates.Add(ColumnPredicate.Compare("name", CompareOp.Equal, name));
        }

        if (search.MinDurationNanos is { } minDuration)
        {
            predicates.Add(ColumnPredicate.Compare("duration_ns", CompareOp.GreaterOrEqual, minDuration));
        }

        var table = (await EnsureTablesAsync(cancellationToken).ConfigureAwait(false)).Traces;
        var windows = table.Layout.TimeInKey
            ? SearchWindows(search.StartMicros, search.EndMicros, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000)
            : [WholeRange(search.StartMicros, search.EndMicros)];
        IReadOnlyList<string> found = [];
        var transaction = _database.BeginTransaction();
        await using (transaction.ConfigureAwait(false))
        {
            foreach (var time in windows)
            {
                found = await FindTraceIdsAsync(transaction, table, predicates, time, limit, cancellationToken).ConfigureAwait(false);
                if (found.Count == limit)
                {
                    break;
                }
            }

            transaction.Rollback();
        }

        return found;
    }

    /// <summary>
    /// The time ranges a search over [<paramref name="start"/>, <paramref name="end"/>) reads, in turn: from its end
    /// (or, with none, from <paramref name="nowMicros"/> on) back five seconds, then 20, 80 and so on, the last
    /// reaching its start (or, with none, everything once a window would pass a week). Each holds the one before
    /// it; null is no range at all. Five seconds of a busy server's spans are already a million.
    /// </summary>
    internal static List<TimeRange?> SearchWindows(long? start, long? end, long nowMicros)
    {
        const long First = 5_000_000L;
        const long Week = 7 * 24 * 3_600_000_000L;
        var windows = new List<TimeRange?>();
        var upper = end ?? long.MaxValue;
        var anchor = end ?? nowMicros;
        for (var length = First; length <= Week; length *= 4)
        {
            var lower = anchor - length;
            if (start is { } first && lower <= first)
            {
                break;
            }

            windows.Add(new TimeRange(lower, upper));
        }

        windows.Add(WholeRange(start, end));
        return windows;
    }

    /// <summary>The range [<paramref name="start"/>, <paramref name="end"/>), open where null; null with neither bound.</summary>
    private static TimeRange? WholeRange(long? start, long? end) =>
        start is null && end is null ? null : new TimeRange(start ?? long.MinValue, end ?? long.MaxValue);

    /// <summary>The newest traces of one time range, the key space scanned in parts at once.</summary>
    private async Task<IReadOnlyList<string>> FindTraceIdsAsync(
        Transaction transaction, TableDefinition table, List<ColumnPredicate> predicates, TimeRange? time, int limit, CancellationToken cancellationToken)
    {
        // The trace id leads the key, so each trace lies in exactly one part of the key space: the parts are
        // merged on their own cores, each keeps its own newest traces, and the newest of those are the answer.
        var parts = await Task.WhenAll(TraceIdRanges(SearchParts).Select(keys =>
        {
            var scan = new SegmentScan { Keys = keys, Columns = ["trace_id", "start_time_unix_nano"], Predicates = predicates, Time = time };
            return Task.Run(() => NewestInRangeAsync(transaction, table, scan, limit, cancellationToken), cancellationToken);
        })).ConfigureAwait(false);
        return NewestTraces.NewestFirst(parts, limit);
    }

    /// <summary>The <paramref name="limit"/> traces with the newest spans that <paramref name="scan"/> (one key range) returns.</summary>
    private static async Task<NewestTraces> NewestInRangeAsync(
        Transaction transaction, TableDefinition table, SegmentScan scan, int limit, CancellationToken cancellationToken)
    {
        var newest = new NewestTraces(limit);
        await foreach (var batch in transaction.ScanAsync(table, scan, cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                var ids = (StringArray)batch.Column(0);
                var starts = (Int64Array)batch.Column(1);
                for (var i = 0; i < batch.Length; i++)
                {
                    newest.Add(ids.GetBytes(i), starts.GetValue(i) ?? 0);
                }
            }
        }

        return newest;
    }

    /// <summary>
    /// How many key ranges a trace search scans at once: one per core (at most 16, one per leading hex digit) by
    /// default.
    /// </summary>
    internal int SearchParts { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>
    /// <paramref name="parts"/> contiguous ranges of trace-id keys that together cover every key, split at leading
    /// hex digits (ids are hex, but any text falls in exactly one range).
    /// </summary>
    internal static KeyRange[] TraceIdRanges(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        parts = Math.Min(parts, 16);
        var bounds = new byte[]?[parts + 1];
        for (var i = 1; i < parts; i++)
        {
            // The key of the one-digit id sorts before every longer id that starts with that digit (its terminator
            // is the smallest byte) and after every id that starts with a smaller one.
            var key = new ArrayBufferWriter<byte>(4);
            KeyEncoding.WriteText(key, "0123456789abcdef".AsSpan(i * 16 / parts, 1));
            bounds[i] = key.WrittenSpan.ToArray();
        }

        return [.. Enumerable.Range(0, parts).Select(i => new KeyRange(bounds[i], bounds[i + 1]))];
    }

    private async Task<List<SpanRecord>> ScanSpansAsync(SegmentScan scan, int maxSpans, CancellationToken cancellationToken)
    {
        var table = (await EnsureTablesAsync(cancellationToken).ConfigureAwait(false)).Traces;
        var spans = new List<SpanRecord>();
        var transaction = _database.BeginTransaction();
        await using (transaction.ConfigureAwait(false))
        {
            await foreach (var batch in transaction.ScanAsync(table, scan, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    TelemetryRows.ReadSpans(batch, spans);
                }

                if (spans.Count >= maxSpans)
                {
                    break;
                }
            }

            transaction.Rollback();
        }

        return spans;
    }
}
