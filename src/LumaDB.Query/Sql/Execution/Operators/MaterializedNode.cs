using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>A CTE: computed once per statement execution and then read by every reference.</summary>
internal sealed class MaterializedNode : PlanNode
{
    private readonly string _name;

    public MaterializedNode(PlanNode input, IReadOnlyList<PlanColumn> columns, string name)
        : base(columns)
    {
        Input = input;
        _name = name;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => $"CTE Scan on {_name}";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        if (!runtime.Cache.TryGetValue(Input, out var cached))
        {
            cached = Input.Run(runtime).ToList();
            runtime.Cache[Input] = cached;
        }

        return (List<ResultBatch>)cached;
    }
}
