using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Aggregation operators, grouped by <c>by</c>/<c>without</c> labels.</summary>
internal sealed partial class Evaluator
{
    private VectorValue EvalAggregate(AggregateExpr a, long t)
    {
        var input = ((VectorValue)Eval(a.Inner, t)).Samples;
        double param = 0;
        string? label = null;
        byte[]? invalidLabel = null;
        if (a.Parameter is not null)
        {
            var p = Eval(a.Parameter, t);
            if (p is StringValue sv)
            {
                label = sv.Value;
                invalidLabel = sv.InvalidUtf8;
            }
            else
            {
                param = ((ScalarValue)p).Value;
            }

            if (a.Operator == AggregationOperator.Quantile)
            {
                CheckQuantile(param, a.Parameter);
            }
        }

        var groups = new Dictionary<LabelSet, List<EvalSample>>();
        var order = new List<LabelSet>();
        foreach (var s in input)
        {
            var key = CachedGroupKey(a, s.Labels);
            if (!groups.TryGetValue(key, out var list))
            {
                list = [];
                groups[key] = list;
                order.Add(key);
            }

            list.Add(s);
        }

        var result = new List<EvalSample>();
        switch (a.Operator)
        {
            case AggregationOperator.Topk or AggregationOperator.Bottomk or AggregationOperator.Limitk:
                {
                    if (double.IsNaN(param))
                    {
                        throw new PromQLEvaluationException("Parameter value is NaN");
                    }

                    if (Math.Abs(param) > long.MaxValue)
                    {
                        throw new PromQLEvaluationException($"Scalar value {GoText.FormatFloat(param)} overflows int64");
                    }

                    var k = (long)param;
                    foreach (var key in order)
                    {
                        var list = groups[key];
                        if (a.Operator != AggregationOperator.Limitk && list.RemoveAll(static s => s.H is not null) > 0)
                        {
                            Info(AnnotationText.HistogramIgnoredInAggregation(a.Operator.Keyword()), a.Inner);
                        }

                        if (a.Operator == AggregationOperator.Limitk)
                        {
                            list.Sort(static (x, y) => LabelSet.Compare(x.Labels, y.Labels));
                        }
                        else
                        {
                            var top = a.Operator == AggregationOperator.Topk;
                            list.Sort((x, y) => CompareForRank(x.F, y.F, top));
                        }

                        for (var i = 0; i < list.Count && i < k; i++)
                        {
                            result.Add(list[i] with { T = t });
                        }
                    }

                    return new VectorValue(result);
                }

            case AggregationOperator.LimitRatio:
                {
                    if (double.IsNaN(param))
                    {
                        throw new PromQLEvaluationException("Ratio value is NaN");
                    }

                    var ratio = Math.Clamp(param, -1, 1);
                    if (ratio != param)
                    {
                        Warn(AnnotationText.InvalidRatio(param, ratio), a.Parameter!);
                    }

                    foreach (var s in input)
                    {
                        var offset = LabelHashFraction(s.Labels);
                        if (ratio >= 0 ? offset < ratio : offset >= 1 + ratio)
                        {
                            result.Add(s with { T = t });
                        }
                    }

                    return new VectorValue(result);
                }

            case AggregationOperator.CountValues:
                {
                    var counts = new Dictionary<LabelSet, int>();
                    var outOrder = new List<LabelSet>();
                    if (!GoText.IsLegacyLabelName(label!) && label!.Length == 0)
                    {
                        throw new PromQLEvaluationException("invalid label name \"" + label + "\"");
                    }

                    // A label name must be valid UTF-8; the error quotes the bytes as written.
                    if (invalidLabel is not null)
                    {
                        throw new PromQLEvaluationException("invalid label name " + GoText.QuoteBytes(invalidLabel));
                    }

                    foreach (var s in input)
                    {
                        var key = GroupKey(a, s.Labels).With(label!, s.H is { } h ? HistogramText.Format(h) : GoText.FormatFloat(s.F));
                        if (counts.TryGetValue(key, out var c))
                        {
                            counts[key] = c + 1;
                        }
                        else
                        {
                            counts[key] = 1;
                            outOrder.Add(key);
                        }
                    }

                    foreach (var key in outOrder)
                    {
                        result.Add(new EvalSample(key, counts[key], t));
                    }

                    return new VectorValue(result);
                }
        }

        foreach (var key in order)
        {
            var list = groups[key];
            // A pending name drop survives aggregation, so grouping by __name__ can still collide at the end.
            var drop = false;
            foreach (var s in list)
            {
                drop |= s.DropName;
            }

            var dropKey = drop && key.Has(LabelSet.MetricName);
            var histograms = 0;
            foreach (var s in list)
            {
                histograms += s.H is null ? 0 : 1;
            }

            if (histograms > 0 && a.Operator is not (AggregationOperator.Count or AggregationOperator.Group))
            {
                if (a.Operator is AggregationOperator.Sum or AggregationOperator.Avg)
                {
                    // Floats and histograms do not add up: such a group has no result.
                    if (HintsCollide(list))
                    {
                        Warn(AnnotationText.CounterResetCollision("aggregation"), a.Inner);
                    }

                    if (histograms < list.Count)
                    {
                        Warn(AnnotationText.MixedFloatsHistogramsInAggregation, a.Inner);
                    }
                    else if (AggregateHistograms(a.Operator, list) is { } h)
                    {
                        result.Add(new EvalSample(key, h, t, dropKey));
                    }
                    else if (list.Exists(static s => s.H!.UsesCustomBuckets) && list.Exists(static s => !s.H!.UsesCustomBuckets))
                    {
                        Warn(AnnotationText.MixedExponentialCustom(list[0].Labels.Get(LabelSet.MetricName)), a.Inner);
                    }

                    continue;
                }

                list.RemoveAll(static s => s.H is not null);
                Info(AnnotationText.HistogramIgnoredInAggregation(a.Operator.Keyword()), a.Inner);
                if (list.Count == 0)
                {
                    continue;
                }
            }

            result.Add(new EvalSample(key, AggregateGroup(a.Operator, list, param), t, dropKey));
        }

        return new VectorValue(result);
    }

