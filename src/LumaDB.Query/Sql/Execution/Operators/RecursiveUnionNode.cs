using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>WITH RECURSIVE: runs the anchor, then the recursive term over the previous round's rows until it yields none.</summary>
internal sealed class RecursiveUnionNode : PlanNode
{
    private readonly bool _all;

    public RecursiveUnionNode(PlanNode anchor, IReadOnlyList<PlanColumn> columns, bool all, WorkTableNode workTable)
        : base(columns)
    {
        Anchor = anchor;
        _all = all;
        WorkTable = workTable;
    }

    public PlanNode Anchor { get; }

    /// <summary>The recursive term; set after planning it (it refers to <see cref="WorkTable"/>).</summary>
    public PlanNode? Recursive { get; set; }

    public WorkTableNode WorkTable { get; }

    public override IEnumerable<PlanNode> Children => Recursive is null ? [Anchor] : [Anchor, Recursive];

    public override string Label => "Recursive Union";

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var seen = _all ? null : new HashSet<object?[]>(RowComparer.Instance);
        var current = Dedupe(Anchor.Run(runtime).ToList(), seen);
        var iterations = 0;
        while (current.Count > 0)
        {
            foreach (var batch in current)
            {
                runtime.Reserve(QueryRuntime.SizeOf(batch));
                yield return batch;
            }

            if (++iterations > 1_000_000)
            {
                throw new SqlException(SqlState.InternalError, "recursive query did not terminate");
            }

            runtime.WorkingTables[WorkTable] = current;
            current = Dedupe(Recursive!.Run(runtime).ToList(), seen);
        }
    }

    private static List<ResultBatch> Dedupe(List<ResultBatch> batches, HashSet<object?[]>? seen)
    {
        if (seen is null)
        {
            return batches;
        }

        var result = new List<ResultBatch>();
        foreach (var batch in batches)
        {
            var keep = new List<int>();
            for (var r = 0; r < batch.RowCount; r++)
            {
                if (seen.Add(BatchOps.Row(batch, r)))
                {
                    keep.Add(r);
                }
            }

            if (keep.Count > 0)
            {
                result.Add(BatchOps.Gather(batch, keep.ToArray()));
            }
        }

        return result;
    }
}
