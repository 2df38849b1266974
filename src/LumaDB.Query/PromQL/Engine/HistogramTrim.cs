using LumaDB.Engine.Metrics;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// The trim operators: <c>h &lt;/ x</c> keeps the observations below x, <c>h &gt;/ x</c> those above. A bucket
/// the cut falls inside keeps the share on the kept side (log-scale interpolation for exponential buckets,
/// linear for custom buckets and the zero bucket); the sum is then estimated from the kept buckets' midpoints
/// (geometric for exponential buckets, arithmetic otherwise), since the observations' own values are gone.
/// </summary>
internal static class HistogramTrim
{
    public static FloatHistogram Trim(FloatHistogram h, double cut, bool keepBelow)
    {
        if (double.IsNaN(cut) || (keepBelow && double.IsPositiveInfinity(cut)) || (!keepBelow && double.IsNegativeInfinity(cut)))
        {
            return h;
        }

        var changed = false;
        var sum = new KahanSum();
        double count = 0;
        var zero = TrimBucket(h, new HistogramBucket(-h.ZeroThreshold, h.ZeroThreshold, h.ZeroCount), cut, keepBelow, isZero: true, ref changed, ref sum, ref count);
        var positive = Trim(h, FloatHistogram.Expand(h.PositiveSpans, h.PositiveBuckets), negative: false, cut, keepBelow, ref changed, ref sum, ref count);
        var negative = Trim(h, FloatHistogram.Expand(h.NegativeSpans, h.NegativeBuckets), negative: true, cut, keepBelow, ref changed, ref sum, ref count);
        if (!changed)
        {
            return h;
        }

        var (ps, pb) = FloatHistogram.Build(positive);
        var (ns, nb) = FloatHistogram.Build(negative);
        return new FloatHistogram
        {
            Schema = h.Schema,
            ZeroThreshold = h.ZeroThreshold,
            ZeroCount = zero,
            Count = count,
            Sum = sum.Value,
            PositiveSpans = ps,
            PositiveBuckets = pb,
            NegativeSpans = ns,
            NegativeBuckets = nb,
            CustomValues = h.CustomValues,
            CounterResetHint = h.CounterResetHint,
        };
    }

    private static List<(int, double)> Trim(FloatHistogram h, List<(int Index, double Count)> buckets, bool negative, double cut, bool keepBelow, ref bool changed, ref KahanSum sum, ref double count)
    {
        var result = new List<(int, double)>(buckets.Count);
        foreach (var (index, c) in buckets)
        {
            HistogramBucket b;
            if (h.UsesCustomBuckets)
            {
                var lower = index == 0 ? double.NegativeInfinity : h.CustomValues[Math.Min(index - 1, h.CustomValues.Length - 1)];
                var upper = index < h.CustomValues.Length ? h.CustomValues[index] : double.PositiveInfinity;
                b = new HistogramBucket(lower, upper, c);
            }
            else if (negative)
            {
                b = new HistogramBucket(-FloatHistogram.UpperBound(index, h.Schema), -FloatHistogram.UpperBound(index - 1, h.Schema), c);
            }
            else
            {
                b = new HistogramBucket(FloatHistogram.UpperBound(index - 1, h.Schema), FloatHistogram.UpperBound(index, h.Schema), c);
            }

            result.Add((index, TrimBucket(h, b, cut, keepBelow, isZero: false, ref changed, ref sum, ref count)));
        }

        return result;
    }

    // The count the bucket keeps; adds its share to the count and the estimated sum.
    private static double TrimBucket(FloatHistogram h, HistogramBucket b, double cut, bool keepBelow, bool isZero, ref bool changed, ref KahanSum sum, ref double count)
    {
        if (b.Count == 0)
        {
            return 0;
        }

        double lower = b.Lower, upper = b.Upper, kept = b.Count;
        var custom = h.UsesCustomBuckets;
        if (keepBelow ? upper <= cut : lower >= cut)
        {
            // Whole bucket kept, except a custom +Inf bucket cut from above.
            if (keepBelow && custom && double.IsPositiveInfinity(upper))
            {
                changed = true;
                return 0;
            }
        }
        else if (keepBelow ? lower >= cut : upper <= cut)
        {
            changed = true;
            return 0;
        }
        else
        {
            changed = true;
            if (custom && (double.IsPositiveInfinity(upper) || double.IsNegativeInfinity(lower)) && !(keepBelow && double.IsNegativeInfinity(lower) && upper > 0 && cut > 0))
            {
                // An open-ended custom bucket has no shape to interpolate in.
                if (keepBelow && double.IsPositiveInfinity(upper))
                {
                    return 0;
                }
            }

            var effectiveLower = custom && double.IsNegativeInfinity(lower) ? Math.Min(0, upper) : lower;
            double fraction;
            if (custom || isZero)
            {
                fraction = (cut - effectiveLower) / (upper - effectiveLower);
            }
            else if (lower > 0)
            {
                fraction = (Math.Log2(cut) - Math.Log2(lower)) / (Math.Log2(upper) - Math.Log2(lower));
            }
            else
            {
                fraction = (Math.Log2(-lower) - Math.Log2(-cut)) / (Math.Log2(-lower) - Math.Log2(-upper));
            }

            fraction = Math.Clamp(fraction, 0, 1);
            kept = b.Count * (keepBelow ? fraction : 1 - fraction);
            if (keepBelow)
            {
                upper = cut;
            }
            else
            {
                lower = cut;
            }
        }

        count += kept;
        sum.Add(kept * Midpoint(lower, upper, custom || isZero));
        return kept;
    }

    private static double Midpoint(double lower, double upper, bool linear)
    {
        if (double.IsPositiveInfinity(upper))
        {
            return lower;
        }

        if (double.IsNegativeInfinity(lower))
        {
            return upper <= 0 ? upper : upper / 2;
        }

        if (linear || (lower <= 0 && upper >= 0))
        {
            return (lower + upper) / 2;
        }

        var g = Math.Sqrt(lower * upper);
        return upper < 0 ? -g : g;
    }
}