    private static FloatHistogram? AggregateHistograms(AggregationOperator op, List<EvalSample> list)
    {
        try
        {
            var hs = new FloatHistogram[list.Count];
            for (var i = 0; i < hs.Length; i++)
            {
                hs[i] = list[i].H!;
            }

            return (op == AggregationOperator.Avg ? AverageHistograms(hs) : SumHistograms(hs)).Compact();
        }
        catch (HistogramMismatchException)
        {
            return null;
        }
    }

    /// <summary>
    /// The group key of <paramref name="labels"/>, computed once per input series for the whole query: a range
    /// query aggregates the same label sets (selectors keep their series' instances) at every step.
    /// </summary>
    private LabelSet CachedGroupKey(AggregateExpr a, LabelSet labels)
    {
        if (!_groupKeys.TryGetValue(a, out var cache))
        {
            cache = new Dictionary<LabelSet, LabelSet>(ReferenceEqualityComparer.Instance);
            _groupKeys[a] = cache;
        }

        if (cache.TryGetValue(labels, out var key))
        {
            return key;
        }

        key = GroupKey(a, labels);

        // Label sets built per step (label_replace and the like) would only grow the cache: bound it.
        if (cache.Count >= MaxCachedGroupKeys)
        {
            cache.Clear();
        }

        cache[labels] = key;
        return key;
    }

    private static LabelSet GroupKey(AggregateExpr a, LabelSet labels)
    {
        var names = a.Grouping;
        return a.Without
            ? labels.Filter(n => n != LabelSet.MetricName && !Contains(names, n))
            : labels.Filter(n => Contains(names, n));
    }

