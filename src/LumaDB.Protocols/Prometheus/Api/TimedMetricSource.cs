using System.Diagnostics;
using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>A metric source that adds up the time spent fetching series, for the query API's Server-Timing header.</summary>
internal sealed class TimedMetricSource(IMetricSource inner) : IMetricSource
{
    private long _ticks;

    /// <summary>Time spent in <see cref="Select"/> and <see cref="SelectHistograms"/> so far.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    /// <inheritdoc/>
    public IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return inner.Select(matchers, mint, maxt);
        }
        finally
        {
            _ticks += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredHistogramSeries> SelectHistograms(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return inner.SelectHistograms(matchers, mint, maxt);
        }
        finally
        {
            _ticks += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<LabelSet> Series(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt) =>
        inner.Series(matcherSets, mint, maxt);

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelNames(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt) =>
        inner.LabelNames(matcherSets, mint, maxt);

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt) =>
        inner.LabelValues(name, matcherSets, mint, maxt);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, IReadOnlyList<MetricMetadata>> Metadata(string? metric) => inner.Metadata(metric);

    /// <inheritdoc/>
    public IReadOnlyList<SeriesExemplars> Exemplars(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt) =>
        inner.Exemplars(matcherSets, mint, maxt);
}
