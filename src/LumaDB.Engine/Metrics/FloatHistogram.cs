namespace LumaDB.Engine.Metrics;

/// <summary>A run of consecutive buckets: <see cref="Offset"/> indexes past the previous span's end (or from 0 for the first).</summary>
/// <param name="Offset">Gap, in bucket indexes, before this span.</param>
/// <param name="Length">Number of consecutive buckets.</param>
public readonly record struct HistogramSpan(int Offset, uint Length);

/// <summary>How a native histogram relates to the previous sample of its series.</summary>
public enum CounterResetHint : byte
{
    /// <summary>Not known; detect a reset by comparing buckets.</summary>
    Unknown = 0,

    /// <summary>A counter reset happened right before this sample.</summary>
    CounterReset = 1,

    /// <summary>No counter reset happened.</summary>
    NotCounterReset = 2,

    /// <summary>A gauge histogram: counts may go down at any time.</summary>
    Gauge = 3,
}

/// <summary>
/// A native (sparse) histogram sample, held with absolute float counts whichever flavour it was written in
/// (<see cref="IsInteger"/> remembers the flavour). Schemas -4..8 are exponential: bucket <c>i</c> covers
/// (2^((i-1)·2^-schema), 2^(i·2^-schema)], mirrored for negative buckets, plus a zero bucket [-t, t].
/// Schema -53 uses <see cref="CustomValues"/> as upper bounds (bucket <c>i</c> ends at CustomValues[i], the
/// last one at +Inf). Instances are never changed once built; arithmetic returns new ones.
/// </summary>
public sealed class FloatHistogram
{
    /// <summary>The schema of custom-bucket histograms.</summary>
    public const int CustomBucketsSchema = -53;

    /// <summary>Bucket schema.</summary>
    public int Schema { get; init; }

    /// <summary>Half-width of the zero bucket.</summary>
    public double ZeroThreshold { get; init; }

    /// <summary>Observations in the zero bucket.</summary>
    public double ZeroCount { get; init; }

    /// <summary>Total observations.</summary>
    public double Count { get; init; }

    /// <summary>Sum of observations.</summary>
    public double Sum { get; init; }

    /// <summary>Spans of the positive buckets.</summary>
    public HistogramSpan[] PositiveSpans { get; init; } = [];

    /// <summary>Absolute counts of the positive buckets, in span order.</summary>
    public double[] PositiveBuckets { get; init; } = [];

    /// <summary>Spans of the negative buckets.</summary>
    public HistogramSpan[] NegativeSpans { get; init; } = [];

    /// <summary>Absolute counts of the negative buckets, in span order.</summary>
    public double[] NegativeBuckets { get; init; } = [];

    /// <summary>Upper bounds of custom buckets (schema -53), ascending, without the implicit +Inf.</summary>
    public double[] CustomValues { get; init; } = [];

    /// <summary>The counter-reset hint.</summary>
    public CounterResetHint CounterResetHint { get; init; }

    /// <summary>True when written as an integer histogram (whole-number counts).</summary>
    public bool IsInteger { get; init; }

    /// <summary>Whether this histogram uses custom bucket bounds.</summary>
    public bool UsesCustomBuckets => Schema == CustomBucketsSchema;

    /// <summary>Upper bound of bucket <paramref name="index"/> under an exponential <paramref name="schema"/>.</summary>
    public static double UpperBound(int index, int schema)
    {
        if (schema < 0)
        {
            var exp = (long)index << -schema;
            return exp >= 1024 ? double.MaxValue : Math.ScaleB(1, (int)Math.Max(exp, -1100));
        }

        var fraction = index & ((1 << schema) - 1);
        var exponent = (index >> schema) + 1;
        var frac = fraction == 0 ? 0.5 : Math.Pow(2, ((double)fraction / (1 << schema)) - 1);
        if (frac == 0.5 && exponent == 1025)
        {
            return double.MaxValue;
        }

        return Math.ScaleB(frac, exponent);
    }

