using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// Native histogram samples in selectors: read once per selector like floats, then merged per series with its
/// float samples (an instant selector takes whichever sample is newest, a range keeps both slices).
/// </summary>
internal sealed partial class Evaluator
{
    private readonly Dictionary<VectorSelector, Dictionary<LabelSet, StoredHistogramSeries>> _histogramData = [];

    private Dictionary<LabelSet, StoredHistogramSeries> FetchHistograms(VectorSelector vs)
    {
        if (_histogramData.TryGetValue(vs, out var data))
        {
            return data;
        }

        var (min, max) = _windows.TryGetValue(vs, out var w) ? w : (long.MinValue / 4, long.MaxValue / 4);
        data = [];
        var stats = _statsSelectors.TryGetValue(vs, out var reach);
        foreach (var s in _source.SelectHistograms(SeriesMatchers.From(vs.Matchers), min + 1, max))
        {
            data[s.Labels] = stats ? StatsOnly(s, vs, reach) : s;
        }

        _histogramData[vs] = data;
        return data;
    }

    // The newest histogram in the lookback window when it is newer than the newest float sample.
    private static EvalSample? LatestHistogram(StoredHistogramSeries hs, long refTime, long lookback, long newestFloat)
    {
        var j = UpperBound(hs.Timestamps, refTime) - 1;
        if (j < 0 || hs.Timestamps[j] <= refTime - lookback || hs.Timestamps[j] <= newestFloat)
        {
            return null;
        }

        return new EvalSample(hs.Labels, hs.Histograms[j], hs.Timestamps[j], false);
    }

    private void AddHistogramOnly(VectorSelector vs, Dictionary<LabelSet, StoredHistogramSeries> histograms, long refTime, long lookback, List<EvalSample> result)
    {
        foreach (var hs in HistogramOnly(vs, histograms))
        {
            if (LatestHistogram(hs, refTime, lookback, long.MinValue) is { } sample)
            {
                result.Add(sample);
            }
        }
    }

    /// <summary>The histogram series of a selector that have no float samples at all (the others go with their floats).</summary>
    private IEnumerable<StoredHistogramSeries> HistogramOnly(VectorSelector vs, Dictionary<LabelSet, StoredHistogramSeries> histograms)
    {
        if (histograms.Count == 0)
        {
            yield break;
        }

        var floats = FloatLabels(vs);
        foreach (var (labels, hs) in histograms)
        {
            if (!floats.Contains(labels))
            {
                yield return hs;
            }
        }
    }

    private readonly Dictionary<VectorSelector, HashSet<LabelSet>> _floatLabels = [];

    private HashSet<LabelSet> FloatLabels(VectorSelector vs)
    {
        if (!_floatLabels.TryGetValue(vs, out var set))
        {
            set = [.. Fetch(vs).Select(s => s.Labels)];
            _floatLabels[vs] = set;
        }

        return set;
    }

    private static void AttachHistograms(RangeSeries series, StoredHistogramSeries hs, long from, long to)
    {
        var lo = UpperBound(hs.Timestamps, from);
        var hi = UpperBound(hs.Timestamps, to);
        if (hi > lo)
        {
            series.WithHistograms(hs.Timestamps, hs.Histograms, lo, hi - lo);
        }
    }

    private void AddHistogramOnlyRanges(VectorSelector vs, Dictionary<LabelSet, StoredHistogramSeries> histograms, long from, long to, List<RangeSeries> result)
    {
        foreach (var hs in HistogramOnly(vs, histograms))
        {
            var series = new RangeSeries(hs.Labels, [], [], 0, 0, false);
            AttachHistograms(series, hs, from, to);
            if (series.HCount > 0)
            {
                result.Add(series);
            }
        }
    }

    private static void AccumulateHistogram(Dictionary<LabelSet, (List<long> T, List<double> F, bool Drop)> series, Dictionary<LabelSet, (List<long> T, List<FloatHistogram> H)> hseries, List<LabelSet> order, LabelSet labels, long t, FloatHistogram h, bool drop)
    {
        if (!series.ContainsKey(labels))
        {
            series[labels] = ([], [], drop);
            order.Add(labels);
        }

        if (!hseries.TryGetValue(labels, out var entry))
        {
            entry = ([], []);
            hseries[labels] = entry;
        }

        entry.T.Add(t);
        entry.H.Add(h);
    }
}
