using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Syntax;
using LumaDB.Query.PromQL.Testing;

namespace LumaDB.Query.Tests.PromQL.Conformance;

/// <summary>Compares a query result with an eval's expectation the way Prometheus's harness does.</summary>
internal static class ResultComparer
{
    /// <summary>Null when the result matches; otherwise what differs.</summary>
    public static string? Compare(EvalCommand eval, QueryResult result)
    {
        if (eval.ExpectedString is not null)
        {
            return result.Type == PromQLValueType.String && result.String == eval.ExpectedString ? null : $"expected string {eval.ExpectedString}";
        }

        if (eval.ExpectedScalar is double scalar)
        {
            if (result.Type != PromQLValueType.Scalar)
            {
                return "expected a scalar, got " + result.Type;
            }

            return FloatEquals(scalar, result.Scalar) ? null : $"expected {scalar}, got {result.Scalar}";
        }

        if (eval.Kind == EvalKind.Range || eval.RangeVector is not null)
        {
            return CompareMatrix(eval, result);
        }

        if (result.Type != PromQLValueType.Vector)
        {
            return "expected a vector, got " + result.Type;
        }

        return CompareVector(eval, result.Vector);
    }

    private static LabelSet Labels(SeriesDescription s)
    {
        var list = new List<Label>();
        foreach (var (k, v) in s.Labels)
        {
            list.Add(new Label(k, v));
        }

        return LabelSet.Create(list);
    }

    private static string? CompareVector(EvalCommand eval, IReadOnlyList<VectorSample> actual)
    {
        if (actual.Count != eval.ExpectedSeries.Count)
        {
            return $"expected {eval.ExpectedSeries.Count} samples, got {actual.Count}: {string.Join(", ", actual.Select(a => a.Labels + " " + a.Value))}";
        }

        var byLabels = new Dictionary<LabelSet, (int Index, double Value, FloatHistogram? H)>();
        for (var i = 0; i < actual.Count; i++)
        {
            byLabels[actual[i].Labels] = (i, actual[i].Value, actual[i].Histogram);
        }

        for (var i = 0; i < eval.ExpectedSeries.Count; i++)
        {
            var expected = eval.ExpectedSeries[i];
            var labels = Labels(expected);
            if (!byLabels.TryGetValue(labels, out var got))
            {
                return $"missing {labels}; got {string.Join(", ", actual.Select(a => a.Labels + " " + a.Value))}";
            }

            if (eval.Ordered && got.Index != i)
            {
                return $"{labels} at position {got.Index}, expected {i}";
            }

            if (expected.Values.Count == 1 && expected.Values[0].Kind == SampleKind.Histogram)
            {
                if (HistogramDiff(expected.Values[0], got.H) is { } diff)
                {
                    return $"{labels}: {diff}";
                }

                continue;
            }

            if (got.H is not null)
            {
                return $"{labels}: expected a float, got a histogram";
            }

            if (expected.Values.Count != 1 || !FloatEquals(expected.Values[0].Value, got.Value))
            {
                return $"{labels}: expected {expected.Values[0].Value}, got {got.Value}";
            }
        }

        return null;
    }

    private static string? CompareMatrix(EvalCommand eval, QueryResult result)
    {
        if (result.Type != PromQLValueType.Matrix)
        {
            return "expected a matrix, got " + result.Type;
        }

        long start, step;
        if (eval.RangeVector is { } rv)
        {
            start = (long)rv.Start.TotalMilliseconds;
            step = (long)rv.Step.TotalMilliseconds;
        }
        else
        {
            start = (long)eval.Start.TotalMilliseconds;
            step = (long)eval.Step.TotalMilliseconds;
        }

        if (result.Matrix.Count != eval.ExpectedSeries.Count)
        {
            return $"expected {eval.ExpectedSeries.Count} series, got {result.Matrix.Count}: {string.Join(", ", result.Matrix.Select(m => m.Labels.ToString()))}";
        }

        var byLabels = result.Matrix.ToDictionary(m => m.Labels);
        foreach (var expected in eval.ExpectedSeries)
        {
            var labels = Labels(expected);
            if (!byLabels.TryGetValue(labels, out var got))
            {
                return $"missing series {labels}";
            }

            var points = new List<(long T, double F)>();
            var hpoints = new List<(long T, SampleValue H)>();
            for (var i = 0; i < expected.Values.Count; i++)
            {
                if (expected.Values[i].Kind == SampleKind.Histogram)
                {
                    hpoints.Add((start + (i * step), expected.Values[i]));
                }
                else if (expected.Values[i].Kind != SampleKind.Omitted)
                {
                    points.Add((start + (i * step), expected.Values[i].Value));
                }
            }

            var gotHT = got.HistogramTimestamps ?? [];
            if (hpoints.Count != gotHT.Length)
            {
                return $"{labels}: expected {hpoints.Count} histogram points, got {gotHT.Length}";
            }

            for (var i = 0; i < hpoints.Count; i++)
            {
                if (hpoints[i].T != gotHT[i])
                {
                    return $"{labels}: histogram point {i}: expected time {hpoints[i].T}, got {gotHT[i]}";
                }

                if (HistogramDiff(hpoints[i].H, got.Histograms![i]) is { } diff)
                {
                    return $"{labels}: histogram point {i}: {diff}";
                }
            }

            if (points.Count != got.Timestamps.Length)
            {
                return $"{labels}: expected {points.Count} points, got {got.Timestamps.Length} ({string.Join(" ", got.Timestamps.Zip(got.Values, (t, v) => $"{v}@{t}"))})";
            }

            for (var i = 0; i < points.Count; i++)
            {
                if (points[i].T != got.Timestamps[i] || !FloatEquals(points[i].F, got.Values[i]))
                {
                    return $"{labels}: point {i}: expected {points[i].F}@{points[i].T}, got {got.Values[i]}@{got.Timestamps[i]}";
                }
            }
        }

        return null;
    }

