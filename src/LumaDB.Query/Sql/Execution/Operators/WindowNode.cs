using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Window functions: materialises its input, and for each function groups rows by PARTITION BY, orders each
/// partition, and computes one value per row (ranking, offsets, or an aggregate over the row's frame). Output
/// is the input columns followed by one column per function, in input order.
/// </summary>
internal sealed class WindowNode : PlanNode
{
    private readonly IReadOnlyList<WindowFunction> _functions;

    public WindowNode(PlanNode input, IReadOnlyList<WindowFunction> functions)
        : base([.. input.Columns, .. functions.Select(f => new PlanColumn(null, f.Name, f.Type))])
    {
        Input = input;
        _functions = functions;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "WindowAgg";

    public override IEnumerable<string> Details => _functions.Select(f => "Window: " + f.Text);

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var input = Input.Materialize(runtime);
        var outputs = new List<ColumnVector>(input.Columns);
        foreach (var function in _functions)
        {
            outputs.Add(Compute(runtime, input, function));
        }

        yield return new ResultBatch(outputs, input.RowCount);
    }

    private static ColumnVector Compute(QueryRuntime runtime, ResultBatch input, WindowFunction function)
    {
        var n = input.RowCount;
        var result = ColumnVector.Allocate(function.Type, n);
        var partitionColumns = function.PartitionBy.Select(p => BatchOps.Evaluate(runtime, p, input)).ToArray();
        var orderColumns = function.OrderBy.Select(o => BatchOps.Evaluate(runtime, o.Expression, input)).ToArray();
        var argColumns = function.Arguments.Select(a => BatchOps.Evaluate(runtime, a, input)).ToArray();
        var aggArgs = function.Aggregate?.Arguments.Select(a => BatchOps.Evaluate(runtime, a, input)).ToArray();

        var partitions = new Dictionary<object?[], List<int>>(RowComparer.Instance);
        for (var r = 0; r < n; r++)
        {
            var key = partitionColumns.Select(c => c.GetValue(r)).ToArray();
            if (!partitions.TryGetValue(key, out var rows))
            {
                rows = [];
                partitions.Add(key, rows);
            }

            rows.Add(r);
        }

        foreach (var rows in partitions.Values)
        {
            var ordered = rows.OrderBy(r => r, Comparer<int>.Create((x, y) => CompareRows(function, orderColumns, x, y))).ToArray();
            for (var i = 0; i < ordered.Length; i++)
            {
                var value = ValueAt(function, ordered, i, orderColumns, argColumns, aggArgs);
                if (value is null)
                {
                    result.SetNull(ordered[i]);
                }
                else
                {
                    result.Values.SetValue(value, ordered[i]);
                }
            }
        }

        return result;
    }

    private static int CompareRows(WindowFunction function, ColumnVector[] order, int x, int y)
    {
        for (var k = 0; k < order.Length; k++)
        {
            var (_, descending, nullsFirst) = function.OrderBy[k];
            var xv = order[k].GetValue(x);
            var yv = order[k].GetValue(y);
            if (xv is null || yv is null)
            {
                if (xv is null && yv is null)
                {
                    continue;
                }

                return (xv is null) == nullsFirst ? -1 : 1;
            }

            var c = RowComparer.CompareValues(xv, yv);
            if (c != 0)
            {
                return descending ? -c : c;
            }
        }

        return 0;
    }

    private static bool Peers(WindowFunction function, ColumnVector[] order, int x, int y) => CompareRows(function, order, x, y) == 0;

    private static object? ValueAt(WindowFunction function, int[] rows, int i, ColumnVector[] order, ColumnVector[] args, ColumnVector[]? aggArgs)
    {
        var row = rows[i];
        switch (function.Name)
        {
            case "row_number":
                return (long)(i + 1);
            case "rank" or "dense_rank" or "percent_rank" or "cume_dist":
                {
                    long rank = 1;
                    long dense = 1;
                    for (var j = 1; j <= i; j++)
                    {
                        if (!Peers(function, order, rows[j - 1], rows[j]))
                        {
                            rank = j + 1;
                            dense++;
                        }
                    }

                    if (function.Name == "rank")
                    {
                        return rank;
                    }

                    if (function.Name == "dense_rank")
                    {
                        return dense;
                    }

                    if (function.Name == "percent_rank")
                    {
                        return rows.Length == 1 ? 0.0 : (double)(rank - 1) / (rows.Length - 1);
                    }

                    var last = i;
                    while (last + 1 < rows.Length && Peers(function, order, rows[last + 1], row))
                    {
                        last++;
                    }

                    return (double)(last + 1) / rows.Length;
                }

            case "ntile":
                {
                    var buckets = Convert.ToInt64(args[0].GetValue(row), System.Globalization.CultureInfo.InvariantCulture);
                    if (buckets <= 0)
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, "argument of ntile must be greater than zero");
                    }

