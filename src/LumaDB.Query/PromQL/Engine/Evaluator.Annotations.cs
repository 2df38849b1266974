using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>The warnings and infos a query collects while it runs.</summary>
internal sealed partial class Evaluator
{
    /// <summary>Everything raised so far; attached to the result.</summary>
    public AnnotationSet Annotations { get; } = new();

    /// <summary>Whether this is a range query (several steps), for notes that only apply to one.</summary>
    private bool IsRangeQuery => _step > 0;

    private void Warn(string message, Expr at) => Annotations.Warn(message, at.Range);

    private void Info(string message, Expr at) => Annotations.Info(message, at.Range);

    // rate and increase over floats of a metric that does not look like a counter.
    private void CheckCounterName(LabelSet labels, Expr at)
    {
        var name = labels.Get(LabelSet.MetricName);
        if (name.Length == 0)
        {
            return;
        }

        var type = labels.Get("__type__");
        if (type.Length > 0)
        {
            if (type is not ("counter" or "histogram"))
            {
                Info(AnnotationText.PossibleNonCounterType(name, type), at);
            }

            return;
        }

        if (!name.EndsWith("_total", StringComparison.Ordinal) && !name.EndsWith("_sum", StringComparison.Ordinal) &&
            !name.EndsWith("_count", StringComparison.Ordinal) && !name.EndsWith("_bucket", StringComparison.Ordinal))
        {
            Info(AnnotationText.PossibleNonCounter(name), at);
        }
    }

    private void CheckQuantile(double q, Expr at)
    {
        if (!(q >= 0 && q <= 1))
        {
            Warn(AnnotationText.InvalidQuantile(q), at);
        }
    }

    private void WarnSortInRangeQuery(Call c)
    {
        if (IsRangeQuery)
        {
            Warn(AnnotationText.SortInRangeQuery, c);
        }
    }

    // A binary operation involving a histogram gave no result: either the operator does not apply to these
    // sample types, or (histogram ± histogram) the bucket layouts could not be reconciled.
    private void NoteHistogramOperands(BinaryExpr b, bool leftIsHistogram, bool rightIsHistogram)
    {
        var op = b.Operator.Symbol();
        if (leftIsHistogram && rightIsHistogram && b.Operator is BinaryOperator.Eql or BinaryOperator.Neq)
        {
            return;
        }

        if (leftIsHistogram && rightIsHistogram && b.Operator is BinaryOperator.Add or BinaryOperator.Sub)
        {
            Warn(AnnotationText.IncompatibleBucketLayoutInBinaryOperator(op), b);
            return;
        }

        Info(AnnotationText.IncompatibleTypesInBinaryOperator(leftIsHistogram ? "histogram" : "float", op, rightIsHistogram ? "histogram" : "float"), b);
    }

    // The notes Prometheus raises for rates, deltas and sums over native histograms before computing them.
    // Returns false when the series has no result because it mixes floats and histograms.
    private bool CheckHistogramRange(string name, RangeSeries s, Expr at)
    {
        var instant = IsLastPairDifference(name);
        if (!IsHistogramDifference(name) && !IsHistogramSumOverTime(name))
        {
            return true;
        }

        var metric = s.Labels.Get(LabelSet.MetricName);
        if (s.Count > 0 && (!instant || LastTwoMixKinds(s)))
        {
            Warn(AnnotationText.MixedFloatsHistograms(metric), at);
            return false;
        }

        var used = HistogramsUsed(name, s);
        var gauge = false;
        var counter = false;
        foreach (var h in used)
        {
            gauge |= h.CounterResetHint == CounterResetHint.Gauge;
            counter |= h.CounterResetHint != CounterResetHint.Gauge;
        }

        if (used.Length >= 2 && IsCounterDifference(name) && gauge)
        {
            Warn(AnnotationText.NotCounter(metric), at);
        }
        else if (used.Length >= 2 && IsHistogramDifference(name) && !IsCounterDifference(name) && counter)
        {
            Warn(AnnotationText.NotGauge(metric), at);
        }

        return true;
    }

