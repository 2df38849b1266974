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
        foreach (var s in FetchWithoutStale(vs))
        {
            var i = UpperBound(s.Timestamps, refTime) - 1;
            if (i < 0 || s.Timestamps[i] <= refTime - _options.LookbackDeltaMs)
            {
                continue;
            }

            var value = s.Values[i];
            if (s.Timestamps[i] != refTime && i + 1 < s.Timestamps.Length)
            {
                value = Interpolate(s.Timestamps[i], s.Values[i], s.Timestamps[i + 1], s.Values[i + 1], refTime);
            }

            result.Add(new EvalSample(s.Labels, value, t));
        }

        return result;
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
        foreach (var s in FetchWithoutStale(vs))
        {
            var lo = UpperBound(s.Timestamps, rangeStart);
            var hi = UpperBound(s.Timestamps, refTime);

            // The sample at or before the window start, if recent enough, anchors the left edge.
            var before = lo - 1 >= 0 && s.Timestamps[lo - 1] > rangeStart - lookback ? lo - 1 : -1;
            var hasNext = hi < s.Timestamps.Length && s.Timestamps[hi] < refTime + lookback;
            if (hi <= lo && (vs.Anchored || before < 0 || !hasNext))
            {
                continue;
            }

            var ts = new List<long>(hi - lo + 2);
            var fs = new List<double>(hi - lo + 2);
            if (vs.Anchored)
            {
                if (before >= 0)
                {
                    ts.Add(s.Timestamps[before]);
                    fs.Add(s.Values[before]);
                }

                for (var i = lo; i < hi; i++)
                {
                    ts.Add(s.Timestamps[i]);
                    fs.Add(s.Values[i]);
                }
            }
            else
            {
                // Smoothed: counter-correct the neighbourhood, then interpolate the edges.
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
            }

            result.Add(new RangeSeries(s.Labels, ts.ToArray(), fs.ToArray(), 0, ts.Count, false));
        }

        if (vs.Anchored)
        {
            AddAnchoredHistograms(vs, result, rangeStart, refTime, lookback);
        }

        return new MatrixValue(result, rangeStart, refTime, bounded: true);
    }

    // Histogram samples of an anchored range: the window's samples plus the one before it, as for floats.
    private void AddAnchoredHistograms(VectorSelector vs, List<RangeSeries> result, long rangeStart, long refTime, long lookback)
    {
        foreach (var (labels, hs) in FetchHistograms(vs))
        {
            var lo = UpperBound(hs.Timestamps, rangeStart);
            var hi = UpperBound(hs.Timestamps, refTime);
            if (hi <= lo)
            {
                continue;
            }

            var start = lo - 1 >= 0 && hs.Timestamps[lo - 1] > rangeStart - lookback ? lo - 1 : lo;
            var series = result.Find(r => r.Labels.Equals(labels));
            if (series is null)
            {
                series = new RangeSeries(labels, [], [], 0, 0, false);
                result.Add(series);
            }

            series.WithHistograms(hs.Timestamps, hs.Histograms, start, hi - start);
        }
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
