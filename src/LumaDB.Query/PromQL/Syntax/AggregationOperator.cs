namespace LumaDB.Query.PromQL.Syntax;

/// <summary>PromQL aggregation operators.</summary>
public enum AggregationOperator
{
    /// <summary><c>sum</c></summary>
    Sum,
    /// <summary><c>min</c></summary>
    Min,
    /// <summary><c>max</c></summary>
    Max,
    /// <summary><c>avg</c></summary>
    Avg,
    /// <summary><c>group</c></summary>
    Group,
    /// <summary><c>stddev</c></summary>
    Stddev,
    /// <summary><c>stdvar</c></summary>
    Stdvar,
    /// <summary><c>count</c></summary>
    Count,
    /// <summary><c>count_values</c> (string parameter)</summary>
    CountValues,
    /// <summary><c>bottomk</c></summary>
    Bottomk,
    /// <summary><c>topk</c></summary>
    Topk,
    /// <summary><c>quantile</c></summary>
    Quantile,
    /// <summary><c>limitk</c> (experimental in Prometheus)</summary>
    Limitk,
    /// <summary><c>limit_ratio</c> (experimental in Prometheus)</summary>
    LimitRatio,
}

/// <summary>Facts about aggregation operators.</summary>
public static class AggregationOperatorFacts
{
    /// <summary>The operator's keyword.</summary>
    public static string Keyword(this AggregationOperator op) => op switch
    {
        AggregationOperator.Sum => "sum",
        AggregationOperator.Min => "min",
        AggregationOperator.Max => "max",
        AggregationOperator.Avg => "avg",
        AggregationOperator.Group => "group",
        AggregationOperator.Stddev => "stddev",
        AggregationOperator.Stdvar => "stdvar",
        AggregationOperator.Count => "count",
        AggregationOperator.CountValues => "count_values",
        AggregationOperator.Bottomk => "bottomk",
        AggregationOperator.Topk => "topk",
        AggregationOperator.Quantile => "quantile",
        AggregationOperator.Limitk => "limitk",
        AggregationOperator.LimitRatio => "limit_ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Whether the operator takes a leading parameter (<c>topk(3, x)</c>).</summary>
    public static bool HasParameter(this AggregationOperator op) =>
        op is AggregationOperator.CountValues or AggregationOperator.Bottomk or AggregationOperator.Topk
            or AggregationOperator.Quantile or AggregationOperator.Limitk or AggregationOperator.LimitRatio;

    /// <summary>Whether Prometheus gates the operator behind <c>--enable-feature=promql-experimental-functions</c>.</summary>
    public static bool IsExperimental(this AggregationOperator op) =>
        op is AggregationOperator.Limitk or AggregationOperator.LimitRatio;

    /// <summary>Looks up an operator by keyword, case-insensitively as the lexer does.</summary>
    public static bool TryParse(string keyword, out AggregationOperator op)
    {
        foreach (var candidate in Enum.GetValues<AggregationOperator>())
        {
            if (string.Equals(candidate.Keyword(), keyword, StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }

        op = default;
        return false;
    }
}
