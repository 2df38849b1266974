using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Computes output columns from input columns.</summary>
internal sealed class ProjectNode : PlanNode
{
    private readonly IReadOnlyList<BoundExpression> _expressions;

    public ProjectNode(PlanNode input, IReadOnlyList<PlanColumn> columns, IReadOnlyList<BoundExpression> expressions)
        : base(columns)
    {
        Input = input;
        _expressions = expressions;
    }

    public PlanNode Input { get; }

    /// <summary>The output expressions, one per output column.</summary>
    public IReadOnlyList<BoundExpression> Expressions => _expressions;

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "Project";

    public override IEnumerable<string> Details => [$"Output: {string.Join(", ", Columns.Select(c => c.Name))}"];

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        foreach (var batch in Input.Run(runtime))
        {
            var columns = new ColumnVector[_expressions.Count];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = _expressions[i] is BoundColumn column && batch.Columns[column.Ordinal].Type == column.Type
                    ? batch.Columns[column.Ordinal]
                    : BatchOps.Evaluate(runtime, _expressions[i], batch);
            }

            yield return new ResultBatch(columns, batch.RowCount);
        }
    }
}
