using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// One aggregate call: its function name, bound arguments (over the aggregate's input rows), DISTINCT,
/// FILTER, the ordering of ordered-set and ORDER BY aggregates (as input expressions), and result type.
/// </summary>
internal sealed record AggregateSpec(
    string Name,
    IReadOnlyList<BoundExpression> Arguments,
    bool Distinct,
    BoundExpression? Filter,
    IReadOnlyList<(BoundExpression Expression, bool Descending, bool NullsFirst)> OrderBy,
    IReadOnlyList<BoundExpression> Direct,
    SqlType Type,
    string Text)
{
    /// <summary>Names of the aggregate functions the planner recognises.</summary>
    public static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "count", "sum", "avg", "min", "max", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
        "string_agg", "array_agg", "bool_and", "bool_or", "every", "percentile_cont", "percentile_disc",
        "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "bit_and", "bit_or", "bit_xor", "mode",
        "corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
        "regr_slope", "regr_sxx", "regr_sxy", "regr_syy",
    };

    /// <summary>The result type PostgreSQL gives <paramref name="name"/> over <paramref name="argumentType"/>.</summary>
    public static SqlType ResultType(string name, SqlType? argumentType)
    {
        var kind = argumentType?.Kind ?? SqlTypeKind.Unknown;
        switch (name)
        {
            case "count":
                return SqlType.Int8;
            case "sum":
                return kind switch
                {
                    SqlTypeKind.Int2 or SqlTypeKind.Int4 => SqlType.Int8,
                    SqlTypeKind.Int8 or SqlTypeKind.Numeric => SqlType.Numeric,
                    SqlTypeKind.Float4 => SqlType.Float4,
                    SqlTypeKind.Float8 => SqlType.Float8,
                    SqlTypeKind.Interval => SqlType.Interval,
                    _ => throw NoFunction(name, argumentType),
                };
            case "avg":
            case "stddev" or "stddev_samp" or "stddev_pop" or "variance" or "var_samp" or "var_pop":
                return kind switch
                {
                    SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Numeric => SqlType.Numeric,
                    SqlTypeKind.Float4 or SqlTypeKind.Float8 => SqlType.Float8,
                    SqlTypeKind.Interval when name == "avg" => SqlType.Interval,
                    _ => throw NoFunction(name, argumentType),
                };
            case "min" or "max":
                return argumentType is null || kind == SqlTypeKind.Unknown ? SqlType.Text : argumentType;
            case "string_agg":
                return SqlType.Text;
            case "array_agg":
                return SqlType.ArrayOf(argumentType is null || kind == SqlTypeKind.Unknown ? SqlType.Text : argumentType);
            case "bool_and" or "bool_or" or "every":
                return SqlType.Boolean;
            case "percentile_cont":
                return kind == SqlTypeKind.Interval ? SqlType.Interval : SqlType.Float8;
            case "percentile_disc":
                return argumentType ?? SqlType.Text;
            case "bit_and" or "bit_or" or "bit_xor":
                return kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 ? argumentType! : throw NoFunction(name, argumentType);
            case "mode":
                return argumentType is null || kind == SqlTypeKind.Unknown ? SqlType.Text : argumentType;
            case "regr_count":
                return SqlType.Int8;
            case "corr" or "covar_pop" or "covar_samp" or "regr_avgx" or "regr_avgy" or "regr_intercept" or "regr_r2"
                or "regr_slope" or "regr_sxx" or "regr_sxy" or "regr_syy":
                return SqlType.Float8;
            case "json_agg" or "json_object_agg":
                return SqlType.Json;
            case "jsonb_agg" or "jsonb_object_agg":
                return SqlType.Jsonb;
            default:
                throw NoFunction(name, argumentType);
        }
    }

    private static SqlException NoFunction(string name, SqlType? type) =>
        new(SqlState.UndefinedFunction, $"function {name}({type?.DisplayName}) does not exist", "No function matches the given name and argument types. You might need to add explicit type casts.");
}
