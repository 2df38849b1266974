using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Copies a decoded remote write histogram (a reused instance) into the store's immutable form.</summary>
public static class NativeHistogramConversion
{
    /// <summary>The histogram as a <see cref="FloatHistogram"/>; counts are already absolute after decoding.</summary>
    public static FloatHistogram ToFloatHistogram(this NativeHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new FloatHistogram
        {
            IsInteger = !histogram.IsFloat,
            Schema = histogram.Schema,
            ZeroThreshold = histogram.ZeroThreshold,
            ZeroCount = histogram.ZeroCount,
            Count = histogram.Count,
            Sum = histogram.Sum,
            CounterResetHint = histogram.ResetHint switch
            {
                HistogramResetHint.Yes => CounterResetHint.CounterReset,
                HistogramResetHint.No => CounterResetHint.NotCounterReset,
                HistogramResetHint.Gauge => CounterResetHint.Gauge,
                _ => CounterResetHint.Unknown,
            },
            PositiveSpans = Spans(histogram.PositiveSpans),
            PositiveBuckets = [.. histogram.PositiveBuckets],
            NegativeSpans = Spans(histogram.NegativeSpans),
            NegativeBuckets = [.. histogram.NegativeBuckets],
            CustomValues = [.. histogram.CustomValues],
        };
    }

    private static HistogramSpan[] Spans(List<(int Offset, uint Length)> spans)
    {
        var result = new HistogramSpan[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            result[i] = new HistogramSpan(spans[i].Offset, spans[i].Length);
        }

        return result;
    }
}
