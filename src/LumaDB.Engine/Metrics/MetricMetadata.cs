namespace LumaDB.Engine.Metrics;

/// <summary>What a metric family is, as exposition formats and remote write describe it.</summary>
/// <param name="Type">counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown.</param>
/// <param name="Help">The help text.</param>
/// <param name="Unit">The unit, or empty.</param>
public sealed record MetricMetadata(string Type, string Help, string Unit);
