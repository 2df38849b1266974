namespace LumaDB.Engine.Metrics;

/// <summary>One series read from a <see cref="MetricStore"/>: its labels and its samples, decoded once, in time order.</summary>
/// <param name="Labels">The canonical label set.</param>
/// <param name="Timestamps">Sample timestamps (ms), ascending.</param>
/// <param name="Values">Sample values, parallel to <paramref name="Timestamps"/>; staleness markers are kept.</param>
public sealed record StoredSeries(LabelSet Labels, long[] Timestamps, double[] Values);
