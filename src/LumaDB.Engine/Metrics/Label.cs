namespace LumaDB.Engine.Metrics;

/// <summary>One label of a series: a name and a non-empty value.</summary>
/// <param name="Name">The label name; <c>__name__</c> holds the metric name.</param>
/// <param name="Value">The label value.</param>
public readonly record struct Label(string Name, string Value);
