using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>LIMIT / OFFSET; the counts are expressions (constants or parameters) evaluated per run.</summary>
internal sealed class LimitNode : PlanNode
{
    private readonly BoundExpression? _limit;
    private readonly BoundExpression? _offset;

    public LimitNode(PlanNode input, BoundExpression? limit, BoundExpression? offset)
        : base(input.Columns)
    {
        Input = input;
        _limit = limit;
        _offset = offset;
    }

    public PlanNode Input { get; }

    public override IEnumerable<PlanNode> Children => [Input];

    public override string Label => "Limit";

    /// <summary>Evaluates a LIMIT/OFFSET count; null means no limit.</summary>
    public static long? Count(QueryRuntime runtime, BoundExpression? expression, bool isOffset)
    {
        if (expression is null)
        {
            return null;
        }

        var value = BatchOps.Evaluate(runtime, expression, new ResultBatch([], 1)).GetValue(0);
        if (value is null)
        {
            return null;
        }

        var count = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        if (count < 0)
        {
            throw isOffset
                ? new SqlException(SqlState.InvalidRowCountInOffset, "OFFSET must not be negative")
                : new SqlException(SqlState.InvalidRowCountInLimit, "LIMIT must not be negative");
        }

        return count;
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var remaining = Count(runtime, _limit, false) ?? long.MaxValue;
        var skip = Count(runtime, _offset, true) ?? 0;
        if (remaining == 0)
        {
            yield break;
        }

        foreach (var batch in Input.Run(runtime))
        {
            var start = (int)Math.Min(skip, batch.RowCount);
            skip -= start;
            var take = (int)Math.Min(remaining, batch.RowCount - start);
            if (take > 0)
            {
                yield return BatchOps.Slice(batch, start, take);
                remaining -= take;
            }

            if (remaining == 0)
            {
                yield break;
            }
        }
    }
}
