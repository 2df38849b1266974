using System.Collections.Frozen;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// The standard PromQL function table (Prometheus 3.x). Functions Prometheus gates behind
/// <c>--enable-feature=promql-experimental-functions</c> are marked <see cref="FunctionInfo.Experimental"/>.
/// </summary>
public static class PromQLFunctions
{
    private const PromQLValueType S = PromQLValueType.Scalar;
    private const PromQLValueType V = PromQLValueType.Vector;
    private const PromQLValueType M = PromQLValueType.Matrix;
    private const PromQLValueType Str = PromQLValueType.String;

    private static readonly FrozenDictionary<string, FunctionInfo> Table = Build().ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>All functions, by name.</summary>
    public static IReadOnlyDictionary<string, FunctionInfo> All => Table;

    /// <summary>Looks up a function by its exact (case-sensitive) name.</summary>
    public static bool TryGet(string name, out FunctionInfo function)
    {
        var found = Table.TryGetValue(name, out var f);
        function = f!;
        return found;
    }

    private static List<FunctionInfo> Build()
    {
        var list = new List<FunctionInfo>();
        void Add(string name, PromQLValueType ret, PromQLValueType[] args, int variadic = 0, bool experimental = false) =>
            list.Add(new FunctionInfo(name, args, variadic, ret, experimental));

        // Element-wise math on instant vectors.
        foreach (var name in new[]
                 {
                     "abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "deg", "rad",
                     "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                     "absent", "sort", "sort_desc", "timestamp",
                     "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar",
                 })
        {
            Add(name, V, [V]);
        }

        // Functions over a range of samples.
        foreach (var name in new[]
                 {
                     "rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes",
                     "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                     "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time",
                 })
        {
            Add(name, V, [M]);
        }

        foreach (var name in new[]
                 {
                     "mad_over_time", "first_over_time", "ts_of_min_over_time", "ts_of_max_over_time",
                     "ts_of_last_over_time", "ts_of_first_over_time",
                 })
        {
            Add(name, V, [M], experimental: true);
        }

        // Date functions default to vector(time()) when called without an argument.
        foreach (var name in new[] { "minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year" })
        {
            Add(name, V, [V], variadic: 1);
        }

        Add("quantile_over_time", V, [S, M]);
        Add("predict_linear", V, [M, S]);
        Add("double_exponential_smoothing", V, [M, S, S], experimental: true);
        Add("histogram_quantile", V, [S, V]);
        // One to ten quantiles after the vector and the output label name.
        Add("histogram_quantiles", V, [V, Str, S, S], variadic: 9, experimental: true);
        Add("integral", V, [M, S], variadic: 1, experimental: true);
        Add("histogram_fraction", V, [S, S, V]);
        Add("label_replace", V, [V, Str, Str, Str, Str]);
        Add("label_join", V, [V, Str, Str, Str], variadic: -1);
        Add("sort_by_label", V, [V, Str], variadic: -1, experimental: true);
        Add("sort_by_label_desc", V, [V, Str], variadic: -1, experimental: true);
        Add("clamp", V, [V, S, S]);
        Add("clamp_min", V, [V, S]);
        Add("clamp_max", V, [V, S]);
        Add("round", V, [V, S], variadic: 1);
        Add("scalar", S, [V]);
        Add("vector", V, [S]);
        Add("time", S, []);
        Add("pi", S, []);
        Add("info", V, [V, V], variadic: 1, experimental: true);
        Add("start_timestamp", V, [V], experimental: true);

        // Query-bound functions; in ranges and offsets step() and range() are duration expressions instead.
        Add("start", S, [], experimental: true);
        Add("end", S, [], experimental: true);
        Add("step", S, [], experimental: true);
        Add("range", S, [], experimental: true);
        Add("min_of", S, [S, S], experimental: true);
        Add("max_of", S, [S, S], experimental: true);
        return list;
    }
}
