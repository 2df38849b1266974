using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Keeps rows where the predicate is true.</summary>
internal sealed class FilterNode : PlanNode
{
    public FilterNode(PlanNode input, BoundExpression predicate, string text)
        : base(input.Columns)
    {
        Input = input;
        Predicate = predicate;
        Text = text;
    }

    public PlanNode Input { get; }

    public BoundExpression Predicate { get; }

    public string Text { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "Filter";

    public override IEnumerable<string> Details => [$"Filter: {Text}"];

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        foreach (var batch in Input.Run(runtime))
        {
            yield return BatchOps.Filter(batch, BatchOps.Evaluate(runtime, Predicate, batch));
        }
    }

    /// <summary>EXPLAIN text of a predicate.</summary>
    public static string Describe(Expression expression) => SqlFormatter.Format(expression);
}
