using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Functions over native histogram samples: the <c>histogram_*</c> family, and the range functions that accept
/// histograms (rates, deltas, sums and averages over time, counts, first/last). A range holding both floats
/// and histograms gives no result for functions that cannot mix them, as in Prometheus.
/// </summary>
internal sealed partial class Evaluator
{
    // Range functions whose result for a series with histogram samples is worked out here.
    private EvalSample? HistogramRangeValue(string name, RangeSeries s, MatrixValue m, long t, bool dropName, Expr at)
    {
        var hs = s.Histograms;
        var hts = s.HistogramTimes;
        var mixed = s.Count > 0;
        if (!CheckHistogramRange(name, s, at))
        {
            return null;
        }

        switch (name)
        {
            case "count_over_time":
                return new EvalSample(s.Labels, s.Count + s.HCount, t, dropName);
            case "present_over_time":
                return new EvalSample(s.Labels, 1, t, dropName);
            case "last_over_time":
                if (mixed && s.Times[^1] > hts[^1])
                {
                    return new EvalSample(s.Labels, s.Floats[^1], t, dropName);
                }

                return new EvalSample(s.Labels, hs[^1], t, dropName);
            case "first_over_time":
                if (mixed && s.Times[0] < hts[0])
                {
                    return new EvalSample(s.Labels, s.Floats[0], t, dropName);
                }

                return new EvalSample(s.Labels, hs[0], t, dropName);
            case "ts_of_last_over_time":
                return new EvalSample(s.Labels, Math.Max(hts[^1], mixed ? s.Times[^1] : long.MinValue) / 1000.0, t, dropName);
            case "ts_of_first_over_time":
                return new EvalSample(s.Labels, Math.Min(hts[0], mixed ? s.Times[0] : long.MaxValue) / 1000.0, t, dropName);
        }

        if (mixed)
        {
            return name switch
            {
                "resets" => new EvalSample(s.Labels, MixedTransitions(s, resets: true), t, dropName),
                "changes" => new EvalSample(s.Labels, MixedTransitions(s, resets: false), t, dropName),
                "irate" or "idelta" => NotedInstantDelta(MixedInstantDelta(s, name == "irate", t, dropName)),
                _ => null,
            };
        }

        if (IsHistogramSumOverTime(name) && HintsCollide(hs))
        {
            Warn(AnnotationText.CounterResetCollision("aggregation"), at);
        }

        try
        {
            FloatHistogram? h = name switch
            {
                "rate" when m.Bounded => BoundedHistogramDelta(hs, m, true, true),
                "increase" when m.Bounded => BoundedHistogramDelta(hs, m, true, false),
                "delta" when m.Bounded => BoundedHistogramDelta(hs, m, false, false),
                "rate" => ExtrapolatedHistogramRate(hts, hs, m, true, true),
                "increase" => ExtrapolatedHistogramRate(hts, hs, m, true, false),
                "delta" => ExtrapolatedHistogramRate(hts, hs, m, false, false),
                "irate" => InstantHistogramDelta(hts, hs, true),
                "idelta" => InstantHistogramDelta(hts, hs, false),
                "sum_over_time" => SumHistograms(hs),
                "avg_over_time" => AverageHistograms(hs),
                _ => null,
            };
            NoteHistogramRangeResult(name, s, h is not null, at);
            if (h is not null)
            {
                return new EvalSample(s.Labels, h, t, dropName);
            }
        }
        catch (HistogramMismatchException)
        {
            NoteHistogramRangeResult(name, s, produced: false, at);
            return null;
        }

        double? f = name switch
        {
            "resets" => HistogramResets(hs),
            "changes" => HistogramChanges(hs),
            _ => null,
        };
        return f is double value ? new EvalSample(s.Labels, value, t, dropName) : null;

        EvalSample? NotedInstantDelta(EvalSample? result)
        {
            // Only a last pair of histograms gets the histogram notes; a float pair is plain irate/idelta.
            var times = s.HistogramTimes;
            if (times[^1] > s.Times[^1] && times.Length >= 2 && times[^2] > s.Times[^1])
            {
                NoteHistogramRangeResult(name, s, result is not null, at);
            }

            return result;
        }
    }

