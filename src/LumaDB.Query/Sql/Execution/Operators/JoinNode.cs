using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Joins of every kind. With equality keys it is a hash join (the right input is built into a hash table,
/// the left probes it a batch at a time); without, a nested loop over the materialised right input. Candidate
/// pairs are gathered into one batch so the residual condition is evaluated vectorised.
/// </summary>
internal sealed class JoinNode : PlanNode
{
    private readonly JoinKind _kind;
    private readonly IReadOnlyList<BoundExpression> _leftKeys;
    private readonly IReadOnlyList<BoundExpression> _rightKeys;
    private readonly BoundExpression? _condition;
    private readonly string? _conditionText;

    public JoinNode(PlanNode left, PlanNode right, JoinKind kind, IReadOnlyList<BoundExpression> leftKeys, IReadOnlyList<BoundExpression> rightKeys, BoundExpression? condition, string? conditionText)
        : base([.. left.Columns, .. right.Columns])
    {
        Left = left;
        Right = right;
        _kind = kind;
        _leftKeys = leftKeys;
        _rightKeys = rightKeys;
        _condition = condition;
        _conditionText = conditionText;
    }

    // Per output column, null when the consumer reads it (or reads all), else the absent column it gets instead of a gather per match.
    private ColumnVector?[]? _absent;

    /// <summary>
    /// Tells the join that its consumer reads only the output columns at <paramref name="ordinals"/>: pairs gather
    /// just those (the rest are <see cref="ColumnVector.Absent"/>). Has no effect when a residual condition reads
    /// the pairs.
    /// </summary>
    public void GatherOnly(IReadOnlySet<int> ordinals)
    {
        if (_condition is not null)
        {
            return;
        }

        var absent = new ColumnVector?[Columns.Count];
        for (var c = 0; c < absent.Length; c++)
        {
            absent[c] = ordinals.Contains(c) ? null : ColumnVector.Absent(Columns[c].Type);
        }

        _absent = absent;
    }

    /// <summary>The join type.</summary>
    public JoinKind Kind => _kind;

    /// <summary>The same join over new inputs with the same columns (filtered versions of the old ones).</summary>
    public JoinNode WithInputs(PlanNode left, PlanNode right) => new(left, right, _kind, _leftKeys, _rightKeys, _condition, _conditionText);

    public PlanNode Left { get; }

    public PlanNode Right { get; }

    public override IEnumerable<PlanNode> Children => [Left, Right];

    public override string Label => (_leftKeys.Count > 0 ? "Hash " : "Nested Loop ") + _kind switch
    {
        JoinKind.Left => "Left Join",
        JoinKind.Right => "Right Join",
        JoinKind.Full => "Full Join",
        JoinKind.Cross => "Cross Join",
        _ => "Join",
    };

    public override IEnumerable<string> Details => _conditionText is null ? [] : [$"Join Filter: {_conditionText}"];

    /// <summary>Whether the probe side can be split among workers: the rows of one probe batch meet the build side independently of every other batch (no unmatched build rows to emit at the end).</summary>
    public bool ProbesIndependently => _kind is JoinKind.Inner or JoinKind.Left or JoinKind.Cross;

    /// <summary>The join's expressions (keys and condition), for checks of what a parallel worker may evaluate.</summary>
    public IEnumerable<BoundExpression> Expressions => _condition is null ? [.. _leftKeys, .. _rightKeys] : [.. _leftKeys, .. _rightKeys, _condition];

    /// <summary>Reads the build (right) side and makes its hash table.</summary>
    public JoinBuild Build(QueryRuntime runtime)
    {
        var right = CodeText(Right.Materialize(runtime));
        Dictionary<object?[], List<int>>? table = null;
        object? typed = null;
        var typedKind = _leftKeys.Count == 1 && _leftKeys[0].Type == _rightKeys[0].Type ? _leftKeys[0].Type.Kind : SqlTypeKind.Unknown;
        if (typedKind is SqlTypeKind.Int4 or SqlTypeKind.Date or SqlTypeKind.Int8 or SqlTypeKind.Text or SqlTypeKind.Varchar)
        {
            // One key of an int, bigint or text type: hash the typed values, no key array or boxing per row.
            var keyColumn = BatchOps.Evaluate(runtime, _rightKeys[0], right);
            typed = (object?)DenseKeyTable.TryBuild(keyColumn, right.RowCount) ?? keyColumn.Values switch
            {
                int[] => BuildTyped<int>(keyColumn, right.RowCount),
                long[] => BuildTyped<long>(keyColumn, right.RowCount),
                string[] => BuildTyped<string>(keyColumn, right.RowCount),
                _ => null,
            };
        }

        if (_leftKeys.Count > 0 && typed is null)
        {
            table = new Dictionary<object?[], List<int>>(RowComparer.Instance);
            var keyColumns = _rightKeys.Select(k => BatchOps.Evaluate(runtime, k, right)).ToArray();
            for (var r = 0; r < right.RowCount; r++)
            {
                var key = KeyOf(keyColumns, r);
                if (key is null)
                {
                    continue;
                }

                if (!table.TryGetValue(key, out var rows))
                {
                    rows = [];
                    table.Add(key, rows);
                }

                rows.Add(r);
            }
        }

        return new JoinBuild(right, typed, table);
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        // Workers of a parallel plan share one build side, made before they start.
        var build = runtime.JoinBuilds is { } builds && builds.TryGetValue(this, out var shared) ? shared : Build(runtime);
        var right = build.Right;
        var typed = build.Typed;
        var table = build.Table;
        var leftWidth = Left.Columns.Count;
        var rightMatched = _kind is JoinKind.Right or JoinKind.Full ? new bool[right.RowCount] : null;
        // Pair lists are reused batch to batch: each batch's pairs are gathered before the next is probed.
        var leftRows = new List<int>();
        var rightRows = new List<int>();
        foreach (var left in Left.Run(runtime))
        {
            leftRows.Clear();
            rightRows.Clear();
            if (typed is not null)
            {
                var keyColumn = BatchOps.Evaluate(runtime, _leftKeys[0], left);
                switch (typed)
                {
                    case DenseKeyTable dense:
                        if (!dense.Probe(keyColumn, left.RowCount, leftRows, rightRows))
                        {
                            throw new SqlException(SqlState.InternalError, "join key columns differ in representation");
                        }

                        break;
                    case Dictionary<int, List<int>> ints: ProbeTyped(ints, keyColumn, left.RowCount, leftRows, rightRows); break;
                    case Dictionary<long, List<int>> longs: ProbeTyped(longs, keyColumn, left.RowCount, leftRows, rightRows); break;
                    case Dictionary<string, List<int>> texts: ProbeTyped(texts, keyColumn, left.RowCount, leftRows, rightRows); break;
                }
            }
            else if (table is not null)
            {
                // Right keys are bound over the right input; left keys over the left input.
                var keyColumns = _leftKeys.Select(k => BatchOps.Evaluate(runtime, k, left)).ToArray();
                for (var l = 0; l < left.RowCount; l++)
                {
                    var key = KeyOf(keyColumns, l);
                    if (key is not null && table.TryGetValue(key, out var matches))
                    {
                        foreach (var r in matches)
                        {
                            leftRows.Add(l);
                            rightRows.Add(r);
                        }
                    }
                }
            }
            else
            {
                for (var l = 0; l < left.RowCount; l++)
                {
                    for (var r = 0; r < right.RowCount; r++)
                    {
                        leftRows.Add(l);
                        rightRows.Add(r);
                    }
                }
            }

            var pairs = Combine(left, right, leftRows, rightRows);
            if (_condition is null && _kind == JoinKind.Inner && rightMatched is null)
            {
                // Every pair is an output row and no side needs its unmatched rows: no second gather.
                yield return pairs;
                continue;
            }

            var kept = new bool[pairs.RowCount];
            if (_condition is not null && pairs.RowCount > 0)
            {
                var predicate = BatchOps.Evaluate(runtime, _condition, pairs);
                var values = predicate.As<bool>();
                for (var i = 0; i < kept.Length; i++)
                {
                    kept[i] = values[i] && !predicate.IsNull(i);
                }
            }
            else
            {
                Array.Fill(kept, true);
            }

            var leftMatched = new bool[left.RowCount];
            var output = new List<int>();
            for (var i = 0; i < kept.Length; i++)
            {
                if (kept[i])
                {
                    output.Add(i);
                    leftMatched[leftRows[i]] = true;
                    if (rightMatched is not null)
                    {
                        rightMatched[rightRows[i]] = true;
                    }
                }
            }

            yield return BatchOps.Gather(pairs, output.ToArray());
            if (_kind is JoinKind.Left or JoinKind.Full)
            {
                var unmatched = Enumerable.Range(0, left.RowCount).Where(l => !leftMatched[l]).ToArray();
                if (unmatched.Length > 0)
                {
                    yield return PadRight(BatchOps.Gather(left, unmatched), right, leftWidth);
                }
            }
        }

        if (rightMatched is not null)
        {
            var unmatched = Enumerable.Range(0, right.RowCount).Where(r => !rightMatched[r]).ToArray();
            if (unmatched.Length > 0)
            {
                var rows = BatchOps.Gather(right, unmatched);
                var columns = Left.Columns.Select(c => ColumnVector.Repeat(c.Type, null, rows.RowCount)).Concat(rows.Columns).ToArray();
                yield return new ResultBatch(columns, rows.RowCount);
            }
        }
    }

    /// <summary>
    /// The build side with its text columns of few distinct values dictionary-coded (columns already coded, or with
    /// many distinct values, stay as they are): gathering a probe's matches then copies codes, and an aggregate
    /// grouping on such a column (a dimension's region or name) maps one code per row instead of hashing a string.
    /// </summary>
    internal static ResultBatch CodeText(ResultBatch batch)
    {
        ColumnVector[]? columns = null;
        for (var c = 0; c < batch.Columns.Count; c++)
        {
            var column = batch.Columns[c];
            if (column.IsAbsent || column.DictionaryCodes is not null || column.Type.Category != SqlTypeCategory.String || column.Values is not string?[] strings)
            {
                continue;
            }

            if (TryCode(strings, column.Nulls, batch.RowCount) is { } coded)
            {
                columns ??= [.. batch.Columns];
                columns[c] = ColumnVector.Coded(column.Type, coded.Codes, coded.Dictionary, column.Nulls);
            }
        }

        return columns is null ? batch : new ResultBatch(columns, batch.RowCount);
    }

    private static (int[] Codes, string[] Dictionary)? TryCode(string?[] strings, bool[]? nulls, int count)
    {
        // Past a quarter of the rows distinct, codes save little over the strings themselves.
        var limit = Math.Max(16, count / 4);
        var codes = new int[count];
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<string>();
        for (var r = 0; r < count; r++)
        {
            if ((nulls is not null && nulls[r]) || strings[r] is not { } value)
            {
                continue;
            }

            ref var code = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(lookup, value, out var exists);
            if (!exists)
            {
                if (values.Count == limit)
                {
                    return null;
                }

                code = values.Count;
                values.Add(value);
            }

            codes[r] = code;
        }

        return values.Count == 0 ? null : (codes, [.. values]);
    }

    private static Dictionary<TKey, List<int>> BuildTyped<TKey>(ColumnVector column, int count)
        where TKey : notnull
    {
        var values = column.As<TKey>();
        var table = new Dictionary<TKey, List<int>>();
        for (var r = 0; r < count; r++)
        {
            if (column.IsNull(r))
            {
                continue;
            }

            ref var rows = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, values[r], out _);
            (rows ??= []).Add(r);
        }

        return table;
    }

    private static void ProbeTyped<TKey>(Dictionary<TKey, List<int>> table, ColumnVector column, int count, List<int> leftRows, List<int> rightRows)
        where TKey : notnull
    {
        if (column.Values is not TKey[] values)
        {
            throw new SqlException(SqlState.InternalError, "join key columns differ in representation");
        }

        for (var l = 0; l < count; l++)
        {
            if (!column.IsNull(l) && table.TryGetValue(values[l], out var matches))
            {
                foreach (var r in matches)
                {
                    leftRows.Add(l);
                    rightRows.Add(r);
                }
            }
        }
    }

    private static object?[]? KeyOf(ColumnVector[] columns, int row)
    {
        var key = new object?[columns.Length];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = columns[k].GetValue(row);
            if (key[k] is null)
            {
                // NULL never equals anything in a join key.
                return null;
            }
        }

        return key;
    }

    private ResultBatch Combine(ResultBatch left, ResultBatch right, List<int> leftRows, List<int> rightRows)
    {
        var leftSpan = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(leftRows);
        var rightSpan = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rightRows);
        var width = left.Columns.Count;
        var columns = new ColumnVector[width + right.Columns.Count];
        var absent = _absent;
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = absent?[c] ?? (c < width ? left.Columns[c].Gather(leftSpan) : right.Columns[c - width].Gather(rightSpan));
        }

        return new ResultBatch(columns, leftRows.Count);
    }

    private ResultBatch PadRight(ResultBatch left, ResultBatch right, int leftWidth)
    {
        _ = leftWidth;
        var columns = left.Columns.Concat(Right.Columns.Select((c, i) => ColumnVector.Repeat(right.Columns.Count > i ? right.Columns[i].Type : c.Type, null, left.RowCount))).ToArray();
        return new ResultBatch(columns, left.RowCount);
    }
}
