using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// The <c>anchored</c> and <c>smoothed</c> selector modifiers: ranges whose edges are pinned to the sample
/// before the window (anchored) or interpolated at the window's bounds (smoothed), and smoothed instant selectors.
/// </summary>
internal sealed partial class Evaluator
{
    private static readonly string[] SmoothedFunctions = ["delta", "increase", "rate"];
    private static readonly string[] AnchoredFunctions = ["changes", "delta", "increase", "rate", "resets"];

    private static void CheckExtendedRange(Call c, Expr arg)
    {
        if (Unwrap(arg) is not MatrixSelector { Selector: var vs })
        {
            return;
        }

        var name = c.Function.Name;
        if (vs.Smoothed && Array.IndexOf(SmoothedFunctions, name) < 0)
        {
            throw new PromQLEvaluationException("smoothed modifier can only be used with: delta, increase, rate - not with " + name);
        }

        if (vs.Anchored && Array.IndexOf(AnchoredFunctions, name) < 0)
        {
            throw new PromQLEvaluationException("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
        }
    }

    private List<EvalSample> SelectSmoothed(VectorSelector vs, long t)
    {
        var refTime = (AtTime(vs.Timestamp, vs.At) ?? t) - DurationMs(vs.Offset, vs.OffsetExpr);
        var result = new List<EvalSample>();
        var histograms = FetchHistograms(vs);
        foreach (var s in FetchWithoutStale(vs))
        {
            AddSmoothed(vs, s, histograms.GetValueOrDefault(s.Labels), refTime, t, result);
        }

        foreach (var hs in HistogramOnly(vs, histograms))
        {
            AddSmoothed(vs, null, hs, refTime, t, result);
        }

        return result;
    }

    // The value at refTime interpolated between the samples either side of it (either kind); the newest sample
    // when it is exact or nothing follows. A float and a histogram do not interpolate: a warning, no value.
    private void AddSmoothed(VectorSelector vs, StoredSeries? floats, StoredHistogramSeries? histograms, long refTime, long t, List<EvalSample> result)
    {
        var lookback = _options.LookbackDeltaMs;
        var fi = floats is null ? -1 : UpperBound(floats.Timestamps, refTime) - 1;
        var hi = histograms is null ? -1 : UpperBound(histograms.Timestamps, refTime) - 1;
        var fPrev = fi >= 0 ? floats!.Timestamps[fi] : long.MinValue;
        var hPrev = hi >= 0 ? histograms!.Timestamps[hi] : long.MinValue;
        var prevIsHistogram = hPrev > fPrev;
        var prevTime = Math.Max(fPrev, hPrev);
        if (prevTime == long.MinValue || prevTime <= refTime - lookback)
        {
            return;
        }

        var fNext = floats is not null && fi + 1 < floats.Timestamps.Length ? floats.Timestamps[fi + 1] : long.MaxValue;
        var hNext = histograms is not null && hi + 1 < histograms.Timestamps.Length ? histograms.Timestamps[hi + 1] : long.MaxValue;
        var labels = floats?.Labels ?? histograms!.Labels;
        if (prevTime == refTime || Math.Min(fNext, hNext) == long.MaxValue)
        {
            result.Add(prevIsHistogram ? new EvalSample(labels, histograms!.Histograms[hi], t, false) : new EvalSample(labels, floats!.Values[fi], t));
            return;
        }

        if (prevIsHistogram != (hNext < fNext))
        {
            Warn(AnnotationText.MixedFloatsHistograms(labels.Get(LabelSet.MetricName)), vs);
            return;
        }

        if (!prevIsHistogram)
        {
            result.Add(new EvalSample(labels, Interpolate(fPrev, floats!.Values[fi], fNext, floats.Values[fi + 1], refTime), t));
            return;
        }

        var (before, after) = (histograms!.Histograms[hi], histograms.Histograms[hi + 1]);
        if (before.UsesCustomBuckets != after.UsesCustomBuckets)
        {
            Warn(AnnotationText.MixedExponentialCustom(labels.Get(LabelSet.MetricName)), vs);
            return;
        }

        if (InterpolateHistogram(before, hPrev, after, hNext, refTime, after.CounterResetHint != CounterResetHint.Gauge) is { } h)
        {
            result.Add(new EvalSample(labels, h, t, false));
        }
    }

    /// <summary>
    /// A histogram between two samples at <paramref name="at"/>. A counter that was reset between them is taken to
    /// restart from zero, so the later sample is scaled down, and the result says it follows a reset.
    /// </summary>
    private static FloatHistogram? InterpolateHistogram(FloatHistogram h1, long t1, FloatHistogram h2, long t2, long at, bool counter)
    {
        var fraction = (double)(at - t1) / (t2 - t1);
        try
        {
            if (counter && h2.DetectReset(h1))
            {
                return h2.Scale(fraction).WithHint(CounterResetHint.CounterReset);
            }

            return h1.Add(h2.Subtract(h1).Scale(fraction));
        }
        catch (HistogramMismatchException)
        {
            return null;
        }
    }

    private static double Interpolate(long t1, double v1, long t2, double v2, long at) =>
        v1 + ((v2 - v1) * (at - t1) / (t2 - t1));

    private MatrixValue SelectBounded(MatrixSelector ms, long t, bool counter)
    {
        var vs = ms.Selector;
        var refTime = (AtTime(vs.Timestamp, vs.At) ?? t) - DurationMs(vs.Offset, vs.OffsetExpr);
        var range = DurationMs(ms.RangeDuration, ms.RangeExpr);
        var rangeStart = refTime - range;
        var lookback = _options.LookbackDeltaMs;
        var result = new List<RangeSeries>();
        if (vs.Anchored)
        {
            AddAnchored(vs, result, rangeStart, refTime, lookback);
            return new MatrixValue(result, rangeStart, refTime, bounded: true);
        }

        foreach (var s in FetchWithoutStale(vs))
        {
            var lo = UpperBound(s.Timestamps, rangeStart);
            var hi = UpperBound(s.Timestamps, refTime);

            // The sample at or before the window start, if recent enough, anchors the left edge.
            var before = lo - 1 >= 0 && s.Timestamps[lo - 1] > rangeStart - lookback ? lo - 1 : -1;
            var hasNext = hi < s.Timestamps.Length && s.Timestamps[hi] < refTime + lookback;
            if (hi <= lo && (before < 0 || !hasNext))
            {
                continue;
            }

            // Counter-correct the neighbourhood, then interpolate the edges.
            var ts = new List<long>(hi - lo + 2);
            var fs = new List<double>(hi - lo + 2);
            var first = before >= 0 ? before : lo;
            var last = hasNext ? hi : hi - 1;
            var corrected = new double[last - first + 1];
            var offset = 0.0;
            for (var i = first; i <= last; i++)
            {
                if (counter && i > first && s.Values[i] < s.Values[i - 1])
                {
                    offset += s.Values[i - 1];
                }

                corrected[i - first] = s.Values[i] + offset;
            }

            double C(int i) => corrected[i - first];
            ts.Add(rangeStart);
            fs.Add(before >= 0 ? Interpolate(s.Timestamps[before], C(before), s.Timestamps[before + 1], C(before + 1), rangeStart) : C(lo));
            for (var i = lo; i < hi; i++)
            {
                if (s.Timestamps[i] != refTime)
                {
                    ts.Add(s.Timestamps[i]);
                    fs.Add(C(i));
                }
            }

            ts.Add(refTime);
            fs.Add(hasNext ? Interpolate(s.Timestamps[hi - 1], C(hi - 1), s.Timestamps[hi], C(hi), refTime) : C(hi - 1));
            result.Add(new RangeSeries(s.Labels, ts.ToArray(), fs.ToArray(), 0, ts.Count, false));
        }

        AddSmoothedHistograms(ms, result, rangeStart, refTime, lookback, counter);
        return new MatrixValue(result, rangeStart, refTime, bounded: true);
    }

    // An anchored range: the window's samples plus the newest sample at or before its start, of either kind, so a
    // float anchor before histograms (or the other way round) counts as the first transition.
    private void AddAnchored(VectorSelector vs, List<RangeSeries> result, long rangeStart, long refTime, long lookback)
    {
        var histograms = FetchHistograms(vs);
        foreach (var s in FetchWithoutStale(vs))
        {
            AddAnchoredSeries(s.Labels, s, histograms.GetValueOrDefault(s.Labels), rangeStart, refTime, lookback, result);
        }

        foreach (var hs in HistogramOnly(vs, histograms))
        {
            AddAnchoredSeries(hs.Labels, null, hs, rangeStart, refTime, lookback, result);
        }
    }

    private static void AddAnchoredSeries(LabelSet labels, StoredSeries? floats, StoredHistogramSeries? histograms, long rangeStart, long refTime, long lookback, List<RangeSeries> result)
    {
        var (flo, fhi, fAnchor) = floats is null ? (0, 0, -1) : Anchored(floats.Timestamps, rangeStart, refTime, lookback);
        var (hlo, hhi, hAnchor) = histograms is null ? (0, 0, -1) : Anchored(histograms.Timestamps, rangeStart, refTime, lookback);
        if (fhi <= flo && hhi <= hlo)
        {
            return;
        }

        if (fAnchor >= 0 && hAnchor >= 0)
        {
            if (floats!.Timestamps[fAnchor] > histograms!.Timestamps[hAnchor])
            {
                hAnchor = -1;
            }
            else
            {
                fAnchor = -1;
            }
        }

        var fStart = fAnchor >= 0 ? fAnchor : flo;
        var series = new RangeSeries(labels, floats?.Timestamps ?? [], floats?.Values ?? [], fStart, floats is null ? 0 : fhi - fStart, false);
        var hStart = hAnchor >= 0 ? hAnchor : hlo;
        if (hhi > hStart)
        {
            series.WithHistograms(histograms!.Timestamps, histograms.Histograms, hStart, hhi - hStart);
        }

        result.Add(series);
    }

    // The window (rangeStart, refTime] as [lo, hi) and the sample before it when within the lookback (or -1).
    private static (int Lo, int Hi, int Anchor) Anchored(long[] ts, long rangeStart, long refTime, long lookback)
    {
        var lo = UpperBound(ts, rangeStart);
        var hi = UpperBound(ts, refTime);
        return (lo, hi, lo > 0 && ts[lo - 1] > rangeStart - lookback ? lo - 1 : -1);
    }

    /// <summary>
    /// Histogram samples of a smoothed range: the edges interpolated at the range's bounds (a counter reset between
    /// the samples either side restarts from zero), with the samples strictly inside between them. A reset the left
    /// edge already modelled is not corrected for again; one the right edge crossed is, against the sample before it.
    /// </summary>
    private void AddSmoothedHistograms(MatrixSelector ms, List<RangeSeries> result, long rangeStart, long rangeEnd, long lookback, bool counter)
    {
        Dictionary<LabelSet, RangeSeries>? floatSeries = null;
        foreach (var (labels, hs) in FetchHistograms(ms.Selector))
        {
            var ts = hs.Timestamps;
            var h = hs.Histograms;
            var lo = UpperBound(ts, rangeStart);
            var hi = UpperBound(ts, rangeEnd);
            var before = lo > 0 && ts[lo - 1] > rangeStart - lookback ? lo - 1 : -1;
            var next = hi < ts.Length && ts[hi] < rangeEnd + lookback ? hi : -1;
            if (hi <= lo && (before < 0 || next < 0))
            {
                continue;
            }

            var first = before >= 0 ? before : lo;
            var last = next >= 0 ? next : hi - 1;
            var custom = false;
            var exponential = false;
            for (var i = first; i <= last; i++)
            {
                custom |= h[i].UsesCustomBuckets;
                exponential |= !h[i].UsesCustomBuckets;
            }

            if (custom && exponential)
            {
                Warn(AnnotationText.MixedExponentialCustom(labels.Get(LabelSet.MetricName)), ms);
                continue;
            }

            if (SmoothedPoints(ts, h, before, lo, hi, next, rangeStart, rangeEnd, counter) is not { } points)
            {
                continue;
            }

            // The float series already in the result, by labels: one lookup per histogram series, not a list scan.
            floatSeries ??= result.ToDictionary(r => r.Labels);
            if (!floatSeries.TryGetValue(labels, out var series))
            {
                series = new RangeSeries(labels, [], [], 0, 0, false);
                result.Add(series);
            }

            series.WithHistograms(points.Times, points.Values, 0, points.Times.Length);
        }
    }

    private static (long[] Times, FloatHistogram[] Values)? SmoothedPoints(long[] ts, FloatHistogram[] h, int before, int lo, int hi, int next, long rangeStart, long rangeEnd, bool counter)
    {
        var times = new List<long>(hi - lo + 2);
        var values = new List<FloatHistogram>(hi - lo + 2);
        var leftInterpolated = false;
        if (before >= 0)
        {
            var left = ts[before] == rangeStart ? h[before] : InterpolateHistogram(h[before], ts[before], h[before + 1], ts[before + 1], rangeStart, counter);
            if (left is null)
            {
                return null;
            }

            leftInterpolated = ts[before] != rangeStart;
            times.Add(rangeStart);
            values.Add(left);
        }

        for (var i = lo; i < hi; i++)
        {
            // A reset between the sample before the range and this one is already in the interpolated left edge.
            var x = i == lo && leftInterpolated && IsResetHint(h[i]) ? h[i].WithHint(CounterResetHint.NotCounterReset) : h[i];
            times.Add(ts[i]);
            values.Add(x);
        }

        if (next >= 0 && (hi == lo || ts[hi - 1] != rangeEnd))
        {
            var prev = hi > lo ? hi - 1 : before;
            var right = InterpolateHistogram(h[prev], ts[prev], h[next], ts[next], rangeEnd, counter);
            if (right is null)
            {
                return null;
            }

            // Both edges from the same pair of samples: the left edge already restarted the counter.
            if (hi == lo && leftInterpolated && right.CounterResetHint == CounterResetHint.CounterReset)
            {
                right = right.WithHint(CounterResetHint.NotCounterReset);
            }

            times.Add(rangeEnd);
            values.Add(right);
        }

        return ([.. times], [.. values]);

        static bool IsResetHint(FloatHistogram x) => x.CounterResetHint == CounterResetHint.CounterReset;
    }

    // rate/increase/delta over a bounded histogram range: the plain difference of its edges, reset-corrected for counters.
    private static FloatHistogram? BoundedHistogramDelta(ReadOnlySpan<FloatHistogram> hs, MatrixValue m, bool isCounter, bool isRate)
    {
        FloatHistogram result;
        if (isCounter)
        {
            result = hs[^1].Subtract(hs[0]);
            for (var i = 1; i < hs.Length; i++)
            {
                if (hs[i].DetectReset(hs[i - 1]))
                {
                    result = result.Add(hs[i - 1]);
                }
            }
        }
        else
        {
            result = hs[^1].Subtract(hs[0]);
        }

        if (isRate)
        {
            result = result.Divide((m.RangeEnd - m.RangeStart) / 1000.0);
        }

        return result.WithHint(CounterResetHint.Gauge).Compact();
    }

    private static double BoundedDelta(ReadOnlySpan<double> fs, MatrixValue m, bool isCounter, bool isRate)
    {
        var result = fs[^1] - fs[0];
        if (isCounter)
        {
            for (var i = 1; i < fs.Length; i++)
            {
                if (fs[i] < fs[i - 1])
                {
                    result += fs[i - 1];
                }
            }
        }

        return isRate ? result / ((m.RangeEnd - m.RangeStart) / 1000.0) : result;
    }
}