    // The mean: sum then divide, unless the sum overflows where the inputs do not; then an incremental mean.
    internal static FloatHistogram AverageHistograms(ReadOnlySpan<FloatHistogram> hs)
    {
        var sum = SumHistograms(hs);
        var avg = sum.Divide(hs.Length);
        if (IsFinite(avg))
        {
            return avg;
        }

        foreach (var h in hs)
        {
            if (!IsFinite(h))
            {
                return avg;
            }
        }

        var mean = hs[0];
        for (var i = 1; i < hs.Length; i++)
        {
            mean = mean.Add(hs[i].Divide(i + 1).Subtract(mean.Divide(i + 1)));
        }

        // Components whose plain mean stayed finite keep it: it is the more precise one.
        return new FloatHistogram
        {
            Schema = mean.Schema,
            ZeroThreshold = mean.ZeroThreshold,
            ZeroCount = double.IsFinite(avg.ZeroCount) ? avg.ZeroCount : mean.ZeroCount,
            Count = double.IsFinite(avg.Count) ? avg.Count : mean.Count,
            Sum = double.IsFinite(avg.Sum) ? avg.Sum : mean.Sum,
            PositiveSpans = mean.PositiveSpans,
            PositiveBuckets = mean.PositiveBuckets,
            NegativeSpans = mean.NegativeSpans,
            NegativeBuckets = mean.NegativeBuckets,
            CustomValues = mean.CustomValues,
            CounterResetHint = sum.CounterResetHint,
        };
    }

    private static bool IsFinite(FloatHistogram h)
    {
        if (!double.IsFinite(h.Count) || !double.IsFinite(h.Sum) || !double.IsFinite(h.ZeroCount))
        {
            return false;
        }

        foreach (var c in h.PositiveBuckets)
        {
            if (!double.IsFinite(c))
            {
                return false;
            }
        }

        foreach (var c in h.NegativeBuckets)
        {
            if (!double.IsFinite(c))
            {
                return false;
            }
        }

        return true;
    }

    // Buckets add plainly; count and sum use compensated summation, as large values cancel out in practice.
    internal static FloatHistogram SumHistograms(ReadOnlySpan<FloatHistogram> hs)
    {
        var sum = hs[0];
        KahanSum count = default, total = default;
        count.Add(hs[0].Count);
        total.Add(hs[0].Sum);
        for (var i = 1; i < hs.Length; i++)
        {
            sum = sum.Add(hs[i]);
            count.Add(hs[i].Count);
            total.Add(hs[i].Sum);
        }

        return hs.Length == 1 ? sum : new FloatHistogram
        {
            Schema = sum.Schema,
            ZeroThreshold = sum.ZeroThreshold,
            ZeroCount = sum.ZeroCount,
            Count = count.Value,
            Sum = total.Value,
            PositiveSpans = sum.PositiveSpans,
            PositiveBuckets = sum.PositiveBuckets,
            NegativeSpans = sum.NegativeSpans,
            NegativeBuckets = sum.NegativeBuckets,
            CustomValues = sum.CustomValues,
            CounterResetHint = sum.CounterResetHint,
        };
    }

    // resets/changes over floats and histograms in time order: a switch between the two kinds counts as one.
    private static double MixedTransitions(RangeSeries s, bool resets)
    {
        var ts = s.Times;
        var fs = s.Floats;
        var hts = s.HistogramTimes;
        var hs = s.Histograms;
        int i = 0, j = 0, n = 0;
        var first = true;
        double prevF = 0;
        FloatHistogram? prevH = null;
        while (i < ts.Length || j < hts.Length)
        {
            var takeFloat = j >= hts.Length || (i < ts.Length && ts[i] < hts[j]);
            double curF = 0;
            FloatHistogram? curH = null;
            if (takeFloat)
            {
                curF = fs[i++];
            }
            else
            {
                curH = hs[j++];
            }

            if (!first)
            {
                var counted = (prevH, curH) switch
                {
                    (null, null) => resets ? curF < prevF : !(curF == prevF || (double.IsNaN(curF) && double.IsNaN(prevF))),
                    ({ } ph, { } ch) => resets ? ch.DetectReset(ph) : !ch.Equivalent(ph),
                    _ => true,
                };
                n += counted ? 1 : 0;
            }

            first = false;
            prevF = curF;
            prevH = curH;
        }

        return n;
    }

    // irate/idelta over a mixed range: the last two samples decide; two of different kinds give nothing.
    private static EvalSample? MixedInstantDelta(RangeSeries s, bool isRate, long t, bool dropName)
    {
        var ts = s.Times;
        var hts = s.HistogramTimes;
        if (ts[^1] > hts[^1])
        {
            if (ts.Length < 2 || ts[^2] < hts[^1])
            {
                return null;
            }

            return InstantDelta(ts, s.Floats, isRate) is double v ? new EvalSample(s.Labels, v, t, dropName) : null;
        }

        if (hts.Length < 2 || hts[^2] < ts[^1])
        {
            return null;
        }

        try
        {
            return InstantHistogramDelta(hts, s.Histograms, isRate) is { } h ? new EvalSample(s.Labels, h, t, dropName) : null;
        }
        catch (HistogramMismatchException)
        {
            return null;
        }
    }

