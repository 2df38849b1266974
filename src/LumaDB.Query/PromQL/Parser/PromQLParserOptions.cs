namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// Parser switches mirroring Prometheus's feature flags. The defaults enable everything, as Prometheus's
/// own test engine does; a server that wants stock Prometheus behaviour turns the experimental parts off.
/// </summary>
public sealed record PromQLParserOptions
{
    /// <summary>Everything enabled, types checked.</summary>
    public static PromQLParserOptions Default { get; } = new();

    /// <summary>Run the static type checks after parsing (on by default).</summary>
    public bool CheckTypes { get; init; } = true;

    /// <summary>Experimental functions and the limitk/limit_ratio aggregations (<c>promql-experimental-functions</c>).</summary>
    public bool EnableExperimentalFunctions { get; init; } = true;

    /// <summary>Arithmetic, step(), range(), min_of(), max_of() in ranges and offsets (<c>promql-duration-expr</c>).</summary>
    public bool EnableDurationExpressions { get; init; } = true;

    /// <summary>The <c>anchored</c> and <c>smoothed</c> range modifiers (<c>promql-extended-range-selectors</c>).</summary>
    public bool EnableExtendedRangeSelectors { get; init; } = true;

    /// <summary>The binary <c>fill()</c>, <c>fill_left()</c>, <c>fill_right()</c> modifiers (<c>promql-binop-fill-modifiers</c>).</summary>
    public bool EnableFillModifiers { get; init; } = true;
}
