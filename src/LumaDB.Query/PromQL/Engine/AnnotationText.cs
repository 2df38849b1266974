using System.Globalization;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// The texts of the annotations Prometheus returns, word for word (clients and dashboards match on them), without
/// the <c>PromQL warning:</c>/<c>PromQL info:</c> prefix that <see cref="AnnotationSet"/> adds.
/// </summary>
internal static class AnnotationText
{
    private const string CounterSuffixes = "_total/_sum/_count/_bucket";

    public static string PossibleNonCounter(string metricName) =>
        $"metric might not be a counter, name does not end in {CounterSuffixes}: {GoText.Quote(metricName)}";

    public static string PossibleNonCounterType(string metricName, string typeLabel) =>
        $"metric might not be a counter, __type__ label is not set to \"counter\" or \"histogram\", got {GoText.Quote(typeLabel)}: {GoText.Quote(metricName)}";

    public static string InvalidQuantile(double q) => "quantile value should be between 0 and 1, got " + FormatG(q);

    public static string InvalidRatio(double ratio, double capped) =>
        $"ratio value should be between -1 and 1, got {FormatG(ratio)}, capping to {FormatG(capped)}";

    public static string BadBucketLabel(string metricName, string le) =>
        WithMetricName($"bucket label \"le\" is missing or has a malformed value of {GoText.Quote(le)}", metricName);

    public static string MixedFloatsHistograms(string metricName) =>
        $"encountered a mix of histograms and floats for metric name {GoText.Quote(metricName)}";

    public const string MixedFloatsHistogramsInAggregation = "encountered a mix of histograms and floats for aggregation";

    public static string MixedClassicNativeHistograms(string metricName) =>
        WithMetricName("vector contains a mix of classic and native histograms", metricName);

    public static string NotCounter(string metricName) => "this native histogram metric is not a counter: " + GoText.Quote(metricName);

    public static string NotGauge(string metricName) => "this native histogram metric is not a gauge: " + GoText.Quote(metricName);

    public static string MixedExponentialCustom(string metricName) =>
        "vector contains a mix of histograms with exponential and custom buckets schemas for metric name " + GoText.Quote(metricName);

    public static string IncompatibleTypesInBinaryOperator(string left, string op, string right) =>
        $"incompatible sample types encountered for binary operator {GoText.Quote(op)}: {left} {op} {right}";

    public static string IncompatibleBucketLayoutInBinaryOperator(string op) => "incompatible bucket layout encountered for binary operator " + op;

    public static string HistogramIgnoredInAggregation(string aggregation) => $"ignored histogram in {aggregation} aggregation";

    public static string HistogramIgnoredInMixedRange(string metricName) =>
        "ignored histograms in a range containing both floats and histograms for metric name " + GoText.Quote(metricName);

    public static string QuantileNaNResult(string metricName) =>
        WithMetricName("input to histogram_quantile has NaN observations, result is NaN", metricName);

    public static string QuantileNaNSkew(string metricName) =>
        WithMetricName("input to histogram_quantile has NaN observations, result is skewed higher", metricName);

    public static string FractionNaNs(string metricName) =>
        WithMetricName("input to histogram_fraction has NaN observations, which are excluded from all fractions", metricName);

    public static string ForcedMonotonicity(string metricName) =>
        WithMetricName("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)", metricName);

    /// <summary><paramref name="operation"/>: aggregation, addition or subtraction.</summary>
    public static string MismatchedCustomBuckets(string operation) => "mismatched custom buckets were reconciled during " + operation;

    /// <summary><paramref name="operation"/>: aggregation, addition or subtraction.</summary>
    public static string CounterResetCollision(string operation) => "conflicting counter resets during histogram " + operation;

    public const string SortInRangeQuery = "sort is ineffective for range queries since results are always ordered by labels";

    private static string WithMetricName(string text, string metricName) =>
        metricName.Length == 0 ? text : $"{text} for metric name {GoText.Quote(metricName)}";

    /// <summary>Go's <c>%g</c> for a float64: shortest digits, exponent form below 1e-4 and from 1e21.</summary>
    internal static string FormatG(double value)
    {
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e < 0 || !double.IsFinite(value))
        {
            return GoText.FormatFloat(value);
        }

        // .NET switches to the exponent form sooner (below 1e-5, from 1e15) than Go's %g: only the mantissa and
        // exponent are taken from it.
        var exponent = int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return exponent is >= -4 and < 21
            ? GoText.FormatFloat(value)
            : string.Create(CultureInfo.InvariantCulture, $"{shortest[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}");
    }
}
