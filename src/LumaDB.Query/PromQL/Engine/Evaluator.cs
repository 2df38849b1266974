using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Evaluates one query step by step. Every selector reads its series once for the whole query (the window is
/// worked out up front from offsets, <c>@</c>, ranges and subqueries), and each step then slices the decoded
/// arrays by binary search.
/// </summary>
internal sealed partial class Evaluator
{
    private readonly IMetricSource _source;
    private readonly PromQLEngineOptions _options;
    private readonly long _start;
    private readonly long _end;
    private readonly long _step;
    private const int MaxCachedGroupKeys = 1 << 18;
    private readonly Dictionary<AggregateExpr, Dictionary<LabelSet, LabelSet>> _groupKeys = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<VectorSelector, (long Min, long Max)> _windows = [];
    private readonly Dictionary<VectorSelector, IReadOnlyList<StoredSeries>> _instantData = [];
    private readonly Dictionary<VectorSelector, List<StoredSeries>> _rangeData = [];

    public Evaluator(IMetricSource source, PromQLEngineOptions options, long start, long end, long step, Expr root)
    {
        _source = source;
        _options = options;
        _start = start;
        _end = end;
        _step = step;
        PlanWindows(root, start, end);
        DetectStatsSelectors(root, []);
    }

    private double StepSeconds => _step / 1000.0;

    private double RangeSeconds => (_end - _start) / 1000.0;

    private long DurationMs(TimeSpan written, DurationExpr? computed) =>
        computed is null ? (long)written.TotalMilliseconds : (long)Math.Round(DurationExpr.Evaluate(computed, StepSeconds, RangeSeconds) * 1000);

    private long? AtTime(long? timestamp, AtBound at) => at switch
    {
        AtBound.Start => _start,
        AtBound.End => _end,
        _ => timestamp,
    };

    // Works out, per selector, the widest sample window any step can ask for.
    private void PlanWindows(Expr e, long from, long to)
    {
        switch (e)
        {
            case VectorSelector vs:
                Widen(vs, from, to, _options.LookbackDeltaMs, vs.Smoothed ? _options.LookbackDeltaMs : 0);
                return;
            case MatrixSelector ms:
                // Anchored and smoothed ranges also look at samples around the window's edges.
                var edge = ms.Selector.Anchored || ms.Selector.Smoothed ? _options.LookbackDeltaMs : 0;
                Widen(ms.Selector, from, to, DurationMs(ms.RangeDuration, ms.RangeExpr) + edge, edge);
                return;
            case SubqueryExpr sq:
                {
                    var offset = DurationMs(sq.Offset, sq.OffsetExpr);
                    var range = DurationMs(sq.RangeDuration, sq.RangeExpr);
                    var at = AtTime(sq.Timestamp, sq.At);
                    var lo = (at ?? from) - offset - range;
                    var hi = (at ?? to) - offset;
                    PlanWindows(sq.Inner, lo, hi);
                    return;
                }

            default:
                foreach (var child in e.Children)
                {
                    PlanWindows(child, from, to);
                }

                return;
        }
    }

    private void Widen(VectorSelector vs, long from, long to, long lookback, long lookahead)
    {
        var offset = DurationMs(vs.Offset, vs.OffsetExpr);
        var at = AtTime(vs.Timestamp, vs.At);
        var lo = (at ?? from) - offset - lookback;
        var hi = (at ?? to) - offset + lookahead;
        _windows[vs] = _windows.TryGetValue(vs, out var w) ? (Math.Min(w.Min, lo), Math.Max(w.Max, hi)) : (lo, hi);
    }

    public EvalValue Eval(Expr e, long t)
    {
        _cancellation.ThrowIfCancellationRequested();
        switch (e)
        {
            case NumberLiteral n:
                return new ScalarValue(n.Value);
            case StringLiteral s:
                return new StringValue(s.Value, s.InvalidUtf8Bytes);
            case ParenExpr p:
                return Eval(p.Inner, t);
            case StepInvariantExpr si:
                return Eval(si.Inner, t);
            case UnaryExpr u:
                return EvalUnary(u, t);
            case VectorSelector vs:
                return Charge(new VectorValue(vs.Smoothed ? SelectSmoothed(vs, t) : SelectInstant(vs, t)));
            case MatrixSelector ms:
                return Charge(ms.Selector.Anchored || ms.Selector.Smoothed ? SelectBounded(ms, t, counter: true) : SelectRange(ms, t));
            case SubqueryExpr sq:
                return Charge(EvalSubquery(sq, t));
            case BinaryExpr b:
                return EvalBinary(b, t);
            case AggregateExpr a:
                return EvalAggregate(a, t);
            case Call c:
                return EvalCall(c, t);
            case DurationExpr d:
                return new ScalarValue(DurationExpr.Evaluate(d, StepSeconds, RangeSeconds));
            default:
                throw new PromQLEvaluationException("unsupported expression " + e.GetType().Name);
        }
    }

    private EvalValue EvalUnary(UnaryExpr u, long t)
    {
        var v = Eval(u.Operand, t);
        if (!u.Negate)
        {
            return v;
        }

        if (v is ScalarValue s)
        {
            return new ScalarValue(-s.Value);
        }

        var samples = ((VectorValue)v).Samples;
        for (var i = 0; i < samples.Count; i++)
        {
            var x = samples[i];
            samples[i] = x.H is { } h ? new EvalSample(x.Labels, h.Scale(-1).WithHint(CounterResetHint.Gauge), t, true) : new EvalSample(x.Labels, -x.F, t, true);
        }

        return v;
    }

    private IReadOnlyList<StoredSeries> Fetch(VectorSelector vs)
    {
        if (_instantData.TryGetValue(vs, out var data))
        {
            return data;
        }

        var (min, max) = _windows.TryGetValue(vs, out var w) ? w : (long.MinValue / 4, long.MaxValue / 4);
        data = _source.Select(SeriesMatchers.From(vs.Matchers), min + 1, max);
        _instantData[vs] = data;
        return data;
    }

    // Range functions never see staleness markers, so the range view drops them once per query.
    private List<StoredSeries> FetchWithoutStale(VectorSelector vs)
    {
        if (_rangeData.TryGetValue(vs, out var cached))
        {
            return cached;
        }

        var result = new List<StoredSeries>();
        foreach (var s in Fetch(vs))
        {
            var stale = 0;
            foreach (var f in s.Values)
            {
                if (StaleMarker.Is(f))
                {
                    stale++;
                }
            }

            if (stale == 0)
            {
                result.Add(s);
                continue;
            }

            var ts = new long[s.Values.Length - stale];
            var vs2 = new double[ts.Length];
            var n = 0;
            for (var i = 0; i < s.Values.Length; i++)
            {
                if (!StaleMarker.Is(s.Values[i]))
                {
                    ts[n] = s.Timestamps[i];
                    vs2[n++] = s.Values[i];
                }
            }

            result.Add(new StoredSeries(s.Labels, ts, vs2));
        }

        _rangeData[vs] = result;
        return result;
    }

    private List<EvalSample> SelectInstant(VectorSelector vs, long t)
    {
        var refTime = (AtTime(vs.Timestamp, vs.At) ?? t) - DurationMs(vs.Offset, vs.OffsetExpr);
        var lookback = _options.LookbackDeltaMs;
        var result = new List<EvalSample>();
        var histograms = FetchHistograms(vs);
        foreach (var s in Fetch(vs))
        {
            var i = UpperBound(s.Timestamps, refTime) - 1;
            if (histograms.Count > 0 && histograms.TryGetValue(s.Labels, out var hs) && LatestHistogram(hs, refTime, lookback, i < 0 ? long.MinValue : s.Timestamps[i]) is { } newer)
            {
                result.Add(newer);
                continue;
            }

            if (i < 0 || s.Timestamps[i] <= refTime - lookback || StaleMarker.Is(s.Values[i]))
            {
                continue;
            }

            result.Add(new EvalSample(s.Labels, s.Values[i], s.Timestamps[i]));
        }

        if (histograms.Count > 0)
        {
            AddHistogramOnly(vs, histograms, refTime, lookback, result);
        }

        return result;
    }

    private MatrixValue SelectRange(MatrixSelector ms, long t)
    {
        var vs = ms.Selector;
        var refTime = (AtTime(vs.Timestamp, vs.At) ?? t) - DurationMs(vs.Offset, vs.OffsetExpr);
        var range = DurationMs(ms.RangeDuration, ms.RangeExpr);
        var result = new List<RangeSeries>();
        var histograms = FetchHistograms(vs);
        foreach (var s in FetchWithoutStale(vs))
        {
            // Left-open window (refTime - range, refTime].
            var lo = UpperBound(s.Timestamps, refTime - range);
            var hi = UpperBound(s.Timestamps, refTime);
            var series = new RangeSeries(s.Labels, s.Timestamps, s.Values, lo, hi - lo, false);
            if (histograms.Count > 0 && histograms.TryGetValue(s.Labels, out var hs))
            {
                AttachHistograms(series, hs, refTime - range, refTime);
            }

            if (series.Count > 0 || series.HCount > 0)
            {
                result.Add(series);
            }
        }

        if (histograms.Count > 0)
        {
            AddHistogramOnlyRanges(vs, histograms, refTime - range, refTime, result);
        }

        return new MatrixValue(result, refTime - range, refTime);
    }

    /// <summary>Index of the first timestamp greater than <paramref name="t"/>.</summary>
    private static int UpperBound(long[] ts, long t)
    {
        int lo = 0, hi = ts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ts[mid] <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private MatrixValue EvalSubquery(SubqueryExpr sq, long t)
    {
        var refTime = (AtTime(sq.Timestamp, sq.At) ?? t) - DurationMs(sq.Offset, sq.OffsetExpr);
        var range = DurationMs(sq.RangeDuration, sq.RangeExpr);
        var step = DurationMs(sq.Step, sq.StepExpr);
        if (step <= 0)
        {
            step = _options.DefaultSubqueryStepMs;
        }

        // Steps sit on absolute multiples of the step; the window is left-open. Go's division truncates toward zero.
        var mint = refTime - range;
        var first = step * (mint / step);
        if (first <= mint)
        {
            first += step;
        }

        var series = new Dictionary<LabelSet, (List<long> T, List<double> F, bool Drop)>();
        var hseries = new Dictionary<LabelSet, (List<long> T, List<FloatHistogram> H)>();
        var order = new List<LabelSet>();
        for (var ts = first; ts <= refTime; ts += step)
        {
            var v = Eval(sq.Inner, ts);
            if (v is ScalarValue sc)
            {
                Accumulate(series, order, LabelSet.Empty, ts, sc.Value, false);
                continue;
            }

            foreach (var s in ((VectorValue)v).Samples)
            {
                if (s.H is { } h)
                {
                    // Steps skip samples, so a stored reset hint no longer describes the step before; detect afresh.
                    var unhinted = h.CounterResetHint is CounterResetHint.CounterReset or CounterResetHint.NotCounterReset
                        ? h.WithHint(CounterResetHint.Unknown)
                        : h;
                    AccumulateHistogram(series, hseries, order, s.Labels, ts, unhinted, s.DropName);
                    continue;
                }

                Accumulate(series, order, s.Labels, ts, s.F, s.DropName);
            }
        }

        var result = new List<RangeSeries>(order.Count);
        foreach (var labels in order)
        {
            var (tl, fl, drop) = series[labels];
            var rs = new RangeSeries(labels, tl.ToArray(), fl.ToArray(), 0, tl.Count, drop);
            if (hseries.TryGetValue(labels, out var hl))
            {
                rs.WithHistograms(hl.T.ToArray(), hl.H.ToArray(), 0, hl.T.Count);
            }

            result.Add(rs);
        }

        return new MatrixValue(result, mint, refTime);
    }

    private static void Accumulate(Dictionary<LabelSet, (List<long> T, List<double> F, bool Drop)> series, List<LabelSet> order, LabelSet labels, long t, double f, bool drop)
    {
        if (!series.TryGetValue(labels, out var entry))
        {
            entry = ([], [], drop);
            series[labels] = entry;
            order.Add(labels);
        }

        entry.T.Add(t);
        entry.F.Add(f);
    }
}