    /// <summary>Every bucket with its bounds, ascending: negative buckets, the zero bucket (if it counts anything), positive buckets.</summary>
    public List<HistogramBucket> AllBuckets()
    {
        var result = new List<HistogramBucket>(PositiveBuckets.Length + NegativeBuckets.Length + 1);
        if (UsesCustomBuckets)
        {
            foreach (var (index, count) in Expand(PositiveSpans, PositiveBuckets))
            {
                var lower = index == 0 ? double.NegativeInfinity : CustomValues[Math.Min(index - 1, CustomValues.Length - 1)];
                var upper = index < CustomValues.Length ? CustomValues[index] : double.PositiveInfinity;
                result.Add(new HistogramBucket(lower, upper, count));
            }

            return result;
        }

        var negative = Expand(NegativeSpans, NegativeBuckets);
        for (var i = negative.Count - 1; i >= 0; i--)
        {
            var (index, count) = negative[i];
            result.Add(new HistogramBucket(-UpperBound(index, Schema), -UpperBound(index - 1, Schema), count));
        }

        if (ZeroCount != 0)
        {
            result.Add(new HistogramBucket(-ZeroThreshold, ZeroThreshold, ZeroCount));
        }

        foreach (var (index, count) in Expand(PositiveSpans, PositiveBuckets))
        {
            result.Add(new HistogramBucket(UpperBound(index - 1, Schema), UpperBound(index, Schema), count));
        }

        return result;
    }

    /// <summary>(index, count) pairs of the buckets a span layout describes, ascending by index.</summary>
    public static List<(int Index, double Count)> Expand(HistogramSpan[] spans, double[] buckets)
    {
        var result = new List<(int, double)>(buckets.Length);
        var index = 0;
        var at = 0;
        foreach (var span in spans)
        {
            index += span.Offset;
            for (var j = 0; j < span.Length && at < buckets.Length; j++)
            {
                result.Add((index++, buckets[at++]));
            }
        }

        return result;
    }

    /// <summary>Spans and counts for sorted (index, count) pairs; buckets counting exactly zero are left out.</summary>
    public static (HistogramSpan[] Spans, double[] Buckets) Build(IEnumerable<(int Index, double Count)> sorted)
    {
        var spans = new List<HistogramSpan>();
        var counts = new List<double>();
        var next = 0;
        var first = true;
        foreach (var (index, count) in sorted)
        {
            if (count == 0)
            {
                continue;
            }

            if (!first && index == next)
            {
                spans[^1] = spans[^1] with { Length = spans[^1].Length + 1 };
            }
            else
            {
                spans.Add(new HistogramSpan(first ? index : index - next, 1));
            }

            first = false;
            counts.Add(count);
            next = index + 1;
        }

        return ([.. spans], [.. counts]);
    }

    /// <summary>A copy with a different hint.</summary>
    public FloatHistogram WithHint(CounterResetHint hint) => Clone(this, hint);

    /// <summary>Every count and the sum multiplied by <paramref name="factor"/>.</summary>
    public FloatHistogram Scale(double factor) => new()
    {
        Schema = Schema,
        ZeroThreshold = ZeroThreshold,
        ZeroCount = ZeroCount * factor,
        Count = Count * factor,
        Sum = Sum * factor,
        PositiveSpans = PositiveSpans,
        PositiveBuckets = PositiveBuckets.Select(c => c * factor).ToArray(),
        NegativeSpans = NegativeSpans,
        NegativeBuckets = NegativeBuckets.Select(c => c * factor).ToArray(),
        CustomValues = CustomValues,
        CounterResetHint = CounterResetHint,
    };

    /// <summary>Every count and the sum divided by <paramref name="divisor"/>.</summary>
    public FloatHistogram Divide(double divisor) => new()
    {
        Schema = Schema,
        ZeroThreshold = ZeroThreshold,
        ZeroCount = ZeroCount / divisor,
        Count = Count / divisor,
        Sum = Sum / divisor,
        PositiveSpans = PositiveSpans,
        PositiveBuckets = PositiveBuckets.Select(c => c / divisor).ToArray(),
        NegativeSpans = NegativeSpans,
        NegativeBuckets = NegativeBuckets.Select(c => c / divisor).ToArray(),
        CustomValues = CustomValues,
        CounterResetHint = CounterResetHint,
    };

