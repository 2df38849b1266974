namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>One trace found by a search.</summary>
public sealed class TraceSummary
{
    /// <summary>Trace id (hex).</summary>
    public required string TraceId { get; init; }

    /// <summary>Service of the root span (the earliest span when the root has not arrived).</summary>
    public required string RootServiceName { get; init; }

    /// <summary>Name of the root span.</summary>
    public required string RootSpanName { get; init; }

    /// <summary>Earliest span start, nanoseconds since the Unix epoch, as a decimal string.</summary>
    public required string StartTimeUnixNano { get; init; }

    /// <summary>From the earliest start to the latest end, in nanoseconds.</summary>
    public long DurationNanos { get; init; }

    /// <summary>Spans stored for the trace.</summary>
    public int SpanCount { get; init; }

    /// <summary>The services that took part, sorted.</summary>
    public required IReadOnlyList<string> Services { get; init; }
}
