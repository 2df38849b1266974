using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Telemetry;

/// <summary>Reading spans back: a whole trace, or a search.</summary>
public sealed partial class TelemetryStore
{
    /// <summary>Every stored span of the trace <paramref name="traceId"/> (32 lower-case hex digits), in no set order.</summary>
    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var scan = new SegmentScan
        {
            Predicates = [ColumnPredicate.Compare("trace_id", CompareOp.Equal, traceId)],
        };
        return await ScanSpansAsync(scan, int.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Spans matching <paramref name="search"/>, at most <paramref name="maxSpans"/>.</summary>
    public async Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanSearch search, int maxSpans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
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
        var scan = new SegmentScan { Predicates = predicates, Time = time };
        return await ScanSpansAsync(scan, maxSpans, cancellationToken).ConfigureAwait(false);
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
