namespace LumaDB.Storage.TimeSeries;

/// <summary>One sample of a series: a timestamp in milliseconds and a float64 value.</summary>
/// <param name="TimestampMs">Milliseconds since the Unix epoch.</param>
/// <param name="Value">The value; any bit pattern, NaNs included.</param>
public readonly record struct Sample(long TimestampMs, double Value);
