using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Keeps the first row of each distinct key (DISTINCT over the key columns; DISTINCT ON when the input is sorted).</summary>
internal sealed class DistinctNode : PlanNode
{
    private readonly IReadOnlyList<int> _keys;

    public DistinctNode(PlanNode input, IReadOnlyList<int> keys)
        : base(input.Columns)
    {
        Input = input;
        _keys = keys;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "HashAggregate (distinct)";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var seen = new HashSet<object?[]>(RowComparer.Instance);
        foreach (var batch in Input.Run(runtime))
        {
            var keep = new List<int>();
            for (var r = 0; r < batch.RowCount; r++)
            {
                var key = new object?[_keys.Count];
                for (var k = 0; k < key.Length; k++)
                {
                    key[k] = batch.Columns[_keys[k]].GetValue(r);
                }

                if (seen.Add(key))
                {
                    keep.Add(r);
                }
            }

            runtime.Reserve(keep.Count * 16L * _keys.Count);
            yield return BatchOps.Gather(batch, keep.ToArray());
        }
    }
}
