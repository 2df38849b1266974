namespace LumaDB.Engine.Telemetry;

/// <summary>Conditions of a span search; null conditions match everything.</summary>
public sealed class SpanSearch
{
    /// <summary>Only spans of this service.</summary>
    public string? ServiceName { get; init; }

    /// <summary>Only spans with this name.</summary>
    public string? SpanName { get; init; }

    /// <summary>Only spans at least this long, in nanoseconds.</summary>
    public long? MinDurationNanos { get; init; }

    /// <summary>Only spans starting at or after this instant (microseconds since the Unix epoch).</summary>
    public long? StartMicros { get; init; }

    /// <summary>Only spans starting before this instant (microseconds since the Unix epoch).</summary>
    public long? EndMicros { get; init; }
}
