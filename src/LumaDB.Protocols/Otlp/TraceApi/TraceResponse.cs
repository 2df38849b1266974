namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>A whole trace: its spans as a tree (spans whose parent is missing are roots too).</summary>
public sealed class TraceResponse
{
    /// <summary>Trace id (hex).</summary>
    public required string TraceId { get; init; }

    /// <summary>Number of spans stored for the trace.</summary>
    public int SpanCount { get; init; }

    /// <summary>The services that took part, sorted.</summary>
    public required IReadOnlyList<string> Services { get; init; }

    /// <summary>Earliest span start, nanoseconds since the Unix epoch, as a decimal string.</summary>
    public required string StartTimeUnixNano { get; init; }

    /// <summary>From the earliest start to the latest end, in nanoseconds.</summary>
    public long DurationNanos { get; init; }

    /// <summary>Root spans (and orphans), earliest first, each with its children.</summary>
    public required IReadOnlyList<TraceSpanNode> Roots { get; init; }
}
