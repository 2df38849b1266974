namespace LumaDB.Engine.Metrics;

/// <summary>One bucket with its bounds (lower exclusive, upper inclusive; the zero bucket includes both).</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Count">Observations in the bucket.</param>
public readonly record struct HistogramBucket(double Lower, double Upper, double Count);
