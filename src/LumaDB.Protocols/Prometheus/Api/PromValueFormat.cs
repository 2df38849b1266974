using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// Formats numbers exactly as the Prometheus HTTP API does: sample values as the shortest decimal that
/// round-trips, never in exponent form (Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>), and timestamps as
/// seconds with up to millisecond precision.
/// </summary>
public static class PromValueFormat
{
    /// <summary>A sample value: "+Inf", "-Inf", "NaN" or a plain decimal.</summary>
    public static string Value(double value) => GoText.FormatFloat(value);

    /// <summary>Writes the timestamp (milliseconds) as Prometheus's JSON number of seconds.</summary>
    public static double Seconds(long milliseconds) => milliseconds / 1000.0;
}
