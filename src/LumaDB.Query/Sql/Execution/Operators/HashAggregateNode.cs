using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// GROUP BY with aggregates: evaluates key and argument columns a batch at a time, keeps one set of
/// accumulators per distinct key in a hash table, and emits keys then aggregate values. Without GROUP BY it
/// yields exactly one row, even over no input.
/// </summary>
internal sealed class HashAggregateNode : PlanNode
{
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateSpec> _aggregates;
    private readonly IReadOnlyList<string> _keyTexts;

    public HashAggregateNode(PlanNode input, IReadOnlyList<PlanColumn> columns, IReadOnlyList<BoundExpression> keys, IReadOnlyList<string> keyTexts, IReadOnlyList<AggregateSpec> aggregates)
        : base(columns)
    {
        Input = input;
        _keys = keys;
        _keyTexts = keyTexts;
        _aggregates = aggregates;

        // A join right below gathers, per match, only the columns the aggregate reads.
        if (input is JoinNode join && ReadColumns(keys, aggregates) is { } read)
        {
            join.GatherOnly(read);
        }
    }

    /// <summary>
    /// The input ordinals the keys and aggregates read, or null when some expression reads more than its row's
    /// columns (a subquery may see any column of the row through an outer reference).
    /// </summary>
    internal static HashSet<int>? ReadColumns(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateSpec> aggregates)
    {
        var expressions = keys.Concat(aggregates.SelectMany(a =>
            a.Arguments.Concat(a.Direct).Concat(a.OrderBy.Select(o => o.Expression)).Concat(a.Filter is null ? [] : [a.Filter])));
        var read = new HashSet<int>();
        foreach (var expression in expressions)
        {
            if (!ParallelAggregation.IsWorkerSafe(expression) || !BoundTree.TryCollectColumns(expression, read))
            {
                return null;
            }
        }

        return read;
    }

    public PlanNode Input { get; }

    /// <summary>The scan pipeline below the aggregate that workers can share, or null when it must run on one thread.</summary>
    private ParallelAggregation.Shape? ParallelShape =>
        (_shape ??= ParallelAggregation.ShapeOf(Input, _keys, _aggregates) ?? ParallelAggregation.Shape.None) is { IsNone: false } shape ? shape : null;

    private ParallelAggregation.Shape? _shape;

    // Workers the last parallel run used (EXPLAIN ANALYZE); 0 when the input was too small to start any.
    private int _workersLaunched;
    private int _scanParts;

    /// <summary>
    /// Whether the keyed path runs the aggregate: at most <see cref="KeyedGroups.MaxKeys"/> keys, single-argument
    /// aggregates (or the typed (Y, X) ones), no FILTER or ORDER BY.
    /// </summary>
    private bool KeyedPath => _keys.Count <= KeyedGroups.MaxKeys && _aggregates.All(a => a.OrderBy.Count == 0 && a.Filter is null
        && (a.Arguments.Count <= 1 || GroupedAggregate.TryCreate(a) is { TwoArguments: true }));

    /// <summary>Whether the aggregate can run in parallel: the keyed path with mergeable aggregates over a scan pipeline.</summary>
    private bool ParallelCapable =>
        KeyedPath && _aggregates.All(a => GroupedAggregate.TryCreate(a) is not null) && ParallelShape is not null;

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => _keys.Count == 0 ? "Aggregate" : "HashAggregate";

    public override IEnumerable<string> Details
    {
        get
        {
            if (_keys.Count > 0)
            {
                yield return $"Group Key: {string.Join(", ", _keyTexts)}";
            }

            if (_aggregates.Count > 0)
            {
                yield return $"Aggregates: {string.Join(", ", _aggregates.Select(a => a.Text))}";
            }
        }
    }

    protected override IEnumerable<string> ExecutionDetails(int parallelWorkers, bool analyze)
    {
        if (parallelWorkers > 1 && ParallelCapable)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Workers Planned: {parallelWorkers}");
            if (analyze)
            {
                yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Workers Launched: {Volatile.Read(ref _workersLaunched)}");
                if (Volatile.Read(ref _scanParts) is > 0 and var parts)
                {
                    // How many key ranges the scan's row merge was split into (1: one stream shared by the workers).
                    yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Scan Parts: {parts}");
                }
            }
        }
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        var direct = _aggregates.Select(a => a.Direct.Select(d => BatchOps.Evaluate(runtime, d, one).GetValue(0)).ToArray()).ToArray();
        if (KeyedPath)
        {
            foreach (var batch in ExecuteKeyed(runtime, direct))
            {
                yield return batch;
            }

            yield break;
        }

        var groups = new Dictionary<object?[], Accumulator[]>(RowComparer.Instance);
        var order = new List<object?[]>();

        // Ordered aggregates (string_agg ... ORDER BY, WITHIN GROUP) see their input sorted: buffer rows per group first.
        var pending = _aggregates.Any(a => a.OrderBy.Count > 0) ? new Dictionary<object?[], List<(object?[][] Args, object?[][] Sort)>>(RowComparer.Instance) : null;