    private static double HistogramResets(ReadOnlySpan<FloatHistogram> hs)
    {
        var resets = 0;
        for (var i = 1; i < hs.Length; i++)
        {
            if (hs[i].DetectReset(hs[i - 1]))
            {
                resets++;
            }
        }

        return resets;
    }

    private static double HistogramChanges(ReadOnlySpan<FloatHistogram> hs)
    {
        var changes = 0;
        for (var i = 1; i < hs.Length; i++)
        {
            if (!hs[i].Equivalent(hs[i - 1]))
            {
                changes++;
            }
        }

        return changes;
    }

    private static FloatHistogram? ExtrapolatedHistogramRate(ReadOnlySpan<long> ts, ReadOnlySpan<FloatHistogram> hs, MatrixValue m, bool isCounter, bool isRate)
    {
        if (hs.Length < 2)
        {
            return null;
        }

        var first = hs[0];
        var last = hs[^1];
        FloatHistogram result;
        if (isCounter)
        {
            // Resets split the range into runs; the first run adds its growth, each later one its whole end value
            // (its counts restarted from zero). A run of one sample at the start adds nothing, so its layout
            // need not match the rest.
            FloatHistogram? total = null;
            var runStart = 0;
            for (var i = 1; i <= hs.Length; i++)
            {
                if (i < hs.Length && !hs[i].DetectReset(hs[i - 1]))
                {
                    continue;
                }

                var end = i - 1;
                var run = runStart > 0 ? hs[end] : end > 0 ? hs[end].Subtract(first) : null;
                if (run is not null)
                {
                    total = total is null ? run : total.Add(run);
                }

                runStart = i;
            }

            if (total is null)
            {
                return null;
            }

            result = total;
        }
        else
        {
            if (first.UsesCustomBuckets != last.UsesCustomBuckets)
            {
                return null;
            }

            result = last.Subtract(first);
        }

        var factor = ExtrapolationFactor(m.RangeStart, m.RangeEnd, ts, isCounter, result.Count, first.Count, isRate);

        return result.Scale(factor).WithHint(CounterResetHint.Gauge).Compact();
    }

    private static FloatHistogram? InstantHistogramDelta(ReadOnlySpan<long> ts, ReadOnlySpan<FloatHistogram> hs, bool isRate)
    {
        if (hs.Length < 2)
        {
            return null;
        }

        var last = hs[^1];
        var prev = hs[^2];
        var result = isRate && last.DetectReset(prev) ? last : last.Subtract(prev);
        if (isRate)
        {
            var interval = ts[^1] - ts[^2];
            if (interval == 0)
            {
                return null;
            }

            result = result.Divide(interval / 1000.0);
        }

        return result.WithHint(CounterResetHint.Gauge).Compact();
    }

    private static VectorValue HistogramScalarFunction(string name, List<EvalSample> v, long t)
    {
        var result = new List<EvalSample>(v.Count);
        foreach (var s in v)
        {
            if (s.H is not { } h)
            {
                continue;
            }

            var value = name switch
            {
                "histogram_count" => h.Count,
                "histogram_sum" => h.Sum,
                "histogram_avg" => h.Sum / h.Count,
                "histogram_stddev" => Math.Sqrt(NativeVariance(h)),
                _ => NativeVariance(h),
            };
            result.Add(new EvalSample(s.Labels, value, t, true));
        }

        return new VectorValue(result);
    }

    // Variance estimated from bucket midpoints: geometric for exponential buckets, arithmetic for custom ones, zero in the zero bucket.
    private static double NativeVariance(FloatHistogram h)
    {
        var mean = h.Sum / h.Count;
        var variance = new KahanSum();
        foreach (var b in h.AllBuckets())
        {
            if (b.Count == 0)
            {
                continue;
            }

            double value;
            if (h.UsesCustomBuckets)
            {
                value = (b.Upper + b.Lower) / 2;
            }
            else if (b.Lower <= 0 && b.Upper >= 0)
            {
                value = 0;
            }
            else
            {
                value = Math.Sqrt(b.Upper * b.Lower);
                if (b.Upper < 0)
                {
                    value = -value;
                }
            }

            var delta = value - mean;
            variance.Add(b.Count * delta * delta);
        }

        return variance.Value / h.Count;
    }