                    var size = rows.Length / buckets;
                    var extra = rows.Length % buckets;
                    var boundary = extra * (size + 1);
                    return i < boundary ? (i / (size + 1)) + 1 : ((i - boundary) / Math.Max(1, size)) + extra + 1;
                }

            case "lag" or "lead":
                {
                    var offset = args.Length > 1 ? Convert.ToInt64(args[1].GetValue(row) ?? 0L, System.Globalization.CultureInfo.InvariantCulture) : 1;
                    var target = function.Name == "lag" ? i - offset : i + offset;
                    if (target < 0 || target >= rows.Length)
                    {
                        return args.Length > 2 ? args[2].GetValue(row) : null;
                    }

                    return args[0].GetValue(rows[target]);
                }
        }

        var (start, end) = FrameOf(function, rows, i, order);
        switch (function.Name)
        {
            case "first_value":
                return start <= end ? args[0].GetValue(rows[start]) : null;
            case "last_value":
                return start <= end ? args[0].GetValue(rows[end]) : null;
            case "nth_value":
                {
                    var nth = Convert.ToInt64(args[1].GetValue(row), System.Globalization.CultureInfo.InvariantCulture);
                    var index = start + nth - 1;
                    return index <= end ? args[0].GetValue(rows[index]) : null;
                }
        }

        var accumulator = Accumulator.Create(function.Aggregate!, []);
        for (var j = start; j <= end; j++)
        {
            var values = aggArgs!.Length == 0 ? new object?[] { null } : aggArgs.Select(a => a.GetValue(rows[j])).ToArray();
            accumulator.Add(values);
        }

        return accumulator.Result();
    }

    /// <summary>First and last index (into the ordered partition) of row <paramref name="i"/>'s frame.</summary>
    private static (int Start, int End) FrameOf(WindowFunction function, int[] rows, int i, ColumnVector[] order)
    {
        var frame = function.Frame;
        if (frame is null)
        {
            if (function.OrderBy.Count == 0)
            {
                return (0, rows.Length - 1);
            }

            // Default: RANGE UNBOUNDED PRECEDING to CURRENT ROW, which includes the current row's peers.
            var last = i;
            while (last + 1 < rows.Length && Peers(function, order, rows[last + 1], rows[i]))
            {
                last++;
            }

            return (0, last);
        }

        var start = Bound(function, frame.Start, rows, i, order, isStart: true);
        var end = frame.End is null ? Bound(function, new FrameBound(FrameBoundKind.CurrentRow, null), rows, i, order, isStart: false) : Bound(function, frame.End, rows, i, order, isStart: false);
        return (Math.Max(0, start), Math.Min(rows.Length - 1, end));
    }

    private static int Bound(WindowFunction function, FrameBound bound, int[] rows, int i, ColumnVector[] order, bool isStart)
    {
        var offset = bound.Offset is IntegerLiteral literal ? (int)literal.Value : 0;
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                return 0;
            case FrameBoundKind.UnboundedFollowing:
                return rows.Length - 1;
            case FrameBoundKind.Preceding when function.Frame!.Unit == FrameUnit.Rows:
                return i - offset;
            case FrameBoundKind.Following when function.Frame!.Unit == FrameUnit.Rows:
                return i + offset;
            default:
                {
                    // CURRENT ROW in RANGE/GROUPS mode means the first (start) or last (end) peer.
                    var j = i;
                    if (isStart)
                    {
                        while (j > 0 && Peers(function, order, rows[j - 1], rows[i]))
                        {
                            j--;
                        }
                    }
                    else
                    {
                        while (j + 1 < rows.Length && Peers(function, order, rows[j + 1], rows[i]))
                        {
                            j++;
                        }
                    }

                    if (function.Frame!.Unit == FrameUnit.Rows)
                    {
                        return i;
                    }

                    return j;
                }
        }
    }
}
