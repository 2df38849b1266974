using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>One window function call: function, arguments, PARTITION BY, ORDER BY and frame, all over the window node's input.</summary>
internal sealed record WindowFunction(
    string Name,
    IReadOnlyList<BoundExpression> Arguments,
    IReadOnlyList<BoundExpression> PartitionBy,
    IReadOnlyList<(BoundExpression Expression, bool Descending, bool NullsFirst)> OrderBy,
    WindowFrame? Frame,
    AggregateSpec? Aggregate,
    SqlType Type,
    string Text)
{
    /// <summary>Window-only functions (everything else must be an aggregate).</summary>
    public static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
    };
}
