using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>Native histogram samples of a batch, made durable in the same WAL record as its float samples.</content>
public sealed partial class MetricWriteBatch
{
    private readonly List<(int Series, long TimestampMs, FloatHistogram Histogram)> _histograms = [];

    /// <summary>Number of native histogram samples added.</summary>
    public int HistogramCount => _histograms.Count;

    /// <summary>The histogram samples, each pointing into <see cref="Series"/>.</summary>
    internal List<(int Series, long TimestampMs, FloatHistogram Histogram)> Histograms => _histograms;

    /// <summary>What the store decided per histogram sample while writing this batch.</summary>
    internal SeriesAppendResult[] HistogramVerdicts { get; set; } = [];

    /// <summary>Adds a native histogram sample to the series begun last.</summary>
    public void AddHistogram(long timestampMs, FloatHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (Series.Count == 0)
        {
            throw new InvalidOperationException("BeginSeries must come before its samples.");
        }

        _histograms.Add((Series.Count - 1, timestampMs, histogram));
    }
}
