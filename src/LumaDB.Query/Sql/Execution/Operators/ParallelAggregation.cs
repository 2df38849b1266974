using System.Runtime.ExceptionServices;
using Apache.Arrow;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Runs the pipeline under a hash aggregate (scan, filters, projections, hash-join probes) on several threads.
/// The scan's storage batches (row groups, or batches of the row merge) are the morsels: each worker takes the next
/// one from the shared storage stream under a lock, converts it, pushes it through its own copy of the pipeline's
/// run state and adds it to its own partial groups; at the end the partials merge in worker order. Join build
/// sides are made once, before the workers start, and probed read-only. A large table's key range is split into
/// parts of about equal row counts (<see cref="Transaction.SplitScan"/>), each its own storage stream, so the
/// row merges of the parts run on separate workers too; every part reads at the statement's snapshot, and a
/// transaction that has written to the table reads it as one part, so visibility and own writes are unchanged.
/// </summary>
/// <remarks>
/// The calling thread reads alone until <see cref="QueryRuntime.ParallelMinRows"/> rows have gone by, or, when the
/// key range was split (the manifest counts at least that many rows per part), not at all; only then are further
/// workers started, so small tables and point queries never start a thread. Float sums are added in
/// another order than on one thread, so their last bits may differ from a serial run (as with PostgreSQL's
/// parallel aggregates); integer and count results are exact.
/// </remarks>
internal static class ParallelAggregation
{
    /// <summary>Rows read on the calling thread before more workers start.</summary>
    public const long DefaultMinRows = 200_000;

    // Parts of the scan's key range per worker: more than one, so a worker whose parts merge faster takes another.
    private const int PartsPerWorker = 2;

    /// <summary>What a parallel run needs of the plan: the scan whose batches are shared, and the joins whose build sides are made once.</summary>
    internal sealed record Shape(ScanNode? Scan, IReadOnlyList<JoinNode> Joins)
    {
        /// <summary>Marks a plan checked and found not parallel.</summary>
        public static Shape None { get; } = new(null, []);

        public bool IsNone => Scan is null;
    }

    /// <summary>
    /// The shape of <paramref name="input"/> when its rows come from one streamed table scan through filters,
    /// projections and the probe side of inner or left hash joins, with only expressions a worker can evaluate on
    /// its own (no subqueries, outer references or catalog lookups); null otherwise.
    /// </summary>
    public static Shape? ShapeOf(PlanNode input, IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateSpec> aggregates)
    {
        if (!keys.All(IsWorkerSafe) || !aggregates.All(a => a.Arguments.All(IsWorkerSafe)))
        {
            return null;
        }

        var joins = new List<JoinNode>();
        var node = input;
        while (true)
        {
            switch (node)
            {
                case FilterNode filter when IsWorkerSafe(filter.Predicate):
                    node = filter.Input;
                    break;
                case ProjectNode project when project.Expressions.All(IsWorkerSafe):
                    node = project.Input;
                    break;
                case RenameNode rename:
                    node = rename.Input;
                    break;
                case JoinNode join when join.ProbesIndependently && join.Expressions.All(IsWorkerSafe):
                    joins.Add(join);
                    node = join.Left;
                    break;
                case ScanNode scan when scan.KeyAccess is null && (scan.Filter is null || IsWorkerSafe(scan.Filter)):
                    return new Shape(scan, joins);
                default:
                    return null;
            }
        }
    }

    /// <summary>Whether this execution can share the scan: it streams from storage once, outside any correlated subquery.</summary>
    public static bool CanRun(QueryRuntime runtime, Shape shape)
    {
        var scan = shape.Scan!;
        return runtime.Transaction is not null && runtime.ScanFeeds is null && runtime.OuterRows.Count == 0
            && !runtime.ScanData.ContainsKey(scan) && runtime.ScanRuns.GetValueOrDefault(scan) == 0;
    }

