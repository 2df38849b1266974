using LumaDB.Engine.Metrics;

namespace LumaDB.Query.PromQL.Testing;

/// <summary>Turns test-script histogram literals and sequences into stored <see cref="FloatHistogram"/>s.</summary>
public static class HistogramLiteralConversion
{
    /// <summary>The literal as a histogram (absolute counts, one span per contiguous run).</summary>
    public static FloatHistogram ToFloatHistogram(this HistogramLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        return new FloatHistogram
        {
            Schema = literal.Schema,
            Sum = literal.Sum,
            Count = literal.Count,
            ZeroCount = literal.ZeroCount,
            ZeroThreshold = literal.ZeroThreshold,
            PositiveSpans = literal.PositiveBuckets.Count == 0 ? [] : [new HistogramSpan(literal.Offset, (uint)literal.PositiveBuckets.Count)],
            PositiveBuckets = [.. literal.PositiveBuckets],
            NegativeSpans = literal.NegativeBuckets.Count == 0 ? [] : [new HistogramSpan(literal.NegativeOffset, (uint)literal.NegativeBuckets.Count)],
            NegativeBuckets = [.. literal.NegativeBuckets],
            CustomValues = [.. literal.CustomValues],
            CounterResetHint = literal.CounterResetHint switch
            {
                "reset" => CounterResetHint.CounterReset,
                "not_reset" => CounterResetHint.NotCounterReset,
                "gauge" => CounterResetHint.Gauge,
                _ => CounterResetHint.Unknown,
            },
        };
    }

    /// <summary>The histogram of a sequence slot: the base plus (or minus) the increment times the slot's multiplier.</summary>
    public static FloatHistogram? ResolveHistogram(this SampleValue value)
    {
        if (value.Kind != SampleKind.Histogram || value.Histogram is null)
        {
            return null;
        }

        var h = value.Histogram.ToFloatHistogram();
        if (value.HistogramIncrement is null || value.Multiplier == 0)
        {
            return h;
        }

        var increment = value.HistogramIncrement.ToFloatHistogram();
        var steps = Math.Abs(value.Multiplier);
        for (var i = 0; i < steps; i++)
        {
            h = value.Multiplier > 0 ? h.Add(increment) : h.Subtract(increment);
        }

        return h.WithHint(value.Histogram.ToFloatHistogram().CounterResetHint);
    }
}