    // After a rate, delta or sum over native histograms: no result from a mix of exponential and custom bucket
    // schemas is warned about; custom bounds that differed and were reconciled are noted.
    private void NoteHistogramRangeResult(string name, RangeSeries s, bool produced, Expr at)
    {
        var instant = IsLastPairDifference(name);
        if ((s.Count > 0 && !instant) || (!IsHistogramDifference(name) && !IsHistogramSumOverTime(name)))
        {
            return;
        }

        // A counter reset between two samples means no subtraction across it, so nothing to reconcile there.
        var counter = IsCounterDifference(name);

        var used = HistogramsUsed(name, s);
        var custom = false;
        var exponential = false;
        var reconciled = false;
        for (var i = 0; i < used.Length; i++)
        {
            custom |= used[i].UsesCustomBuckets;
            exponential |= !used[i].UsesCustomBuckets;
            reconciled |= i > 0 && used[i].UsesCustomBuckets && used[i - 1].UsesCustomBuckets
                && !used[i].CustomValues.AsSpan().SequenceEqual(used[i - 1].CustomValues)
                && !(counter && used[i].DetectReset(used[i - 1]));
        }

        if (!produced)
        {
            if (custom && exponential)
            {
                Warn(AnnotationText.MixedExponentialCustom(s.Labels.Get(LabelSet.MetricName)), at);
            }

            return;
        }

        if (reconciled)
        {
            Info(AnnotationText.MismatchedCustomBuckets(IsHistogramSumOverTime(name) ? "aggregation" : "subtraction"), at);
        }
    }

    // Histograms added up with both "reset" and "not a reset" hints: Prometheus warns of the conflict. Plain reads
    // never say "reset" (a chunk that starts with one reads "unknown"), statistics-only reads do.
    private static bool HintsCollide(ReadOnlySpan<FloatHistogram> hs)
    {
        var reset = false;
        var notReset = false;
        foreach (var h in hs)
        {
            reset |= h.CounterResetHint == CounterResetHint.CounterReset;
            notReset |= h.CounterResetHint == CounterResetHint.NotCounterReset;
        }

        return reset && notReset;
    }

    private static bool HintsCollide(List<EvalSample> samples)
    {
        var reset = false;
        var notReset = false;
        foreach (var s in samples)
        {
            reset |= s.H?.CounterResetHint == CounterResetHint.CounterReset;
            notReset |= s.H?.CounterResetHint == CounterResetHint.NotCounterReset;
        }

        return reset && notReset;
    }

    private static ReadOnlySpan<FloatHistogram> HistogramsUsed(string name, RangeSeries s)
    {
        var hs = s.Histograms;
        return IsLastPairDifference(name) && hs.Length >= 2 ? hs[^2..] : hs;
    }

    // The range functions that take differences of native histograms, and which of those read counters or only
    // the last two samples; sum_over_time and avg_over_time add them up. One place for the notes above.
    private static bool IsHistogramDifference(string name) => name is "rate" or "increase" or "delta" or "irate" or "idelta";

    private static bool IsCounterDifference(string name) => name is "rate" or "increase" or "irate";

    private static bool IsLastPairDifference(string name) => name is "irate" or "idelta";

    private static bool IsHistogramSumOverTime(string name) => name is "sum_over_time" or "avg_over_time";

    // Whether the two newest samples of a series holding both floats and histograms are one of each.
    private static bool LastTwoMixKinds(RangeSeries s)
    {
        var floats = s.Times;
        var histograms = s.HistogramTimes;
        if (floats.Length == 0 || histograms.Length == 0)
        {
            return false;
        }

        return floats[^1] > histograms[^1]
            ? floats.Length < 2 || floats[^2] < histograms[^1]
            : histograms.Length < 2 || histograms[^2] < floats[^1];
    }
}
