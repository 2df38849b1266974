using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>One sample of an instant-vector result.</summary>
/// <param name="Labels">The series labels.</param>
/// <param name="TimestampMs">The evaluation time.</param>
/// <param name="Value">The value (unused when <paramref name="Histogram"/> is set).</param>
/// <param name="Histogram">The native histogram when the sample is one.</param>
public readonly record struct VectorSample(LabelSet Labels, long TimestampMs, double Value, FloatHistogram? Histogram = null);

/// <summary>One series of a matrix result: parallel timestamp and value arrays.</summary>
/// <param name="Labels">The series labels.</param>
/// <param name="Timestamps">Timestamps (ms), ascending.</param>
/// <param name="Values">Values.</param>
/// <param name="HistogramTimestamps">Timestamps (ms) of native histogram points, ascending; null when there are none.</param>
/// <param name="Histograms">Native histogram points parallel to <paramref name="HistogramTimestamps"/>.</param>
public sealed record MatrixSeries(LabelSet Labels, long[] Timestamps, double[] Values, long[]? HistogramTimestamps = null, FloatHistogram[]? Histograms = null);

/// <summary>The result of a query: exactly one of scalar, string, vector or matrix, per <see cref="Type"/>.</summary>
public sealed class QueryResult
{
    /// <summary>The value type: Scalar, String, Vector or Matrix.</summary>
    public PromQLValueType Type { get; init; }

    /// <summary>The scalar value (Scalar).</summary>
    public double Scalar { get; init; }

    /// <summary>The string value (String).</summary>
    public string? String { get; init; }

    /// <summary>The samples (Vector), in the order the expression produced them.</summary>
    public IReadOnlyList<VectorSample> Vector { get; init; } = [];

    /// <summary>The series (Matrix), sorted by labels.</summary>
    public IReadOnlyList<MatrixSeries> Matrix { get; init; } = [];

    /// <summary>Warnings and infos raised while evaluating, each once.</summary>
    public IReadOnlyList<QueryAnnotation> Annotations { get; init; } = [];

    /// <summary>The annotations of <paramref name="kind"/> as the API returns them, positions taken from <paramref name="query"/>.</summary>
    public IReadOnlyList<string> AnnotationTexts(QueryAnnotationKind kind, string query)
    {
        var texts = new List<string>();
        foreach (var a in Annotations)
        {
            if (a.Kind == kind)
            {
                texts.Add(a.Format(query));
            }
        }

        return texts;
    }
}
