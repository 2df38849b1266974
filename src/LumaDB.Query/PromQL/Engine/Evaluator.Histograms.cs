using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Quantiles and fractions over classic histograms (one series per <c>le</c> bucket).</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// Groups bucket series by their labels without <c>le</c> (the name stays until the end of evaluation, so two
    /// histograms differing only in name collide there); series without a valid <c>le</c> are ignored. A classic
    /// histogram with the same labels as a native one in the input is ambiguous: both are dropped.
    /// </summary>
    private (List<LabelSet> Order, Dictionary<LabelSet, List<(double Le, double Count)>> Groups, HashSet<LabelSet>? Clashes) BucketGroups(List<EvalSample> v, Expr at)
    {
        var (order, groups) = ClassicGroups(v, at);
        HashSet<LabelSet>? clashes = null;
        if (order.Count > 0)
        {
            foreach (var s in v)
            {
                if (s.H is not null && groups.Remove(s.Labels))
                {
                    (clashes ??= []).Add(s.Labels);
                    Warn(AnnotationText.MixedClassicNativeHistograms(s.Labels.Get(LabelSet.MetricName)), at);
                }
            }

            if (clashes is not null)
            {
                order.RemoveAll(clashes.Contains);
            }
        }

        return (order, groups, clashes);
    }

    private (List<LabelSet> Order, Dictionary<LabelSet, List<(double Le, double Count)>> Groups) ClassicGroups(List<EvalSample> v, Expr at)
    {
        var groups = new Dictionary<LabelSet, List<(double Le, double Count)>>();
        var order = new List<LabelSet>();
        foreach (var s in v)
        {
            if (s.H is not null)
            {
                continue;
            }

            var leText = s.Labels.Get("le");
            if (leText.Length == 0 || !PromQLParser.TryParseNumber(leText, out var le))
            {
                Warn(AnnotationText.BadBucketLabel(s.Labels.Get(LabelSet.MetricName), leText), at);
                continue;
            }

            var key = s.Labels.Without("le");
            if (!groups.TryGetValue(key, out var list))
            {
                list = [];
                groups[key] = list;
                order.Add(key);
            }

            list.Add((le, s.F));
        }

        return (order, groups);
    }

    private VectorValue HistogramQuantile(double q, List<EvalSample> v, long t, Expr at)
    {
        var (order, groups, clashes) = BucketGroups(v, at);
        var result = new List<EvalSample>(order.Count);
        foreach (var s in v)
        {
            if (s.H is { } h && clashes?.Contains(s.Labels) != true)
            {
                var value = NativeQuantile(q, h);
                NoteNaNQuantile(s, value, at);
                result.Add(new EvalSample(s.Labels, value, t, true));
            }
        }

        foreach (var key in order)
        {
            var buckets = NormalizeNoting(groups[key], key, at);
            result.Add(new EvalSample(key, buckets is null ? double.NaN : BucketQuantile(q, buckets), t, true));
        }

        return new VectorValue(result);
    }

    private VectorValue HistogramQuantiles(IReadOnlyList<Expr> args, long t)
    {
        var input = Vector(args[0], t);
        var (order, groups, clashes) = BucketGroups(input, args[0]);
        var label = ((StringLiteral)Unwrap(args[1])).Value;
        var qs = new double[args.Count - 2];
        for (var i = 2; i < args.Count; i++)
        {
            qs[i - 2] = Scalar(args[i], t);
            CheckQuantile(qs[i - 2], args[i]);
        }

        var result = new List<EvalSample>();
        foreach (var s in input)
        {
            if (s.H is { } h && clashes?.Contains(s.Labels) != true)
            {
                foreach (var q in qs)
                {
                    var value = NativeQuantile(q, h);
                    NoteNaNQuantile(s, value, args[0]);
                    result.Add(new EvalSample(s.Labels.With(label, QuantileLabel(q)), value, t, true));
                }
            }
        }

        foreach (var key in order)
        {
            var buckets = NormalizeNoting(groups[key], key, args[0]);
            foreach (var q in qs)
            {
                var value = buckets is null ? double.NaN : BucketQuantile(q, buckets);
                result.Add(new EvalSample(key.With(label, QuantileLabel(q)), value, t, true));
            }
        }

        return new VectorValue(result);
    }

    private VectorValue HistogramFraction(IReadOnlyList<Expr> args, long t)
    {
        var lower = Scalar(args[0], t);
        var upper = Scalar(args[1], t);
        var input = Vector(args[2], t);
        var (order, groups, clashes) = BucketGroups(input, args[2]);
        var result = new List<EvalSample>(order.Count);
        foreach (var s in input)
        {
            if (s.H is { } h && clashes?.Contains(s.Labels) != true)
            {
                if (double.IsNaN(h.Sum))
                {
                    Info(AnnotationText.FractionNaNs(s.Labels.Get(LabelSet.MetricName)), args[2]);
                }

                result.Add(new EvalSample(s.Labels, NativeFraction(lower, upper, h), t, true));
            }
        }

        foreach (var key in order)
        {
            var buckets = Normalize(groups[key], out _, minimum: 1);
            double value;
            if (buckets is null || buckets[^1].Count == 0 || double.IsNaN(lower) || double.IsNaN(upper))
            {
                value = double.NaN;
            }
            else
            {
                value = lower >= upper ? 0 : (Rank(upper, buckets) - Rank(lower, buckets)) / buckets[^1].Count;
            }

            result.Add(new EvalSample(key, value, t, true));
        }

        return new VectorValue(result);
    }

    // Buckets ready for interpolation, with an info when counts had to be made monotonic.
    private List<(double Le, double Count)>? NormalizeNoting(List<(double Le, double Count)> buckets, LabelSet key, Expr at)
    {
        var normalized = Normalize(buckets, out var forced);
        if (forced)
        {
            Info(AnnotationText.ForcedMonotonicity(key.Get(LabelSet.MetricName)), at);
        }

        return normalized;
    }

    // histogram_quantile over a native histogram holding NaN observations (a NaN sum).
    private void NoteNaNQuantile(EvalSample s, double value, Expr at)
    {
        if (double.IsNaN(s.H!.Sum))
        {
            var name = s.Labels.Get(LabelSet.MetricName);
            Info(double.IsNaN(value) ? AnnotationText.QuantileNaNResult(name) : AnnotationText.QuantileNaNSkew(name), at);
        }
    }

    // Quantile label values always show a fractional part, as OpenMetrics writes them ("0.0", "1.0").
    private static string QuantileLabel(double q)
    {
        var text = GoText.FormatFloat(q);
        return double.IsFinite(q) && text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? text + ".0" : text;
    }

    // Observations at or below v, interpolating linearly inside the bucket that holds v.
    private static double Rank(double v, List<(double Le, double Count)> buckets)
    {
        double previousLe = double.NegativeInfinity, previousCount = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            var (le, count) = buckets[i];
            if (v <= le)
            {
                if (double.IsPositiveInfinity(le))
                {
                    return double.IsPositiveInfinity(v) ? count : previousCount;
                }

                if (i == 0 && le <= 0)
                {
                    // A first bucket reaching down to -Inf has no width to interpolate in: its observations lie below any finite v.
                    return double.IsNegativeInfinity(v) ? 0 : count;
                }

                var start = i == 0 ? 0 : previousLe;
                if (v <= start)
                {
                    return previousCount;
                }

                return previousCount + ((count - previousCount) * (v - start) / (le - start));
            }

            previousLe = le;
            previousCount = count;
        }

        return previousCount;
    }

    /// <summary>Sorts, merges duplicate bounds and forces counts to be monotonic; null when there is no +Inf bucket.</summary>
    private static List<(double Le, double Count)>? Normalize(List<(double Le, double Count)> buckets, out bool forcedMonotonic, int minimum = 2)
    {
        forcedMonotonic = false;
        buckets.Sort((a, b) => a.Le.CompareTo(b.Le));
        if (buckets.Count < minimum || !double.IsPositiveInfinity(buckets[^1].Le))
        {
            return null;
        }

        var merged = new List<(double Le, double Count)>(buckets.Count);
        foreach (var b in buckets)
        {
            if (merged.Count > 0 && merged[^1].Le == b.Le)
            {
                merged[^1] = (b.Le, merged[^1].Count + b.Count);
            }
            else
            {
                merged.Add(b);
            }
        }

        // Scrapes of classic histograms are not atomic; a bucket may briefly count less than the one below it.
        for (var i = 1; i < merged.Count; i++)
        {
            if (merged[i].Count < merged[i - 1].Count)
            {
                forcedMonotonic = true;
                merged[i] = (merged[i].Le, merged[i - 1].Count);
            }
        }

        return merged.Count < minimum ? null : merged;
    }

    private static double BucketQuantile(double q, List<(double Le, double Count)> merged)
    {
        if (double.IsNaN(q))
        {
            return double.NaN;
        }

        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        var observations = merged[^1].Count;
        if (observations == 0 || double.IsNaN(observations))
        {
            return double.NaN;
        }

        var rank = q * observations;
        var index = 0;
        while (index < merged.Count - 1 && merged[index].Count < rank)
        {
            index++;
        }

        if (index == merged.Count - 1)
        {
            return merged[^2].Le;
        }

        if (index == 0 && merged[0].Le <= 0)
        {
            return merged[0].Le;
        }

        double bucketStart = 0;
        var bucketEnd = merged[index].Le;
        var count = merged[index].Count;
        if (index > 0)
        {
            bucketStart = merged[index - 1].Le;
            count -= merged[index - 1].Count;
            rank -= merged[index - 1].Count;
        }

        return bucketStart + ((bucketEnd - bucketStart) * (rank / count));
    }
}
