using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// <c>LATERAL (subquery)</c>: the subquery runs once per left row with that row as its outer row (as a correlated
/// subquery does) and each of its rows joins the left row; for LEFT JOIN LATERAL a left row it gives no rows for
/// keeps nulls, and its ON condition (over the joined row) decides which right rows match. The right rows of one
/// left row are collected before any is passed on, so the outer row is pushed only while the subquery runs, never
/// while operators above evaluate.
/// </summary>
internal sealed class LateralJoinNode : PlanNode
{
    private readonly bool _keepUnmatched;
    private readonly BoundExpression? _condition;

    public LateralJoinNode(PlanNode left, PlanNode right, IReadOnlyList<PlanColumn> columns, bool keepUnmatched, BoundExpression? condition = null)
        : base(columns)
    {
        Left = left;
        Right = right;
        _keepUnmatched = keepUnmatched;
        _condition = condition;
    }

    public PlanNode Left { get; }

    public PlanNode Right { get; }

    public override IEnumerable<PlanNode> Children => [Left, Right];

    public override string Label => _keepUnmatched ? "Nested Loop Left Join (lateral)" : "Nested Loop (lateral)";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime) => BatchOps.InBatches(runtime, Columns, Rows(runtime));

    private IEnumerable<object?[]> Rows(QueryRuntime runtime)
    {
        var leftWidth = Left.Columns.Count;
        foreach (var batch in Left.Run(runtime))
        {
            for (var row = 0; row < batch.RowCount; row++)
            {
                var outer = BatchOps.Row(batch, row);
                List<ResultBatch> right;
                runtime.OuterRows.Add(outer);
                try
                {
                    right = Right.Run(runtime).ToList();
                }
                finally
                {
                    runtime.OuterRows.RemoveAt(runtime.OuterRows.Count - 1);
                }

                var joined = new List<object?[]>();
                foreach (var rows in right)
                {
                    for (var r = 0; r < rows.RowCount; r++)
                    {
                        var output = new object?[Columns.Count];
                        Array.Copy(outer, output, leftWidth);
                        for (var c = 0; c < rows.Columns.Count; c++)
                        {
                            output[leftWidth + c] = rows.Columns[c].GetValue(r);
                        }

                        joined.Add(output);
                    }
                }

                if (_condition is not null && joined.Count > 0)
                {
                    var matches = BatchOps.Evaluate(runtime, _condition, BatchOps.FromRows(Columns, joined));
                    joined = [.. joined.Where((_, i) => matches.GetValue(i) is true)];
                }

                foreach (var output in joined)
                {
                    yield return output;
                }

                if (joined.Count == 0 && _keepUnmatched)
                {
                    var unmatched = new object?[Columns.Count];
                    Array.Copy(outer, unmatched, leftWidth);
                    yield return unmatched;
                }
            }
        }
    }
}
