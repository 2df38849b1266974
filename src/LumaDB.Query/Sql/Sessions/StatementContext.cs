using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>What one statement execution runs in: its transaction, the session, limits and cancellation.</summary>
internal sealed class StatementContext(Transaction transaction, SessionSettings settings, ISystemTableProvider? systemTables, long workMemoryBytes, CancellationToken cancellation)
{
    public Transaction Transaction { get; } = transaction;

    public SessionSettings Settings { get; } = settings;

    /// <summary>The session's set_config, handed to the evaluator.</summary>
    public Func<string, string, string>? SetConfig { get; init; }

    /// <summary>The session's currval and lastval state, handed to the evaluator.</summary>
    public SessionSequences? Sequences { get; init; }

    public ISystemTableProvider? SystemTables { get; } = systemTables;

    public long WorkMemoryBytes { get; } = workMemoryBytes;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Most workers one parallel aggregate of the statement may use; 1 runs everything on the calling thread.</summary>
    public int ParallelWorkers { get; init; } = 1;

    /// <summary>Rows a parallel-capable aggregate reads alone before it starts further workers.</summary>
    public long ParallelMinRows { get; init; } = Execution.Operators.ParallelAggregation.DefaultMinRows;

    public List<string> Notices { get; } = [];

    /// <summary>
    /// A runtime for running plans with <paramref name="parameters"/>. Primary-key point lookups are read here;
    /// other scans stream while the plan runs, unless <paramref name="preload"/> asks for every scan's rows up
    /// front (statements that write the tables they read).
    /// </summary>
    public async ValueTask<QueryRuntime> StartAsync(IReadOnlyList<ScanNode> scans, IReadOnlyList<object?> parameters, bool preload = false)
    {
        var runtime = new QueryRuntime(new EvaluationContext(parameters: parameters) { Settings = Settings, SetConfig = SetConfig, Sequences = Sequences, Cancellation = Cancellation }, WorkMemoryBytes, Cancellation)
        {
            SystemContext = new SystemTableContext(Transaction.Catalog, Settings),
            Transaction = Transaction,
            ParallelWorkers = ParallelWorkers,
            ParallelMinRows = ParallelMinRows,
        };
        foreach (var scan in scans)
        {
            var request = scan.TimeBounds.Count == 0 ? scan.Scan
                : Pushdown.ExecutionTime(scan.Scan, scan.TimeBounds, scan.Table.Columns[scan.Table.TimeColumn].Name, e => Value(runtime, e));
            if (scan.KeyAccess is { } keys)
            {
                if (keys.Points is { } points)
                {
                    runtime.ScanData[scan] = [await LookUpAsync(runtime, scan, keys, points).ConfigureAwait(false)];
                    continue;
                }

                var range = keys.EncodeRange(
                    scan.Table.Layout,
                    [.. keys.Prefix.Select(p => Value(runtime, p))],
                    keys.Lower is { } lower ? (Value(runtime, lower.Value), lower.Inclusive) : null,
                    keys.Upper is { } upper ? (Value(runtime, upper.Value), upper.Inclusive) : null);
                if (range is null)
                {
                    runtime.ScanData[scan] = [];
                    continue;
                }

                request = new Storage.Segments.SegmentScan { Columns = request.Columns, Time = request.Time, Predicates = request.Predicates, Keys = range };
            }

            runtime.ScanRequests[scan] = request;
            if (!preload)
            {
                continue;
            }

            var batches = new List<ResultBatch>();
            await foreach (var batch in Transaction.ScanAsync(scan.Table, request, Cancellation).ConfigureAwait(false))
            {
                var result = StorageValues.ToResultBatch(batch, scan.Columns);
                runtime.Reserve(QueryRuntime.SizeOf(result));
                batches.Add(result);
            }

            runtime.ScanData[scan] = batches;
        }

        return runtime;
    }

    /// <summary>Reads the rows of a point-lookup scan, one <see cref="Transaction.GetAsync"/> per key, in key order.</summary>
    private async ValueTask<ResultBatch> LookUpAsync(QueryRuntime runtime, ScanNode scan, KeyAccess keys, IReadOnlyList<BoundExpression>[] points)
    {
        var types = ColumnTypes(scan);
        if (points.Length == 1 && points[0].Count == 1)
        {
            // One key (`WHERE pk = $1`, the common case): no key lists, sorting or row lists.
            if (keys.EncodePoint(scan.Table.Layout, Value(runtime, points[0][0])) is { } key
                && await Transaction.GetAsync(scan.Table, key, Cancellation).ConfigureAwait(false) is { } found)
            {
                return BatchOps.FromRows(scan.Columns, [StorageValues.Decode(scan.Table.Layout, types, found)]);
            }

            return BatchOps.FromRows(scan.Columns, []);
        }

        var values = new IReadOnlyList<object?>[points.Length];
        for (var c = 0; c < points.Length; c++)
        {
            var list = new object?[points[c].Count];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = Value(runtime, points[c][i]);
            }

            values[c] = list;
        }

        var rows = new List<object?[]>();
        foreach (var key in keys.EncodePoints(scan.Table.Layout, values))
        {
            if (await Transaction.GetAsync(scan.Table, key, Cancellation).ConfigureAwait(false) is { } row)
            {
                rows.Add(StorageValues.Decode(scan.Table.Layout, types, row));
            }
        }

        return BatchOps.FromRows(scan.Columns, rows);
    }

    /// <summary>The scan's column types, computed once per plan node.</summary>
    private static SqlType[] ColumnTypes(ScanNode scan) => ColumnTypeCache.GetValue(scan, static s => [.. s.Columns.Select(c => c.Type)]);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScanNode, SqlType[]> ColumnTypeCache = [];

    private static object? Value(QueryRuntime runtime, BoundExpression expression) =>
        BatchOps.Evaluate(runtime, expression, new ResultBatch([], 1)).GetValue(0);
}
