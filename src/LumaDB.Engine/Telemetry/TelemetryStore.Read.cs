using System.Buffers;
using Apache.Arrow;
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
    /// filters on), and only <paramref name="limit"/> traces are held while scanning.
    /// </summary>
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

        TimeRange? time = search.StartMicros is null && search.EndMicros is null
            ? null
            : new TimeRange(search.StartMicros ?? long.MinValue, search.EndMicros ?? long.MaxValue);
        var scan = new SegmentScan { Columns = ["trace_id", "start_time_unix_nano"], Predicates = predicates, Time = time };
        var table = (await EnsureTablesAsync(cancellationToken).ConfigureAwait(false)).Traces;
        var newest = new NewestTraces(limit);
        var transaction = _database.BeginTransaction();
        await using (transaction.ConfigureAwait(false))
        {
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

            transaction.Rollback();
        }

        return newest.NewestFirst();
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
