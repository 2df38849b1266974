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

        double lower = b.Lower, upper = b.Upper;
        if (isZero)
        {
            // The zero bucket leans to the side that has buckets; with both or neither it spans both signs.
            var positive = HasCounts(h.PositiveBuckets);
            var negative = HasCounts(h.NegativeBuckets);
            if (positive && !negative)
            {
                lower = 0;
            }
            else if (negative && !positive)
            {
                upper = 0;
            }
        }

        var custom = h.UsesCustomBuckets;
        if (custom && double.IsNegativeInfinity(lower))
        {
            return OpenBelow(b.Count, upper, cut, keepBelow, ref changed, ref sum, ref count);
        }

        if (custom && double.IsPositiveInfinity(upper))
        {
            // The +Inf bucket: trimmed from above it goes; from below it stays whole, its observations at the cut or its lower bound.
            if (keepBelow || double.IsPositiveInfinity(cut))
            {
                changed = true;
                return 0;
            }

            changed |= cut > lower;
            return Keep(b.Count, Math.Max(cut, lower), ref sum, ref count);
        }

        if (keepBelow ? upper <= cut : lower >= cut)
        {
            return Keep(b.Count, Midpoint(lower, upper, custom || isZero), ref sum, ref count);
        }

        changed = true;
        if (keepBelow ? lower >= cut : upper <= cut)
        {
            return 0;
        }

        double fraction;
        if (custom || isZero)
        {
            fraction = (cut - lower) / (upper - lower);
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
        var kept = b.Count * (keepBelow ? fraction : 1 - fraction);
        return keepBelow
            ? Keep(kept, Midpoint(lower, cut, custom || isZero), ref sum, ref count)
            : Keep(kept, Midpoint(cut, upper, custom || isZero), ref sum, ref count);
    }

    // The first custom bucket, open towards -Inf: with a positive upper bound it is taken as [0, upper]; with a
    // non-positive one all its observations sit at the upper bound (or at the cut below it).
    private static double OpenBelow(double c, double upper, double cut, bool keepBelow, ref bool changed, ref KahanSum sum, ref double count)
    {
        if (double.IsPositiveInfinity(upper))
        {
            changed = true;
            return 0;
        }

        if (keepBelow)
        {
            if (upper <= 0)
            {
                changed |= cut < upper;
                return Keep(c, Math.Min(cut, upper), ref sum, ref count);
            }

            if (cut >= upper)
            {
                return Keep(c, upper / 2, ref sum, ref count);
            }

            changed = true;
            return cut > 0 ? Keep(c * cut / upper, cut / 2, ref sum, ref count) : 0;
        }

        if (upper > 0 && cut >= 0 && cut < upper)
        {
            changed |= cut > 0;
            return Keep(c * (upper - cut) / upper, (cut + upper) / 2, ref sum, ref count);
        }

        changed = true;
        return 0;
    }

    private static double Keep(double kept, double at, ref KahanSum sum, ref double count)
    {
        count += kept;
        sum.Add(kept * at);
        return kept;
    }

    private static bool HasCounts(double[] buckets)
    {
        foreach (var c in buckets)
        {
            if (c != 0)
            {
                return true;
            }
        }

        return false;
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
