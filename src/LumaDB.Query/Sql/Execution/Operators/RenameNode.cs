using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>A subquery in FROM: its input under new column names (the alias).</summary>
internal sealed class RenameNode : PlanNode
{
    private readonly string _alias;

    public RenameNode(PlanNode input, IReadOnlyList<PlanColumn> columns, string alias)
        : base(columns)
    {
        Input = input;
        _alias = alias;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => $"Subquery Scan on {_alias}";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime) => Input.Run(runtime);
}
