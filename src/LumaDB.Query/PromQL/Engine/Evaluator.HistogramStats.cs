using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Statistics-only histogram reads. A selector whose histograms only ever reach <c>histogram_count</c>,
/// <c>histogram_sum</c> or <c>histogram_avg</c> reads count and sum alone, and, as Prometheus's
/// HistogramStatsIterator does, works out counter-reset hints on the fly: a sample whose stored hint is
/// "unknown" (it starts a chunk) is compared with the sample read just before it, so it says "reset" or
/// "not a reset". Only a sample reached by a seek has nothing before it and stays "unknown".
/// </summary>
/// <remarks>
/// Evaluating a selector this way changes results where buckets would matter: histograms of different custom
/// bounds add up without a note, exactly as in Prometheus.
/// </remarks>
internal sealed partial class Evaluator
{
    // Statistics-only selectors, with how far back a step looks (the lookback delta, or the range of a matrix).
    private readonly Dictionary<VectorSelector, long> _statsSelectors = [];

    private void DetectStatsSelectors(Expr e, List<Expr> path)
    {
        if (e is VectorSelector vs && IsStatsOnly(path))
        {
            _statsSelectors[vs] = path.Count > 0 && path[^1] is MatrixSelector ms ? DurationMs(ms.RangeDuration, ms.RangeExpr) : _options.LookbackDeltaMs;
        }

        path.Add(e);
        foreach (var child in e.Children)
        {
            DetectStatsSelectors(child, path);
        }

        path.RemoveAt(path.Count - 1);
    }

    // Walks up from the selector: a count/sum/avg function allows it, anything needing buckets above it (quantiles,
    // fractions, trims) or a subquery (whose reset detection needs the buckets) rules it out.
    private static bool IsStatsOnly(List<Expr> path)
    {
        var stats = false;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            switch (path[i])
            {
                case SubqueryExpr:
                    return false;
                case Call { Function.Name: "histogram_count" or "histogram_sum" or "histogram_avg" }:
                    stats = true;
                    break;
                case Call { Function.Name: "histogram_quantile" or "histogram_quantiles" or "histogram_fraction" }:
                    return false;
                case BinaryExpr { Operator: BinaryOperator.TrimUpper or BinaryOperator.TrimLower }:
                    return false;
            }
        }

        return stats;
    }

    private StoredHistogramSeries StatsOnly(StoredHistogramSeries s, VectorSelector vs, long reach)
    {
        var hs = s.Histograms;
        var sought = SoughtSamples(s.Timestamps, vs, reach);
        var stats = new FloatHistogram[hs.Length];
        var before = -1;
        for (var i = 0; i < hs.Length; i++)
        {
            var h = hs[i];
            if (sought is not null && sought[i])
            {
                before = -1;
            }

            var hint = h.CounterResetHint;
            if (StaleMarker.Is(h.Sum))
            {
                // A stale sample is passed on as it is and is not what the next one compares with.
                stats[i] = new FloatHistogram { Sum = h.Sum, CounterResetHint = hint };
                continue;
            }

            if (hint == CounterResetHint.Unknown && before >= 0)
            {
                hint = h.DetectReset(hs[before]) ? CounterResetHint.CounterReset : CounterResetHint.NotCounterReset;
            }

            // The schema stays, so a mix of exponential and custom buckets is still seen.
            stats[i] = new FloatHistogram { Schema = h.Schema, Count = h.Count, Sum = h.Sum, CounterResetHint = hint };
            before = i;
        }

        return new StoredHistogramSeries(s.Labels, s.Timestamps, stats);
    }

    /// <summary>
    /// Samples a range query reaches by seeking rather than by stepping on from the sample before: Prometheus's
    /// per-series iterators seek when the position left by the previous step lies further back than this step's
    /// lookback (or range), which only happens when the step is longer than that. Null when nothing is sought.
    /// </summary>
    private bool[]? SoughtSamples(long[] ts, VectorSelector vs, long reach)
    {
        if (_step <= reach || vs.Timestamp is not null || vs.At != AtBound.None || vs.Anchored || vs.Smoothed)
        {
            return null;
        }

        var offset = DurationMs(vs.Offset, vs.OffsetExpr);
        bool[]? sought = null;
        for (var t = _start + _step; t <= _end; t += _step)
        {
            var at = t - offset;

            // The previous step left the iterator on the first sample at or after its time.
            var position = UpperBound(ts, at - _step - 1);
            if (position < ts.Length && ts[position] < at - reach)
            {
                var landing = UpperBound(ts, at - reach - 1);
                if (landing < ts.Length)
                {
                    (sought ??= new bool[ts.Length])[landing] = true;
                }
            }
        }

        return sought;
    }
}
