using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// unnest(array[, array...]): one row per element, multidimensional arrays flattened in storage order; with
/// several arrays the rows run to the longest and the shorter ones pad with nulls, as in PostgreSQL.
/// </summary>
internal sealed class UnnestNode : PlanNode
{
    private readonly BoundExpression[] _arrays;
    private readonly bool _withOrdinality;

    public UnnestNode(IReadOnlyList<PlanColumn> columns, BoundExpression[] arrays, bool withOrdinality)
        : base(columns)
    {
        _arrays = arrays;
        _withOrdinality = withOrdinality;
    }

    public override string Label => "Function Scan on unnest";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        var elements = _arrays.Select(a => BatchOps.Evaluate(runtime, a, one).GetValue(0) is object?[] array ? ExpressionEvaluator.Flatten(array).ToList() : []).ToArray();
        return BatchOps.InBatches(runtime, Columns, Rows(elements, elements.Max(e => e.Count)));
    }

    private IEnumerable<object?[]> Rows(List<object?>[] elements, int length)
    {
        for (var i = 0; i < length; i++)
        {
            var row = new object?[Columns.Count];
            for (var c = 0; c < elements.Length; c++)
            {
                row[c] = i < elements[c].Count ? elements[c][i] : null;
            }

            if (_withOrdinality)
            {
                row[^1] = (long)(i + 1);
            }

            yield return row;
        }
    }
}