    // NaN ranks last for both topk and bottomk.
    private static int CompareForRank(double x, double y, bool descending)
    {
        if (double.IsNaN(x))
        {
            return double.IsNaN(y) ? 0 : 1;
        }

        if (double.IsNaN(y))
        {
            return -1;
        }

        return descending ? y.CompareTo(x) : x.CompareTo(y);
    }

    private static double LabelHashFraction(LabelSet labels)
    {
        // FNV-1a over the labels: a stable pseudo-random position in [0, 1) per series.
        var h = 14695981039346656037UL;
        foreach (var l in labels.Labels)
        {
            foreach (var ch in l.Name)
            {
                h = (h ^ ch) * 1099511628211UL;
            }

            h = (h ^ 0xff) * 1099511628211UL;
            foreach (var ch in l.Value)
            {
                h = (h ^ ch) * 1099511628211UL;
            }

            h = (h ^ 0xfe) * 1099511628211UL;
        }

        return h / (double)ulong.MaxValue;
    }

    private static double AggregateGroup(AggregationOperator op, List<EvalSample> list, double param)
    {
        switch (op)
        {
            case AggregationOperator.Sum:
                {
                    var sum = new KahanSum();
                    foreach (var s in list)
                    {
                        sum.Add(s.F);
                    }

                    return sum.Value;
                }

            case AggregationOperator.Avg:
                {
                    var sum = new KahanSum();
                    foreach (var s in list)
                    {
                        sum.Add(s.F);
                    }

                    if (!double.IsInfinity(sum.Value))
                    {
                        return sum.Value / list.Count;
                    }

                    // The sum overflowed: an incremental mean stays finite when the inputs are.
                    double mean = 0;
                    for (var i = 0; i < list.Count; i++)
                    {
                        var f = list[i].F;
                        if (double.IsInfinity(mean) && (double.IsFinite(f) || (double.IsInfinity(f) && Math.Sign(mean) == Math.Sign(f))))
                        {
                            continue;
                        }

                        mean += (f / (i + 1)) - (mean / (i + 1));
                    }

                    return mean;
                }

            case AggregationOperator.Min:
                {
                    var v = list[0].F;
                    foreach (var s in list)
                    {
                        if (v > s.F || double.IsNaN(v))
                        {
                            v = s.F;
                        }
                    }

                    return v;
                }

            case AggregationOperator.Max:
                {
                    var v = list[0].F;
                    foreach (var s in list)
                    {
                        if (v < s.F || double.IsNaN(v))
                        {
                            v = s.F;
                        }
                    }

                    return v;
                }

            case AggregationOperator.Count:
                return list.Count;
            case AggregationOperator.Group:
                return 1;
            case AggregationOperator.Stddev or AggregationOperator.Stdvar:
                {
                    var values = new double[list.Count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = list[i].F;
                    }

                    var variance = Variance(values);
                    return op == AggregationOperator.Stddev ? Math.Sqrt(variance) : variance;
                }

            case AggregationOperator.Quantile:
                {
                    var values = new double[list.Count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = list[i].F;
                    }

                    return Quantile(param, values);
                }

            default:
                throw new PromQLEvaluationException("unsupported aggregation " + op.Keyword());
        }
    }

    /// <summary>Population variance by Welford's method.</summary>
    internal static double Variance(ReadOnlySpan<double> values)
    {
        double count = 0, mean = 0, m2 = 0;
        foreach (var f in values)
        {
            count++;
            var delta = f - mean;
            mean += delta / count;
            m2 += delta * (f - mean);
        }

        return m2 / count;
    }

    /// <summary>The φ-quantile by linear interpolation between closest ranks (sorts <paramref name="values"/>).</summary>
    internal static double Quantile(double q, double[] values)
    {
        if (values.Length == 0 || double.IsNaN(q))
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

        Array.Sort(values);
        var rank = q * (values.Length - 1);
        var lower = Math.Max(0, (int)Math.Floor(rank));
        var upper = Math.Min(values.Length - 1, lower + 1);
        var weight = rank - Math.Floor(rank);
        return (values[lower] * (1 - weight)) + (values[upper] * weight);
    }
}
