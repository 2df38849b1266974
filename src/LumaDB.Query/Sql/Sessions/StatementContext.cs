using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>What one statement execution runs in: its transaction, the session, limits and cancellation.</summary>
internal sealed class StatementContext(Transaction transaction, SessionSettings settings, ISystemTableProvider? systemTables, long workMemoryBytes, CancellationToken cancellation)
{
    public Transaction Transaction { get; } = transaction;

    public SessionSettings Settings { get; } = settings;

    public ISystemTableProvider? SystemTables { get; } = systemTables;

    public long WorkMemoryBytes { get; } = workMemoryBytes;

    public CancellationToken Cancellation { get; } = cancellation;

    public List<string> Notices { get; } = [];

    /// <summary>A runtime for running plans with <paramref name="parameters"/>, with the given scans' rows loaded.</summary>
    public async ValueTask<QueryRuntime> StartAsync(IReadOnlyList<ScanNode> scans, IReadOnlyList<object?> parameters)
    {
        var runtime = new QueryRuntime(new EvaluationContext(parameters: parameters) { Settings = Settings, Cancellation = Cancellation }, WorkMemoryBytes, Cancellation)
        {
            SystemContext = new SystemTableContext(Transaction.Catalog, Settings),
        };
        foreach (var scan in scans)
        {
            var batches = new List<ResultBatch>();
            await foreach (var batch in Transaction.ScanAsync(scan.Table, scan.Scan, Cancellation).ConfigureAwait(false))
            {
                var columns = new ColumnVector[scan.Columns.Count];
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c] = StorageValues.Read(batch.Column(c), scan.Columns[c].Type);
                }

                var result = new ResultBatch(columns, batch.Length);
                runtime.Reserve(QueryRuntime.SizeOf(result));
                batches.Add(result);
            }

            runtime.ScanData[scan] = batches;
        }

        return runtime;
    }
}