    private static double NativeQuantile(double q, FloatHistogram h)
    {
        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        if (h.Count == 0 || double.IsNaN(q))
        {
            return double.NaN;
        }

        var buckets = h.AllBuckets();
        var forward = double.IsNaN(h.Sum) || q < 0.5;
        var rank = forward ? q * h.Count : (1 - q) * h.Count;
        double count = 0;
        HistogramBucket bucket = default;
        var found = false;
        for (var k = 0; k < buckets.Count; k++)
        {
            bucket = buckets[forward ? k : buckets.Count - 1 - k];
            if (bucket.Count == 0)
            {
                continue;
            }

            found = true;
            count += bucket.Count;
            if (count >= rank)
            {
                break;
            }
        }

        // With NaN observations (sorted above everything) a rank past the bucketed ones has no value.
        if (!found || (forward && double.IsNaN(h.Sum) && count < rank))
        {
            return double.NaN;
        }

        var lower = bucket.Lower;
        var upper = bucket.Upper;
        if (!h.UsesCustomBuckets && lower < 0 && upper > 0)
        {
            if (h.NegativeBuckets.Length == 0 && h.PositiveBuckets.Length > 0)
            {
                lower = 0;
            }
            else if (h.PositiveBuckets.Length == 0 && h.NegativeBuckets.Length > 0)
            {
                upper = 0;
            }
        }
        else if (h.UsesCustomBuckets)
        {
            if (double.IsNegativeInfinity(lower))
            {
                if (upper <= 0)
                {
                    return upper;
                }

                lower = 0;
            }
            else if (double.IsPositiveInfinity(upper))
            {
                return lower;
            }
        }

        if (count > h.Count)
        {
            count = h.Count;
        }

        if (count < rank)
        {
            return forward ? upper : lower;
        }

        var fraction = forward ? (rank - (count - bucket.Count)) / bucket.Count : (count - rank) / bucket.Count;
        if (h.UsesCustomBuckets || (lower <= 0 && upper >= 0))
        {
            return lower + ((upper - lower) * fraction);
        }

        var logLower = Math.Log2(Math.Abs(lower));
        var logUpper = Math.Log2(Math.Abs(upper));
        if (lower > 0)
        {
            return Math.Pow(2, logLower + ((logUpper - logLower) * fraction));
        }

        return -Math.Pow(2, logUpper + ((logLower - logUpper) * (1 - fraction)));
    }

    private static double NativeFraction(double lower, double upper, FloatHistogram h)
    {
        if (h.Count == 0 || double.IsNaN(lower) || double.IsNaN(upper))
        {
            return double.NaN;
        }

        if (lower >= upper)
        {
            return 0;
        }

        double rank = 0, lowerRank = 0, upperRank = 0;
        bool lowerSet = false, upperSet = false;
        foreach (var bucket in h.AllBuckets())
        {
            var b = bucket;
            var zeroBucket = false;
            if (h.UsesCustomBuckets && double.IsNegativeInfinity(b.Lower) && b.Upper > 0)
            {
                b = b with { Lower = 0 };
            }
            else if (!h.UsesCustomBuckets && b.Lower <= 0 && b.Upper >= 0)
            {
                zeroBucket = true;
                if (h.NegativeBuckets.Length == 0 && h.PositiveBuckets.Length > 0)
                {
                    b = b with { Lower = 0 };
                }
                else if (h.PositiveBuckets.Length == 0 && h.NegativeBuckets.Length > 0)
                {
                    b = b with { Upper = 0 };
                }
            }

            if (!lowerSet && b.Lower >= lower)
            {
                lowerRank = rank;
                lowerSet = true;
            }

            if (!upperSet && b.Lower >= upper)
            {
                upperRank = rank;
                upperSet = true;
            }

            if (lowerSet && upperSet)
            {
                break;
            }

            var linear = h.UsesCustomBuckets || zeroBucket;
            if (!lowerSet && b.Lower < lower && b.Upper > lower)
            {
                lowerRank = linear ? Linear(lower) : Exponential(lower);
                lowerSet = true;
            }

            if (!upperSet && b.Lower < upper && b.Upper > upper)
            {
                upperRank = linear ? Linear(upper) : Exponential(upper);
                upperSet = true;
            }

            if (lowerSet && upperSet)
            {
                break;
            }

            rank += b.Count;

            // A bucket open towards -Inf has no width: its observations lie below any finite v.
            double Linear(double v) => double.IsNegativeInfinity(b.Lower) ? rank + b.Count : rank + (b.Count * (v - b.Lower) / (b.Upper - b.Lower));

            double Exponential(double v)
            {
                var logLower = Math.Log2(Math.Abs(b.Lower));
                var logUpper = Math.Log2(Math.Abs(b.Upper));
                var logV = Math.Log2(Math.Abs(v));
                var fraction = v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - ((logV - logUpper) / (logLower - logUpper));
                return rank + (b.Count * fraction);
            }
        }

        // NaN observations (a NaN sum, buckets counting less than the count) are in no bucket, so in no fraction.
        // An unset rank means the loop ran through every bucket, so rank is then the bucketed total.
        var top = double.IsNaN(h.Sum) ? Math.Min(rank, h.Count) : h.Count;
        lowerRank = lowerSet ? Math.Min(lowerRank, h.Count) : top;
        upperRank = upperSet ? Math.Min(upperRank, h.Count) : top;

        return (upperRank - lowerRank) / h.Count;
    }
}