    /// <summary>The bucket-wise sum; schemas reduce to the smaller one, the zero bucket widens to the larger one.</summary>
    /// <exception cref="HistogramMismatchException">One uses custom buckets and the other does not, or their custom bounds differ.</exception>
    public FloatHistogram Add(FloatHistogram other) => Combine(this, other, 1);

    /// <summary>The bucket-wise difference (see <see cref="Add"/>).</summary>
    /// <exception cref="HistogramMismatchException">Incompatible bucket layouts.</exception>
    public FloatHistogram Subtract(FloatHistogram other) => Combine(this, other, -1);

    /// <summary>This histogram with empty buckets removed and adjacent spans merged.</summary>
    public FloatHistogram Compact()
    {
        var (ps, pb) = Build(Expand(PositiveSpans, PositiveBuckets));
        var (ns, nb) = Build(Expand(NegativeSpans, NegativeBuckets));
        return new FloatHistogram
        {
            Schema = Schema,
            ZeroThreshold = ZeroThreshold,
            ZeroCount = ZeroCount,
            Count = Count,
            Sum = Sum,
            PositiveSpans = ps,
            PositiveBuckets = pb,
            NegativeSpans = ns,
            NegativeBuckets = nb,
            CustomValues = CustomValues,
            CounterResetHint = CounterResetHint,
            IsInteger = IsInteger,
        };
    }

    /// <summary>
    /// Whether this sample follows a counter reset relative to <paramref name="previous"/>: by hint when it says
    /// so, else when the count, the zero bucket or any bucket went down, or the layout became finer.
    /// </summary>
    public bool DetectReset(FloatHistogram previous)
    {
        switch (CounterResetHint)
        {
            case CounterResetHint.CounterReset:
                return true;
            case CounterResetHint.NotCounterReset:
            case CounterResetHint.Gauge:
                return false;
        }

        return DetectResetByValues(previous);
    }

    /// <summary>Like <see cref="DetectReset"/>, but by the values alone, whatever the hint says.</summary>
    internal bool DetectResetByValues(FloatHistogram previous)
    {
        if (Count < previous.Count)
        {
            return true;
        }

        if (UsesCustomBuckets != previous.UsesCustomBuckets)
        {
            return true;
        }

        if (UsesCustomBuckets)
        {
            if (!CustomValues.AsSpan().SequenceEqual(previous.CustomValues))
            {
                // Differing bounds: a reset when any bucket of the shared bounds went down.
                var common = CommonBounds(CustomValues, previous.CustomValues);
                var (_, before, _) = Reduce(previous, Schema, 0, common);
                var (_, after, _) = Reduce(this, Schema, 0, common);
                return Decreased(before, after);
            }
        }
        else if (Schema > previous.Schema || ZeroThreshold < previous.ZeroThreshold)
        {
            return true;
        }

        var threshold = UsesCustomBuckets ? 0 : WidenedThreshold(previous, ZeroThreshold);
        if (threshold != ZeroThreshold)
        {
            return true;
        }

        var (prevZero, prevPos, prevNeg) = Reduce(previous, Schema, threshold);
        if (ZeroCount < prevZero)
        {
            return true;
        }

        var (_, curPos, curNeg) = Reduce(this, Schema, threshold);
        return Decreased(prevPos, curPos) || Decreased(prevNeg, curNeg);
    }

    /// <summary>Exact equality of layout and counts after compaction (the hint is not compared).</summary>
    public bool Equivalent(FloatHistogram other)
    {
        if (Schema != other.Schema || !SameNumber(ZeroThreshold, other.ZeroThreshold) || !SameNumber(ZeroCount, other.ZeroCount) ||
            !SameNumber(Count, other.Count) || !SameNumber(Sum, other.Sum) || !CustomValues.AsSpan().SequenceEqual(other.CustomValues))
        {
            return false;
        }

        return SameBuckets(Expand(PositiveSpans, PositiveBuckets), Expand(other.PositiveSpans, other.PositiveBuckets)) &&
               SameBuckets(Expand(NegativeSpans, NegativeBuckets), Expand(other.NegativeSpans, other.NegativeBuckets));
    }

