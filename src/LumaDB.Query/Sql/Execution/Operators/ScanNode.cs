using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Reads a table through the transaction. What the planner could push down (columns, time range, key range,
/// simple column comparisons) travels to storage in <see cref="Scan"/>; the full predicate is also applied
/// here, so storage may treat the pushed parts as hints.
/// </summary>
internal sealed class ScanNode : PlanNode
{
    public ScanNode(TableDefinition table, string alias, IReadOnlyList<PlanColumn> columns)
        : base(columns)
    {
        Table = table;
        Alias = alias;
    }

    public TableDefinition Table { get; }

    public string Alias { get; }

    /// <summary>What storage is asked for.</summary>
    public SegmentScan Scan { get; set; } = SegmentScan.All;

    /// <summary>
    /// Ordinals of the columns the query reads (ascending); the others are not decoded and come out as
    /// <see cref="ColumnVector.Absent"/>. Null reads every column.
    /// </summary>
    public int[]? ReadOrdinals
    {
        get => _readOrdinals;
        set
        {
            _readOrdinals = value;
            ReadNames = value?.Select(o => Table.Columns[o].Name).ToArray();
        }
    }

    /// <summary>Storage names of <see cref="ReadOrdinals"/>.</summary>
    public IReadOnlyList<string>? ReadNames { get; private set; }

    private int[]? _readOrdinals;

    /// <summary>Rows are kept only where this is true.</summary>
    public BoundExpression? Filter { get; set; }

    public string? FilterText { get; set; }

    /// <summary>Bounds on the time column by values known only when the statement runs; they narrow <see cref="Scan"/>'s time range then.</summary>
    public IReadOnlyList<TimeBound> TimeBounds { get; set; } = [];

    /// <summary>Primary-key access (point lookups or a key range) derived from the filter; null for a full scan.</summary>
    public KeyAccess? KeyAccess { get; set; }

    public override string Label => (KeyAccess is not null ? $"Index Scan using {Table.Name}_pkey on " : "Seq Scan on ") + Table.Name + (Alias != Table.Name ? " " + Alias : string.Empty);

    public override IEnumerable<string> Details
    {
        get
        {
            if (KeyAccess is { } keys)
            {
                yield return $"Index Cond: {keys.Condition}";
            }

            if (Scan.Time is { } time)
            {
                yield return $"Time Range: [{time.FromMicros}, {time.ToMicros})";
            }

            if (TimeBounds.Count > 0)
            {
                yield return $"Time Bounds (at execution): {string.Join(" AND ", TimeBounds.Select(b => b.Text))}";
            }

            if (Scan.Predicates.Count > 0)
            {
                yield return $"Storage Filter: {string.Join(" AND ", Scan.Predicates.Select(p => p.ToString()))}";
            }

            if ((ReadNames ?? Scan.Columns) is { } columns)
            {
                yield return $"Columns: {string.Join(", ", columns)}";
            }

            if (FilterText is not null)
            {
                yield return $"Filter: {FilterText}";
            }
        }
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        if (runtime.ScanFeeds is { } feeds && feeds.TryGetValue(this, out var feed))
        {
            // A worker of a parallel plan: the batches it takes from the shared scan.
            foreach (var batch in feed)
            {
                yield return Filtered(runtime, batch);
            }

            yield break;
        }

        if (!runtime.ScanData.TryGetValue(this, out var batches))
        {
            var scan = runtime.ScanRequests.TryGetValue(this, out var request) ? request : Scan;
            var runs = runtime.ScanRuns.GetValueOrDefault(this);
            runtime.ScanRuns[this] = runs + 1;
            if (runs == 0 || runtime.UncachedScans.Contains(this))
            {
                // The first run streams: batches are read, converted and filtered as the consumer pulls them, so
                // memory stays at a batch or so and a LIMIT above stops the read early.
                foreach (var batch in runtime.ReadTable(this, scan, runtime.ScanBounds.GetValueOrDefault(this)))
                {
                    yield return Filtered(runtime, batch);
                }

                yield break;
            }

            // Run again in the same execution (inner side of a nested loop, correlated or lateral subquery): keep
            // the rows so later runs do not read storage again, unless they would take more than a quarter of the
            // statement's memory; then give that back and let every run read storage, so a large table behind a
            // correlated subquery costs time rather than failing the statement.
            batches = [];
            var kept = 0L;
            var keepLimit = runtime.MemoryLimitBytes > 0 ? runtime.MemoryLimitBytes / 4 : long.MaxValue;
            var streaming = false;
            foreach (var batch in runtime.ReadTable(this, scan))
            {
                if (!streaming)
                {
                    var bytes = QueryRuntime.SizeOf(batch);
                    if (kept + bytes <= keepLimit)
                    {
                        runtime.Reserve(bytes);
                        kept += bytes;
                        batches.Add(batch);
                        continue;
                    }

                    runtime.Reserve(-kept);
                    runtime.UncachedScans.Add(this);
                    streaming = true;
                    foreach (var held in batches)
                    {
                        yield return Filtered(runtime, held);
                    }

                    batches.Clear();
                }

                yield return Filtered(runtime, batch);
            }

            if (streaming)
            {
                yield break;
            }

            runtime.ScanData[this] = batches;
        }

        foreach (var batch in batches)
        {
            yield return Filtered(runtime, batch);
        }
    }

    /// <summary>The rows of <paramref name="batch"/> that pass the scan's residual filter.</summary>
    private ResultBatch Filtered(QueryRuntime runtime, ResultBatch batch) =>
        Filter is null ? batch : BatchOps.Filter(batch, BatchOps.Evaluate(runtime, Filter, batch));
}
