namespace LumaDB.Engine.Telemetry;

/// <summary>How the telemetry tables are created: their retention.</summary>
public sealed class TelemetryTableOptions
{
    /// <summary>Retention of <c>otel_traces</c>; null keeps spans forever.</summary>
    public TimeSpan? TracesTtl { get; init; }

    /// <summary>Retention of <c>otel_logs</c>; null keeps log records forever.</summary>
    public TimeSpan? LogsTtl { get; init; }
}