    private static bool SameNumber(double a, double b) => a.Equals(b);

    private static bool SameBuckets(List<(int Index, double Count)> a, List<(int Index, double Count)> b)
    {
        a.RemoveAll(x => x.Count == 0);
        b.RemoveAll(x => x.Count == 0);
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Index != b[i].Index || !SameNumber(a[i].Count, b[i].Count))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Decreased(SortedDictionary<int, double> previous, SortedDictionary<int, double> current)
    {
        foreach (var (index, count) in previous)
        {
            if (count > 0 && (!current.TryGetValue(index, out var now) || now < count))
            {
                return true;
            }
        }

        return false;
    }

    private static FloatHistogram Combine(FloatHistogram a, FloatHistogram b, int sign)
    {
        if (a.UsesCustomBuckets != b.UsesCustomBuckets)
        {
            throw new HistogramMismatchException("vector contains a mix of histograms with exponential and custom buckets schemas");
        }

        // Differing custom bounds are reconciled onto the bounds both share, as Prometheus does.
        var bounds = a.UsesCustomBuckets && !a.CustomValues.AsSpan().SequenceEqual(b.CustomValues)
            ? CommonBounds(a.CustomValues, b.CustomValues)
            : null;

        var schema = Math.Min(a.Schema, b.Schema);
        var threshold = a.UsesCustomBuckets ? 0 : Math.Max(WidenedThreshold(a, Math.Max(a.ZeroThreshold, b.ZeroThreshold)), WidenedThreshold(b, Math.Max(a.ZeroThreshold, b.ZeroThreshold)));
        if (!a.UsesCustomBuckets)
        {
            // Absorbing a bucket can widen the threshold again; settle on a fixed point.
            double next;
            while ((next = Math.Max(WidenedThreshold(a, threshold), WidenedThreshold(b, threshold))) != threshold)
            {
                threshold = next;
            }
        }

        var (az, ap, an) = Reduce(a, schema, threshold, bounds);
        var (bz, bp, bn) = Reduce(b, schema, threshold, bounds);
        foreach (var (index, count) in bp)
        {
            ap[index] = ap.GetValueOrDefault(index) + (sign * count);
        }

        foreach (var (index, count) in bn)
        {
            an[index] = an.GetValueOrDefault(index) + (sign * count);
        }

        var (ps, pb) = Build(ap.Select(kv => (kv.Key, kv.Value)));
        var (ns, nb) = Build(an.Select(kv => (kv.Key, kv.Value)));
        return new FloatHistogram
        {
            Schema = schema,
            ZeroThreshold = threshold,
            ZeroCount = az + (sign * bz),
            Count = a.Count + (sign * b.Count),
            Sum = a.Sum + (sign * b.Sum),
            PositiveSpans = ps,
            PositiveBuckets = pb,
            NegativeSpans = ns,
            NegativeBuckets = nb,
            CustomValues = bounds ?? a.CustomValues,
            CounterResetHint = CombinedHint(a.CounterResetHint, b.CounterResetHint),
        };
    }

    // Gauge wins; otherwise equal hints stay and a disagreement is unknown.
    private static CounterResetHint CombinedHint(CounterResetHint a, CounterResetHint b)
    {
        if (a == b)
        {
            return a;
        }

        return a == CounterResetHint.Gauge || b == CounterResetHint.Gauge ? CounterResetHint.Gauge : CounterResetHint.Unknown;
    }

