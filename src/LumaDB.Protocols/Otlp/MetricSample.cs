using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Otlp;

/// <summary>One Prometheus sample.</summary>
/// <param name="Labels">The series, <c>__name__</c> included.</param>
/// <param name="TimestampMs">Milliseconds since the Unix epoch.</param>
/// <param name="Value">The value.</param>
public readonly record struct MetricSample(LabelSet Labels, long TimestampMs, double Value);
