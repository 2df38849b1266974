using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// A set-returning function in FROM without a node of its own (regexp_matches, regexp_split_to_table,
/// string_to_table): one row per value, numbered from 1 WITH ORDINALITY.
/// </summary>
internal sealed class SetFunctionScanNode : PlanNode
{
    private readonly SetFunctionCall _call;
    private readonly bool _withOrdinality;

    public SetFunctionScanNode(IReadOnlyList<PlanColumn> columns, SetFunctionCall call, bool withOrdinality)
        : base(columns)
    {
        _call = call;
        _withOrdinality = withOrdinality;
    }

    public override string Label => "Function Scan on " + _call.Name;

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        var arguments = _call.Arguments.Select(a => BatchOps.Evaluate(runtime, a, one).GetValue(0)).ToArray();
        var ordinal = 0L;
        return BatchOps.InBatches(runtime, Columns, _call.Expand(arguments).Select(value => _withOrdinality ? [value, ++ordinal] : new[] { value }));
    }
}
