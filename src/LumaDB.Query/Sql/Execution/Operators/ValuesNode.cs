using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>VALUES rows (and the single empty row of SELECT without FROM); expressions may read outer rows.</summary>
internal sealed class ValuesNode : PlanNode
{
    private readonly IReadOnlyList<IReadOnlyList<BoundExpression>> _rows;

    public ValuesNode(IReadOnlyList<PlanColumn> columns, IReadOnlyList<IReadOnlyList<BoundExpression>> rows)
        : base(columns) => _rows = rows;

    public override string Label => _rows.Count == 1 && Columns.Count == 0 ? "Result" : $"Values Scan ({_rows.Count} rows)";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        if (Columns.Count == 0)
        {
            yield return new ResultBatch([], _rows.Count);
            yield break;
        }

        var one = new ResultBatch([], 1);
        var columns = Columns.Select(c => ColumnVector.Allocate(c.Type, _rows.Count)).ToArray();
        for (var r = 0; r < _rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var value = BatchOps.Evaluate(runtime, _rows[r][c], one).GetValue(0);
                if (value is null)
                {
                    columns[c].SetNull(r);
                }
                else
                {
                    columns[c].Values.SetValue(value, r);
                }
            }
        }

        yield return new ResultBatch(columns, _rows.Count);
    }
}
