using System.Diagnostics.Metrics;

namespace LumaDB.Engine.Metrics;

/// <summary>The metric store's own counters, exported on luma's <c>/metrics</c> through the <c>LumaDB.Metrics</c> meter.</summary>
internal sealed class MetricStoreMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LumaDB.Metrics";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _written;
    private readonly Counter<long> _outOfOrder;
    private readonly Counter<long> _tooOld;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _seriesCreated;
    private readonly Counter<long> _limitRefusals;

    public MetricStoreMetrics(MetricStore store)
    {
        _written = _meter.CreateCounter<long>("luma.metrics.samples.written", "{sample}", "Samples stored, in order and out of order.");
        _outOfOrder = _meter.CreateCounter<long>("luma.metrics.samples.out_of_order", "{sample}", "Late samples accepted inside the out-of-order window.");
        _tooOld = _meter.CreateCounter<long>("luma.metrics.samples.too_old", "{sample}", "Samples refused for being older than the out-of-order window.");
        _duplicates = _meter.CreateCounter<long>("luma.metrics.samples.duplicate", "{sample}", "Exact repeats of a series' newest sample, ignored.");
        _conflicts = _meter.CreateCounter<long>("luma.metrics.samples.duplicate_conflict", "{sample}", "Samples refused for a different value at a series' newest timestamp.");
        _seriesCreated = _meter.CreateCounter<long>("luma.metrics.series.created", "{series}", "Series created.");
        _limitRefusals = _meter.CreateCounter<long>("luma.metrics.series.limit_refusals", "{write}", "Writes refused because they would exceed the active-series limit.");
        _meter.CreateObservableGauge("luma.metrics.series.active", () => (long)store.Index.Count, "{series}", "Series held by the store.");
    }

    public void Record(in MetricWriteResult result)
    {
        Add(_written, result.Written);
        Add(_outOfOrder, result.OutOfOrder);
        Add(_tooOld, result.TooOld);
        Add(_duplicates, result.Duplicates);
        Add(_conflicts, result.Conflicts);
        Add(_seriesCreated, result.SeriesCreated);
    }

    public void LimitRefused() => _limitRefusals.Add(1);

    public void Dispose() => _meter.Dispose();

    private static void Add(Counter<long> counter, int value)
    {
        if (value > 0)
        {
            counter.Add(value);
        }
    }
}
