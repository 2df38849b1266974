using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

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
    }

    public PlanNode Input { get; }

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

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        var direct = _aggregates.Select(a => a.Direct.Select(d => BatchOps.Evaluate(runtime, d, one).GetValue(0)).ToArray()).ToArray();
        var ordered = _aggregates.Any(a => a.OrderBy.Count > 0);
        if (!ordered && _keys.Count <= 1 && _aggregates.All(a => a.Filter is null && a.Arguments.Count <= 1))
        {
            foreach (var batch in ExecuteSingleKey(runtime, direct))
            {
                yield return batch;
            }

            yield break;
        }

        var groups = new Dictionary<object?[], Accumulator[]>(RowComparer.Instance);
        var order = new List<object?[]>();

        // Ordered aggregates (string_agg ... ORDER BY, WITHIN GROUP) see their input sorted: buffer rows per group first.
        var pending = ordered ? new Dictionary<object?[], List<(object?[][] Args, object?[][] Sort)>>(RowComparer.Instance) : null;

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
    /// The common shape (at most one key, single-argument aggregates, no FILTER or ORDER BY): groups are found by
    /// the key's typed value (no per-row key array) and accumulators read the typed argument columns.
    /// </summary>
    private IEnumerable<ResultBatch> ExecuteSingleKey(QueryRuntime runtime, object?[][] direct)
    {
        var groups = new List<Accumulator[]>();
        var keys = new List<object?>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var byLong = new Dictionary<long, int>();
        var byInt = new Dictionary<int, int>();
        var byValue = new Dictionary<object?[], int>(RowComparer.Instance);
        var nullGroup = -1;
        var arguments = new ColumnVector?[_aggregates.Count];
        int[] groupOf = [];

        // Common aggregates keep typed per-group arrays; the rest one accumulator object per group.
        var typed = _aggregates.Select(GroupedAggregate.TryCreate).ToArray();

        // Text keys read dictionary-coded: a code maps to its group once per dictionary, not a string hash per row.
        string[]? lastDictionary = null;
        int[] groupOfCode = [];

        int NewGroup(object? key)
        {
            var accumulators = new Accumulator[_aggregates.Count];
            for (var a = 0; a < accumulators.Length; a++)
            {
                accumulators[a] = typed[a] is null ? Accumulator.Create(_aggregates[a], direct[a]) : null!;
            }

            groups.Add(accumulators);
            keys.Add(key);
            runtime.Reserve(64L * (1 + accumulators.Length));
            return groups.Count - 1;
        }

        foreach (var batch in Input.Run(runtime))
        {
            var count = batch.RowCount;
            if (groupOf.Length < count)
            {
                groupOf = new int[count];
            }

            if (_keys.Count == 0)
            {
                if (groups.Count == 0)
                {
                    NewGroup(null);
                }

                Array.Clear(groupOf, 0, count);
            }
            else
            {
                var key = BatchOps.Evaluate(runtime, _keys[0], batch);
                if (key is { DictionaryCodes: { } codes, DictionaryValues: { } dictionary })
                {
                    if (!ReferenceEquals(dictionary, lastDictionary))
                    {
                        lastDictionary = dictionary;
                        groupOfCode = new int[dictionary.Length];
                        groupOfCode.AsSpan().Fill(-1);
                    }

                    for (var r = 0; r < count; r++)
                    {
                        int g;
                        if (key.IsNull(r))
                        {
                            g = nullGroup >= 0 ? nullGroup : nullGroup = NewGroup(null);
                        }
                        else if ((g = groupOfCode[codes[r]]) < 0)
                        {
                            var text = dictionary[codes[r]];
                            if (!byText.TryGetValue(text, out g))
                            {
                                g = NewGroup(text);
                                byText.Add(text, g);
                            }

                            groupOfCode[codes[r]] = g;
                        }

                        groupOf[r] = g;
                    }
                }
                else
                {
                    for (var r = 0; r < count; r++)
                    {
                        int g;
                        if (key.IsNull(r))
                        {
                            g = nullGroup >= 0 ? nullGroup : nullGroup = NewGroup(null);
                        }
                        else
                        {
                            switch (key.Values)
                            {
                                case string[] text:
                                    if (!byText.TryGetValue(text[r], out g))
                                    {
                                        g = NewGroup(text[r]);
                                        byText.Add(text[r], g);
                                    }

                                    break;
                                case long[] longs:
                                    if (!byLong.TryGetValue(longs[r], out g))
                                    {
                                        g = NewGroup(longs[r]);
                                        byLong.Add(longs[r], g);
                                    }

                                    break;
                                case int[] ints:
                                    if (!byInt.TryGetValue(ints[r], out g))
                                    {
                                        g = NewGroup(ints[r]);
                                        byInt.Add(ints[r], g);
                                    }

                                    break;
                                default:
                                    var value = key.GetValue(r);
                                    if (!byValue.TryGetValue([value], out g))
                                    {
                                        g = NewGroup(value);
                                        byValue.Add([value], g);
                                    }

                                    break;
                            }
                        }

                        groupOf[r] = g;
                    }
                }
            }

            for (var a = 0; a < arguments.Length; a++)
            {
                arguments[a] = _aggregates[a].Arguments.Count == 0 ? null : BatchOps.Evaluate(runtime, _aggregates[a].Arguments[0], batch);
            }

            // Aggregate by aggregate, so each loop reads one typed column.
            for (var a = 0; a < arguments.Length; a++)
            {
                var argument = arguments[a];
                if (typed[a] is { } grouped)
                {
                    grouped.EnsureGroups(groups.Count);
                    if (!grouped.Add(argument, groupOf.AsSpan(0, count)))
                    {
                        throw new SqlException(SqlState.InternalError, $"unexpected argument column for {_aggregates[a].Text}");
                    }

                    continue;
                }

                for (var r = 0; r < count; r++)
                {
                    groups[groupOf[r]][a].AddRow(argument, r);
                }
            }
        }

        if (_keys.Count == 0 && groups.Count == 0)
        {
            NewGroup(null);
        }

        var rows = new List<object?[]>(BatchOps.BatchSize);
        var width = _keys.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var row = new object?[width + _aggregates.Count];
            if (width == 1)
            {
                row[0] = keys[g];
            }

            for (var a = 0; a < _aggregates.Count; a++)
            {
                row[width + a] = typed[a] is { } grouped ? grouped.Result(g) : groups[g][a].Result();
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
