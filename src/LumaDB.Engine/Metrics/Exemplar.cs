namespace LumaDB.Engine.Metrics;

/// <summary>An exemplar: a sample of one event (typically carrying a trace id) attached to a series.</summary>
/// <param name="Labels">The exemplar's own labels, e.g. <c>trace_id</c>.</param>
/// <param name="Value">The observed value.</param>
/// <param name="TimestampMs">When it was observed (ms).</param>
public readonly record struct Exemplar(LabelSet Labels, double Value, long TimestampMs);
