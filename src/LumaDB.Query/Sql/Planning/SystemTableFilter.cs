namespace LumaDB.Query.Sql.Planning;

/// <summary>The comparison a <see cref="ColumnFilter"/> makes.</summary>
public enum ColumnFilterOp
{
    /// <summary><c>column = value</c></summary>
    Equal,

    /// <summary><c>column &lt;&gt; value</c></summary>
    NotEqual,

    /// <summary><c>column ~ pattern</c> (unanchored, as in SQL)</summary>
    Regex,

    /// <summary><c>column !~ pattern</c></summary>
    NotRegex,

    /// <summary><c>column IN (values)</c></summary>
    In,
}

/// <summary>One simple predicate on a text column, with its values already evaluated.</summary>
/// <param name="Column">The column name as the table declares it.</param>
/// <param name="Op">The comparison.</param>
/// <param name="Values">One value (or pattern); several for <see cref="ColumnFilterOp.In"/>.</param>
/// <param name="IgnoreCase">For the regex operators: <c>~*</c> and <c>!~*</c>.</param>
public sealed record ColumnFilter(string Column, ColumnFilterOp Op, IReadOnlyList<string> Values, bool IgnoreCase = false);

/// <summary>
/// What the planner could derive from a scan's WHERE clause for a <see cref="IFilteredRowSource"/>: text column
/// predicates and a time range. It may only narrow the rows; the query still applies the whole predicate.
/// </summary>
/// <param name="Columns">Predicates on text columns, all of which a row must pass.</param>
/// <param name="FromMicros">Lowest time (inclusive, microseconds since the epoch) a row can have; null: unbounded.</param>
/// <param name="ToMicros">Highest time (inclusive); null: unbounded.</param>
public sealed record SystemTableFilter(IReadOnlyList<ColumnFilter> Columns, long? FromMicros, long? ToMicros)
{
    /// <summary>No filter.</summary>
    public static SystemTableFilter None { get; } = new([], null, null);
}