    /// <summary>Null when the histogram matches the expected literal (after compaction, counts within tolerance).</summary>
    private static string? HistogramDiff(SampleValue expectedValue, FloatHistogram? actual)
    {
        if (actual is null)
        {
            return "expected a histogram, got a float";
        }

        var expected = expectedValue.ResolveHistogram()!;
        var text = $"expected {expectedValue.Histogram!.Raw}, got {Describe(actual)}";
        if (expected.Schema != actual.Schema || !FloatEquals(expected.ZeroThreshold, actual.ZeroThreshold) ||
            !FloatEquals(expected.Count, actual.Count) || !FloatEquals(expected.Sum, actual.Sum) || !FloatEquals(expected.ZeroCount, actual.ZeroCount) ||
            !expected.CustomValues.AsSpan().SequenceEqual(actual.CustomValues))
        {
            return text;
        }

        if (expectedValue.Histogram.CounterResetHint is not null && expected.CounterResetHint != actual.CounterResetHint)
        {
            return text + " (counter reset hint)";
        }

        return SameBuckets(expected.PositiveSpans, expected.PositiveBuckets, actual.PositiveSpans, actual.PositiveBuckets) &&
               SameBuckets(expected.NegativeSpans, expected.NegativeBuckets, actual.NegativeSpans, actual.NegativeBuckets) ? null : text;
    }

    private static bool SameBuckets(HistogramSpan[] es, double[] eb, HistogramSpan[] @as, double[] ab)
    {
        var e = FloatHistogram.Expand(es, eb).Where(x => x.Count != 0).ToList();
        var a = FloatHistogram.Expand(@as, ab).Where(x => x.Count != 0).ToList();
        return e.Count == a.Count && e.Zip(a).All(p => p.First.Index == p.Second.Index && FloatEquals(p.First.Count, p.Second.Count));
    }

    private static string Describe(FloatHistogram h) =>
        $"{{{{schema:{h.Schema} count:{h.Count} sum:{h.Sum} z_bucket:{h.ZeroCount} z_bucket_w:{h.ZeroThreshold} " +
        $"buckets:[{string.Join(" ", FloatHistogram.Expand(h.PositiveSpans, h.PositiveBuckets).Select(x => $"{x.Index}:{x.Count}"))}] " +
        $"n_buckets:[{string.Join(" ", FloatHistogram.Expand(h.NegativeSpans, h.NegativeBuckets).Select(x => $"{x.Index}:{x.Count}"))}] hint:{h.CounterResetHint}}}}}";

    /// <summary>Prometheus's harness tolerance: relative 1e-6, NaN equals NaN, infinities exact.</summary>
    public static bool FloatEquals(double expected, double actual)
    {
        var expectedStale = BitConverter.DoubleToUInt64Bits(expected) == SampleValue.StaleNaNBits;
        var actualStale = BitConverter.DoubleToUInt64Bits(actual) == SampleValue.StaleNaNBits;
        if (expectedStale || actualStale)
        {
            return expectedStale == actualStale;
        }

        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (expected == actual)
        {
            return true;
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return false;
        }

        var diff = Math.Abs(expected - actual);
        if (expected == 0 || actual == 0 || diff < double.Epsilon * 4503599627370496.0)
        {
            return diff < 1e-6 * 2.2250738585072014E-308 || diff < 1e-6;
        }

        return diff / (Math.Abs(expected) + Math.Abs(actual)) < 1e-6;
    }
}