        foreach (var batch in Input.Run(runtime))
        {
            var keyColumns = _keys.Select(k => BatchOps.Evaluate(runtime, k, batch)).ToArray();
            var argColumns = _aggregates.Select(a => a.Arguments.Select(e => BatchOps.Evaluate(runtime, e, batch)).ToArray()).ToArray();
            var filters = _aggregates.Select(a => a.Filter is null ? null : BatchOps.Evaluate(runtime, a.Filter, batch)).ToArray();
            var sortColumns = _aggregates.Select(a => a.OrderBy.Select(o => BatchOps.Evaluate(runtime, o.Expression, batch)).ToArray()).ToArray();
            for (var r = 0; r < batch.RowCount; r++)
            {
                var key = new object?[keyColumns.Length];
                for (var k = 0; k < key.Length; k++)
                {
                    key[k] = keyColumns[k].GetValue(r);
                }

                if (!groups.TryGetValue(key, out var accumulators))
                {
                    accumulators = _aggregates.Select((a, i) => Accumulator.Create(a, direct[i])).ToArray();
                    groups.Add(key, accumulators);
                    order.Add(key);
                    runtime.Reserve(64L * (key.Length + accumulators.Length));
                }

                for (var a = 0; a < accumulators.Length; a++)
                {
                    if (filters[a] is { } filter && (filter.IsNull(r) || !filter.As<bool>()[r]))
                    {
                        continue;
                    }

                    var args = new object?[argColumns[a].Length];
                    for (var i = 0; i < args.Length; i++)
                    {
                        args[i] = argColumns[a][i].GetValue(r);
                    }

                    if (args.Length == 0)
                    {
                        args = [null];
                    }

                    if (pending is not null && _aggregates[a].OrderBy.Count > 0)
                    {
                        if (!pending.TryGetValue(key, out var list))
                        {
                            list = [];
                            pending.Add(key, list);
                        }

                        var sort = sortColumns[a].Select(c => c.GetValue(r)).ToArray();
                        list.Add(([args, [a]], [sort]));
                        continue;
                    }

                    accumulators[a].Add(args);
                }
            }
        }

        if (pending is not null)
        {
            FeedOrdered(groups, pending);
        }

        if (_keys.Count == 0 && groups.Count == 0)
        {
            var empty = Array.Empty<object?>();
            groups.Add(empty, _aggregates.Select((a, i) => Accumulator.Create(a, direct[i])).ToArray());
            order.Add(empty);
        }

        var rows = new List<object?[]>(BatchOps.BatchSize);
        foreach (var key in order)
        {
            var accumulators = groups[key];
            var row = new object?[key.Length + accumulators.Length];
            key.CopyTo(row, 0);
            for (var a = 0; a < accumulators.Length; a++)
            {
                row[key.Length + a] = accumulators[a].Result();
            }

            rows.Add(row);
            if (rows.Count == BatchOps.BatchSize)
            {
                yield return BatchOps.FromRows(Columns, rows);
                rows.Clear();
            }
        }

        if (rows.Count > 0)
        {
            yield return BatchOps.FromRows(Columns, rows);
        }
    }

    /// <summary>
    /// The common shape (at most four keys, single-argument aggregates, no FILTER or ORDER BY): groups are found by
    /// the keys' typed values and accumulators read the typed argument columns. When every aggregate merges and the
    /// input is a scan pipeline, large inputs are aggregated by several workers and their partial groups merged.
    /// </summary>
    private IEnumerable<ResultBatch> ExecuteKeyed(QueryRuntime runtime, object?[][] direct)
    {
        KeyedGroups Create() => new(_keys, _aggregates, direct);
        var groups = Create();
        if (runtime.ParallelWorkers > 1 && groups.IsMergeable && ParallelShape is { } shape && ParallelAggregation.CanRun(runtime, shape))
        {
            groups = ParallelAggregation.Run(runtime, Input, shape, Create, out var launched, out var parts);
            _workersLaunched = launched;
            _scanParts = parts;
        }
        else
        {
            foreach (var batch in Input.Run(runtime))
            {
                groups.Add(runtime, batch);
            }
        }

        return groups.Emit(runtime, Columns);
    }

    private void FeedOrdered(Dictionary<object?[], Accumulator[]> groups, Dictionary<object?[], List<(object?[][] Args, object?[][] Sort)>> pending)
    {
        foreach (var (key, list) in pending)
        {
            var accumulators = groups[key];
            foreach (var group in list.GroupBy(e => (int)e.Args[1][0]!))
            {
                var spec = _aggregates[group.Key];
                var sorted = group.ToList();
                sorted.Sort((x, y) => CompareSort(spec, x.Sort[0], y.Sort[0]));
                foreach (var entry in sorted)
                {
                    accumulators[group.Key].Add(entry.Args[0]);
                }
            }
        }
    }

    private static int CompareSort(AggregateSpec spec, object?[] x, object?[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var (_, descending, nullsFirst) = spec.OrderBy[i];
            if (x[i] is null || y[i] is null)
            {
                if (x[i] is null && y[i] is null)
                {
                    continue;
                }

                return (x[i] is null) == nullsFirst ? -1 : 1;
            }

            var c = RowComparer.CompareValues(x[i]!, y[i]!);
            if (c != 0)
            {
                return descending ? -c : c;
            }
        }

        return 0;
    }
}