    /// <summary>
    /// Runs <paramref name="input"/> on up to <see cref="QueryRuntime.ParallelWorkers"/> threads (the calling one
    /// included), each adding its rows to groups from <paramref name="create"/>, and returns the merged groups.
    /// </summary>
    public static KeyedGroups Run(QueryRuntime runtime, PlanNode input, Shape shape, Func<KeyedGroups> create, out int launched, out int parts)
    {
        var scan = shape.Scan!;
        runtime.ScanRuns[scan] = 1;
        var builds = new Dictionary<JoinNode, JoinBuild>(ReferenceEqualityComparer.Instance);
        foreach (var join in shape.Joins)
        {
            builds[join] = join.Build(runtime);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(runtime.Cancellation);
        var run = new SharedScan(runtime, scan, stop.Token);
        var workers = new List<Task<KeyedGroups?>>();
        var errors = new List<Exception>();
        var gate = new object();

        void Fail(Exception error)
        {
            lock (gate)
            {
                errors.Add(error);
            }

            // The other workers stop at their next batch.
            stop.Cancel();
        }

        KeyedGroups Work(bool first)
        {
            var groups = create();
            var worker = runtime.CreateWorker(new(ReferenceEqualityComparer.Instance) { [scan] = run.Feed(first ? Launch : null) }, builds, stop.Token);
            foreach (var batch in input.Run(worker))
            {
                groups.Add(worker, batch);
            }

            return groups;
        }

        void Launch()
        {
            // Dedicated threads: a worker blocks on storage reads and on the scan's lock, which pool threads should not.
            for (var w = 1; w < runtime.ParallelWorkers; w++)
            {
                workers.Add(Task.Factory.StartNew<KeyedGroups?>(
                    () =>
                    {
                        try
                        {
                            return Work(first: false);
                        }
                        catch (Exception error)
                        {
                            Fail(error);
                            return null;
                        }
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default));
            }
        }

        KeyedGroups? merged = null;
        try
        {
            merged = Work(first: true);
        }
        catch (Exception error)
        {
            Fail(error);
        }
        finally
        {
            // Every worker has ended before the scan is closed and this returns.
            foreach (var task in workers)
            {
                task.Wait(CancellationToken.None);
            }

            run.Dispose();
        }

        launched = workers.Count;
        parts = run.Parts;
        if (errors.Count > 0)
        {
            Throw(runtime, errors);
        }

        // In worker order; each partial is complete here.
        foreach (var task in workers)
        {
            merged!.Merge(runtime, task.Result!);
        }

        return merged!;
    }

    /// <summary>Rethrows the error that stopped the run: the statement's own cancellation, else the first error that was not a worker stopping because of it.</summary>
    private static void Throw(QueryRuntime runtime, List<Exception> errors)
    {
        runtime.ThrowIfCancelled();
        var cause = errors.FirstOrDefault(e => e is not OperationCanceledException && !(e is SqlException { SqlState: SqlState.QueryCanceled })) ?? errors[0];
        if (cause is OperationCanceledException)
        {
            throw new SqlException(SqlState.QueryCanceled, "canceling statement due to user request");
        }

        ExceptionDispatchInfo.Capture(cause).Throw();
    }

    /// <summary>Whether an expression reads nothing but its row's columns, constants and parameters and calls no catalog function.</summary>
    internal static bool IsWorkerSafe(BoundExpression expression) => expression switch
    {
        BoundConstant or BoundColumn or BoundParameter => true,
        BoundCast cast => IsWorkerSafe(cast.Operand),
        BoundNegate negate => IsWorkerSafe(negate.Operand),
        BoundNot not => IsWorkerSafe(not.Operand),
        BoundBinary binary => IsWorkerSafe(binary.Left) && IsWorkerSafe(binary.Right),
        BoundLogical logical => IsWorkerSafe(logical.Left) && IsWorkerSafe(logical.Right),
        BoundNullTest test => IsWorkerSafe(test.Operand),
        BoundBooleanTest test => IsWorkerSafe(test.Operand),
        BoundIsDistinct distinct => IsWorkerSafe(distinct.Left) && IsWorkerSafe(distinct.Right),
        BoundInList list => IsWorkerSafe(list.Operand) && list.Items.All(IsWorkerSafe),
        BoundLike like => IsWorkerSafe(like.Operand) && IsWorkerSafe(like.Pattern) && (like.Escape is null || IsWorkerSafe(like.Escape)),
        BoundCase @case => @case.Whens.All(w => IsWorkerSafe(w.Condition) && IsWorkerSafe(w.Result)) && (@case.Else is null || IsWorkerSafe(@case.Else)),
        BoundFunction function => !CatalogFunctions.Contains(function.Function) && function.Arguments.All(IsWorkerSafe),

        // Subqueries and outer references read state of the statement's own runtime.
        _ => false,
    };

    // Functions that read the catalog or the transaction through the statement's runtime, or change the session's
    // state (set_config, the sequence functions).
    private static readonly HashSet<ScalarFunction> CatalogFunctions =
    [
        ScalarFunction.RegLookup, ScalarFunction.RegName, ScalarFunction.FormatType, ScalarFunction.PgGetExpr, ScalarFunction.PgGetIndexDef,
        ScalarFunction.PgGetConstraintDef, ScalarFunction.PgGetViewDef, ScalarFunction.PgEncodingToChar, ScalarFunction.PgRelationSize,
        ScalarFunction.PgSizePretty, ScalarFunction.ObjectIsVisible, ScalarFunction.RelationIsPublishable, ScalarFunction.PgTableIsVisible,
        ScalarFunction.ObjectDescription, ScalarFunction.PgGetFunctionResult, ScalarFunction.PgGetFunctionArguments, ScalarFunction.PgGetUserById,
        ScalarFunction.SetConfig, ScalarFunction.NextVal, ScalarFunction.CurrVal, ScalarFunction.SetVal, ScalarFunction.LastVal,
        ScalarFunction.SequenceRead, ScalarFunction.PgGetSerialSequence,
    ];

    /// <summary>
    /// The storage streams of one scan: its key range split into parts (<see cref="Transaction.SplitScan"/>), each
    /// read as its own stream so that the row merges of the parts run on separate workers. A worker takes the next
    /// part nobody has started; once every part is taken, it helps with one still being read, advancing that
    /// stream one batch at a time under the part's lock.
    /// </summary>
    private sealed class SharedScan : IDisposable
    {
        private readonly QueryRuntime _runtime;
        private readonly ScanNode _scan;
        private readonly Part[] _parts;
        private int _next;
        private long _rows;

        public SharedScan(QueryRuntime runtime, ScanNode scan, CancellationToken cancellation)
        {
            _runtime = runtime;
            _scan = scan;
            var ranges = runtime.SplitTable(scan, runtime.ParallelWorkers * PartsPerWorker, Math.Max(1, runtime.ParallelMinRows));
            _parts = [.. ranges.Select(keys => new Part(runtime, scan, ranges.Count == 1 ? null : keys, cancellation))];
        }

        /// <summary>Whether the input was large enough to start more workers.</summary>
        public bool Launched { get; private set; }

        /// <summary>Parts the scan's key range was split into.</summary>
        public int Parts => _parts.Length;

        /// <summary>
        /// The batches one worker takes, converted on its own thread. The first worker's feed calls
        /// <paramref name="launch"/> once the input has proved large.
        /// </summary>
        public IEnumerable<ResultBatch> Feed(Action? launch)
        {
            // A split scan has already proved large (the manifest's row counts): the other workers start at once,
            // however selective the storage filter that shrinks its batches.
            if (launch is not null && _parts.Length > 1)
            {
                Launched = true;
                launch();
            }

            while (Claim() is { } part)
            {
                while (part.Take() is { } batch)
                {
                    var rows = Interlocked.Add(ref _rows, batch.Length);
                    if (launch is not null && !Launched && rows >= _runtime.ParallelMinRows)
                    {
                        Launched = true;
                        launch();
                    }

                    yield return QueryRuntime.ToResult(_scan, batch);
                }
            }
        }

        /// <summary>The next part nobody reads yet, else one still being read, else null.</summary>
        private Part? Claim()
        {
            var next = Interlocked.Increment(ref _next) - 1;
            if (next < _parts.Length)
            {
                return _parts[next];
            }

            foreach (var part in _parts)
            {
                if (!part.Done)
                {
                    return part;
                }
            }

            return null;
        }

        public void Dispose()
        {
            foreach (var part in _parts)
            {
                part.Dispose();
            }
        }

        /// <summary>One part's storage stream, opened by its first reader and advanced under a lock.</summary>
        private sealed class Part(QueryRuntime runtime, ScanNode scan, KeyRange? keys, CancellationToken cancellation) : IDisposable
        {
            private readonly Lock _lock = new();
            private IAsyncEnumerator<RecordBatch>? _source;
            private volatile bool _done;

            public bool Done => _done;

            public RecordBatch? Take()
            {
                lock (_lock)
                {
                    if (_done)
                    {
                        return null;
                    }

                    try
                    {
                        _source ??= runtime.OpenTable(scan, keys, cancellation);
                        var next = _source.MoveNextAsync();
                        if (!(next.IsCompleted ? next.Result : next.AsTask().GetAwaiter().GetResult()))
                        {
                            _done = true;
                            return null;
                        }
                    }
                    catch
                    {
                        _done = true;
                        throw;
                    }

                    return _source.Current;
                }
            }

            public void Dispose()
            {
                lock (_lock)
                {
                    _done = true;
                    _source?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }
    }
}
