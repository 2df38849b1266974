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

    /// <summary>The statement's runtime a parallel worker's runtime belongs to; memory is counted there.</summary>
    private QueryRuntime? _owner;

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

    /// <summary>Scans run again whose rows were too many to keep for every run: each run reads storage.</summary>
    public HashSet<ScanNode> UncachedScans { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The transaction streamed scans read through; null for plans without table scans.</summary>
    public Transaction? Transaction { get; set; }

    /// <summary>Working tables of recursive CTEs while they iterate.</summary>
    public Dictionary<object, List<ResultBatch>> WorkingTables { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Read by virtual table scans.</summary>
    public Planning.SystemTableContext? SystemContext { get; set; }

    /// <summary>Most workers a parallel aggregate may run on (1 runs every plan on the calling thread).</summary>
    public int ParallelWorkers { get; set; } = 1;

    /// <summary>Rows a parallel-capable aggregate reads on its own before it starts further workers.</summary>
    public long ParallelMinRows { get; set; } = ParallelAggregation.DefaultMinRows;

    /// <summary>
    /// In a parallel worker's runtime: where each scan of the worker's pipeline takes its batches from (the morsels
    /// the workers share) instead of reading storage.
    /// </summary>
    public Dictionary<ScanNode, IEnumerable<ResultBatch>>? ScanFeeds { get; private set; }

    /// <summary>Hash-join build sides computed once and shared read-only by the workers of a parallel aggregate.</summary>
    public IReadOnlyDictionary<JoinNode, JoinBuild>? JoinBuilds { get; private set; }

    /// <summary>
    /// A runtime for one worker of a parallel pipeline: its own evaluator and per-run state, the statement's
    /// parameters, timestamp and settings, memory counted against this runtime's budget, and no transaction (the
    /// worker reads only the batches it is fed).
    /// </summary>
    public QueryRuntime CreateWorker(Dictionary<ScanNode, IEnumerable<ResultBatch>> feeds, IReadOnlyDictionary<JoinNode, JoinBuild> joinBuilds, CancellationToken cancellation)
    {
        var context = new EvaluationContext(Context) { Cancellation = cancellation };
        return new QueryRuntime(context, MemoryLimitBytes, cancellation)
        {
            _owner = _owner ?? this,
            SystemContext = SystemContext,
            ScanFeeds = feeds,
            JoinBuilds = joinBuilds,
        };
    }

    /// <summary>Counts bytes held by materialising operators; over the limit the statement fails with 53200.</summary>
    public void Reserve(long bytes)
    {
        // Workers of a parallel plan count against the statement's one budget, from several threads.
        var used = Interlocked.Add(ref (_owner ?? this)._memoryUsed, bytes);
        if (MemoryLimitBytes > 0 && used > MemoryLimitBytes)
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
        foreach (var batch in transaction.ScanAsync(node.Table, StorageRequest(node, scan, bound), Cancellation).ToBlockingEnumerable(Cancellation))
        {
            ThrowIfCancelled();
            yield return ToResult(node, batch);
        }
    }

    /// <summary>
    /// The storage batches of <paramref name="node"/>'s scan, unconverted, for the workers of a parallel plan to
    /// share: one worker at a time advances the enumerator and each converts its own batches (<see cref="ToResult"/>).
    /// </summary>
    public IAsyncEnumerator<Apache.Arrow.RecordBatch> OpenTable(ScanNode node, CancellationToken cancellation) => OpenTable(node, keys: null, cancellation);

    /// <summary>
    /// Opens the storage stream of <paramref name="node"/>'s scan, or with <paramref name="keys"/>, of one part of it
    /// from <see cref="SplitTable"/>.
    /// </summary>
    public IAsyncEnumerator<Apache.Arrow.RecordBatch> OpenTable(ScanNode node, KeyRange? keys, CancellationToken cancellation)
    {
        var transaction = Transaction ?? throw new SqlException(SqlState.InternalError, $"table {node.Table.Name} has no transaction to read from");
        var request = StorageRequest(node, ScanRequests.TryGetValue(node, out var planned) ? planned : node.Scan, bound: null);
        if (keys is not null)
        {
            request = new SegmentScan
            {
                Columns = request.Columns,
                Time = request.Time,
                Keys = keys,
                Predicates = request.Predicates,
                DictionaryText = request.DictionaryText,
            };
        }

        return transaction.ScanAsync(node.Table, request, cancellation).GetAsyncEnumerator(cancellation);
    }

    /// <summary>
    /// The key ranges <paramref name="node"/>'s scan splits into for parallel reading (see
    /// <see cref="Transaction.SplitScan"/>); each is opened with <see cref="OpenTable(ScanNode, KeyRange?, CancellationToken)"/>.
    /// </summary>
    public IReadOnlyList<KeyRange> SplitTable(ScanNode node, int parts, long minRowsPerPart)
    {
        var transaction = Transaction ?? throw new SqlException(SqlState.InternalError, $"table {node.Table.Name} has no transaction to read from");
        return transaction.SplitScan(node.Table, ScanRequests.TryGetValue(node, out var planned) ? planned : node.Scan, parts, minRowsPerPart);
    }

    /// <summary>
    /// The storage request for <paramref name="node"/>'s <paramref name="scan"/>: only the columns the query reads are
    /// decoded, and low-cardinality text comes back dictionary-coded.
    /// </summary>
    private static SegmentScan StorageRequest(ScanNode node, SegmentScan scan, TopKBound? bound) =>
        new() { Columns = node.ReadOrdinals is null ? scan.Columns : node.ReadNames, Time = scan.Time, Keys = scan.Keys, Predicates = scan.Predicates, DictionaryText = true, Bound = bound };

    /// <summary>One storage batch of <paramref name="node"/>'s table as the scan's result batch.</summary>
    public static ResultBatch ToResult(ScanNode node, Apache.Arrow.RecordBatch batch) =>
        node.ReadOrdinals is { } ordinals ? StorageValues.ToResultBatch(batch, node.Columns, ordinals) : StorageValues.ToResultBatch(batch, node.Columns);

    public void ThrowIfCancelled()
    {
        if (Cancellation.IsCancellationRequested)
        {
            throw new SqlException(SqlState.QueryCanceled, "canceling statement due to user request");
        }
    }
}
