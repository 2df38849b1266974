namespace LumaDB.Engine.Metrics;

/// <summary>What a metric family says about itself: its TYPE, HELP and UNIT lines.</summary>
/// <param name="Type">Prometheus type word: counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown.</param>
/// <param name="Help">The help text; may be empty.</param>
/// <param name="Unit">The unit; may be empty.</param>
public readonly record struct MetricMetadata(string Type, string Help, string Unit);
