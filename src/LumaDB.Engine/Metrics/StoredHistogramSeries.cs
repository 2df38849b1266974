namespace LumaDB.Engine.Metrics;

/// <summary>One series' native histogram samples read from a <see cref="MetricStore"/>, in time order.</summary>
/// <param name="Labels">The canonical label set.</param>
/// <param name="Timestamps">Sample timestamps (ms), ascending.</param>
/// <param name="Histograms">Histograms, parallel to <paramref name="Timestamps"/>.</param>
public sealed record StoredHistogramSeries(LabelSet Labels, long[] Timestamps, FloatHistogram[] Histograms);
