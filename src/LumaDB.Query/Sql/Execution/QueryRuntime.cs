using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// State of one statement execution: the evaluator, rows of enclosing queries for correlated subqueries,
/// results computed once per execution (uncorrelated subqueries, CTEs), table data and the memory budget.
/// </summary>
internal sealed class QueryRuntime
{
    private long _memoryUsed;

    public QueryRuntime(EvaluationContext context, long memoryLimitBytes, CancellationToken cancellation)
    {
        Context = context;
        context.Runtime = this;
        Evaluator = new ExpressionEvaluator(context);
        MemoryLimitBytes = memoryLimitBytes;
        Cancellation = cancellation;
    }

    public EvaluationContext Context { get; }

    public ExpressionEvaluator Evaluator { get; }

    public CancellationToken Cancellation { get; }

    public long MemoryLimitBytes { get; }

    /// <summary>Rows of the enclosing queries, innermost last.</summary>
    public List<object?[]> OuterRows { get; } = [];

    /// <summary>Per-execution results keyed by the plan object that computed them.</summary>
    public Dictionary<object, object> Cache { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Table rows loaded for each scan node before the synchronous operators run.</summary>
    public Dictionary<ScanNode, List<ResultBatch>> ScanData { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The storage request of each scan for this execution (key ranges computed from parameters).</summary>
    public Dictionary<ScanNode, SegmentScan> ScanRequests { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Top-k bounds sort operators above a scan keep up to date while the scan's first (streamed) run feeds them;
    /// storage skips what cannot beat the bound.
    /// </summary>
    public Dictionary<ScanNode, TopKBound> ScanBounds { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>How often each streamed scan has run in this execution.</summary>
    public Dictionary<ScanNode, int> ScanRuns { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The transaction streamed scans read through; null for plans without table scans.</summary>
    public Transaction? Transaction { get; set; }

    /// <summary>Working tables of recursive CTEs while they iterate.</summary>
    public Dictionary<object, List<ResultBatch>> WorkingTables { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Read by virtual table scans.</summary>
    public Planning.SystemTableContext? SystemContext { get; set; }

    /// <summary>Counts bytes held by materialising operators; over the limit the statement fails with 53200.</summary>
    public void Reserve(long bytes)
    {
        _memoryUsed += bytes;
        if (MemoryLimitBytes > 0 && _memoryUsed > MemoryLimitBytes)
        {
            throw new SqlException(SqlState.OutOfMemory, "out of memory", detail: $"The query needs more than the configured {MemoryLimitBytes} bytes of working memory.");
        }
    }

    /// <summary>Estimated bytes of a batch, for <see cref="Reserve"/>.</summary>
    public static long SizeOf(ResultBatch batch) => (long)batch.RowCount * Math.Max(1, batch.Columns.Count) * 16;

    /// <summary>
    /// Reads a table's rows for <paramref name="scan"/> batch by batch as the caller pulls them. Storage is
    /// asynchronous and the operators are not, so each batch is awaited in place; the storage read path does not
    /// depend on the caller's synchronisation context.
    /// </summary>
    public IEnumerable<ResultBatch> ReadTable(ScanNode node, SegmentScan scan, TopKBound? bound = null)
    {
        var transaction = Transaction ?? throw new SqlException(SqlState.InternalError, $"table {node.Table.Name} has no transaction to read from");
        var ordinals = node.ReadOrdinals;

        // Only the columns the query reads are decoded; low-cardinality text comes back dictionary-coded.
        scan = new SegmentScan { Columns = ordinals is null ? scan.Columns : node.ReadNames, Time = scan.Time, Keys = scan.Keys, Predicates = scan.Predicates, DictionaryText = true, Bound = bound };

        foreach (var batch in transaction.ScanAsync(node.Table, scan, Cancellation).ToBlockingEnumerable(Cancellation))
        {
            ThrowIfCancelled();
            yield return ordinals is null ? StorageValues.ToResultBatch(batch, node.Columns) : StorageValues.ToResultBatch(batch, node.Columns, ordinals);
        }
    }

    public void ThrowIfCancelled()
    {
        if (Cancellation.IsCancellationRequested)
        {
            throw new SqlException(SqlState.QueryCanceled, "canceling statement due to user request");
        }
    }
}
