using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>UNION / INTERSECT / EXCEPT [ALL] over inputs whose columns already share types.</summary>
internal sealed class SetOperationNode : PlanNode
{
    private readonly SetOperator _operator;
    private readonly bool _all;

    public SetOperationNode(PlanNode left, PlanNode right, SetOperator op, bool all, IReadOnlyList<PlanColumn> columns)
        : base(columns)
    {
        Left = left;
        Right = right;
        _operator = op;
        _all = all;
    }

    public PlanNode Left { get; }

    public PlanNode Right { get; }

    public override IEnumerable<PlanNode> Children => [Left, Right];

    public override string Label => (_operator switch
    {
        SetOperator.Union => _all ? "Append" : "HashSetOp Union",
        SetOperator.Intersect => "HashSetOp Intersect",
        _ => "HashSetOp Except",
    }) + (_all && _operator != SetOperator.Union ? " All" : string.Empty);

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        if (_operator == SetOperator.Union)
        {
            var seen = _all ? null : new HashSet<object?[]>(RowComparer.Instance);
            foreach (var input in new[] { Left, Right })
            {
                foreach (var batch in input.Run(runtime))
                {
                    var relabeled = new ResultBatch(batch.Columns, batch.RowCount);
                    if (seen is null)
                    {
                        yield return relabeled;
                        continue;
                    }

                    var keep = new List<int>();
                    for (var r = 0; r < batch.RowCount; r++)
                    {
                        if (seen.Add(BatchOps.Row(batch, r)))
                        {
                            keep.Add(r);
                        }
                    }

                    runtime.Reserve(keep.Count * 16L * Columns.Count);
                    yield return BatchOps.Gather(batch, keep.ToArray());
                }
            }

            yield break;
        }

        // Count the right side's rows, then stream the left side against the counts.
        var counts = new Dictionary<object?[], int>(RowComparer.Instance);
        foreach (var batch in Right.Run(runtime))
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                var row = BatchOps.Row(batch, r);
                counts[row] = counts.GetValueOrDefault(row) + 1;
            }

            runtime.Reserve(QueryRuntime.SizeOf(batch));
        }

        var emitted = new HashSet<object?[]>(RowComparer.Instance);
        var output = new List<object?[]>();
        foreach (var batch in Left.Run(runtime))
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                var row = BatchOps.Row(batch, r);
                var inRight = counts.TryGetValue(row, out var n) && n > 0;
                if (_operator == SetOperator.Intersect)
                {
                    if (inRight && (_all ? Consume(counts, row) : emitted.Add(row)))
                    {
                        output.Add(row);
                    }
                }
                else if (_all)
                {
                    if (!inRight || !Consume(counts, row))
                    {
                        output.Add(row);
                    }
                }
                else if (!inRight && emitted.Add(row))
                {
                    output.Add(row);
                }
            }
        }

        yield return BatchOps.FromRows(Columns, output);
    }

    private static bool Consume(Dictionary<object?[], int> counts, object?[] row)
    {
        if (counts.TryGetValue(row, out var n) && n > 0)
        {
            counts[row] = n - 1;
            return true;
        }

        return false;
    }
}
