using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>The previous round's rows of a recursive CTE, as its recursive term reads them.</summary>
internal sealed class WorkTableNode : PlanNode
{
    private readonly string _name;

    public WorkTableNode(IReadOnlyList<PlanColumn> columns, string name)
        : base(columns) => _name = name;

    public override string Label => $"WorkTable Scan on {_name}";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime) =>
        runtime.WorkingTables.TryGetValue(this, out var rows) ? rows : [];
}