    // The zero threshold after absorbing every bucket of h that starts below it (a bucket straddling it widens it).
    private static double WidenedThreshold(FloatHistogram h, double threshold)
    {
        if (h.UsesCustomBuckets || threshold <= h.ZeroThreshold)
        {
            return Math.Max(threshold, h.ZeroThreshold);
        }

        foreach (var (spans, buckets) in new[] { (h.PositiveSpans, h.PositiveBuckets), (h.NegativeSpans, h.NegativeBuckets) })
        {
            foreach (var (index, _) in Expand(spans, buckets))
            {
                var lower = UpperBound(index - 1, h.Schema);
                if (lower >= threshold)
                {
                    break;
                }

                threshold = Math.Max(threshold, UpperBound(index, h.Schema));
            }
        }

        return threshold;
    }

    // Buckets mapped to a coarser schema, with the ones inside the zero bucket folded into the zero count.
    /// <summary>Whether both use custom buckets with different bounds (combining them reconciles the bounds).</summary>
    public bool HasMismatchedCustomBounds(FloatHistogram other) =>
        UsesCustomBuckets && other.UsesCustomBuckets && !CustomValues.AsSpan().SequenceEqual(other.CustomValues);

    /// <summary>This custom-bucket histogram with its buckets merged onto <paramref name="bounds"/>, a subset of its own bounds.</summary>
    public FloatHistogram WithCustomBounds(double[] bounds)
    {
        var (_, positive, _) = Reduce(this, Schema, 0, bounds);
        var (ps, pb) = Build(positive.Select(kv => (kv.Key, kv.Value)));
        return new FloatHistogram
        {
            Schema = Schema,
            Count = Count,
            Sum = Sum,
            PositiveSpans = ps,
            PositiveBuckets = pb,
            CustomValues = bounds,
            CounterResetHint = CounterResetHint,
        };
    }

    /// <summary>The bounds present in both sorted bound lists.</summary>
    public static double[] CommonBounds(double[] a, double[] b)
    {
        var result = new List<double>(Math.Min(a.Length, b.Length));
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                result.Add(a[i]);
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return [.. result];
    }

    private static (double Zero, SortedDictionary<int, double> Positive, SortedDictionary<int, double> Negative) Reduce(FloatHistogram h, int schema, double threshold, double[]? bounds = null)
    {
        var zero = h.ZeroCount;
        var positive = new SortedDictionary<int, double>();
        var negative = new SortedDictionary<int, double>();
        foreach (var (target, spans, buckets) in new[] { (positive, h.PositiveSpans, h.PositiveBuckets), (negative, h.NegativeSpans, h.NegativeBuckets) })
        {
            foreach (var (index, count) in Expand(spans, buckets))
            {
                if (!h.UsesCustomBuckets && threshold > h.ZeroThreshold && UpperBound(index, h.Schema) <= threshold)
                {
                    zero += count;
                    continue;
                }

                var mapped = bounds is not null ? CustomIndex(h.CustomValues, index, bounds)
                    : h.UsesCustomBuckets || schema >= h.Schema ? index : ((index - 1) >> (h.Schema - schema)) + 1;
                target[mapped] = target.GetValueOrDefault(mapped) + count;
            }
        }

        return (zero, positive, negative);
    }

    // The bucket of `bounds` holding bucket `index` of `own` (bounds is a subset of own; past the end is +Inf).
    private static int CustomIndex(double[] own, int index, double[] bounds)
    {
        if (index >= own.Length)
        {
            return bounds.Length;
        }

        var at = Array.BinarySearch(bounds, own[index]);
        return at >= 0 ? at : ~at;
    }

    private static FloatHistogram Clone(FloatHistogram h, CounterResetHint hint) => new()
    {
        Schema = h.Schema,
        ZeroThreshold = h.ZeroThreshold,
        ZeroCount = h.ZeroCount,
        Count = h.Count,
        Sum = h.Sum,
        PositiveSpans = h.PositiveSpans,
        PositiveBuckets = h.PositiveBuckets,
        NegativeSpans = h.NegativeSpans,
        NegativeBuckets = h.NegativeBuckets,
        CustomValues = h.CustomValues,
        CounterResetHint = hint,
        IsInteger = h.IsInteger,
    };
}
