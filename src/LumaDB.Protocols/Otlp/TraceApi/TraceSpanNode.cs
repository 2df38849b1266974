using System.Text.Json;

namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>One span of a trace as the trace API returns it, with its children (by start time).</summary>
public sealed class TraceSpanNode
{
    /// <summary>Trace id (hex).</summary>
    public required string TraceId { get; init; }

    /// <summary>Span id (hex).</summary>
    public required string SpanId { get; init; }

    /// <summary>Parent span id (hex), or null for a root.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>Span name.</summary>
    public required string Name { get; init; }

    /// <summary>internal, server, client, producer, consumer or unspecified.</summary>
    public required string Kind { get; init; }

    /// <summary>The service that emitted the span.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Start, nanoseconds since the Unix epoch, as a decimal string (as OTLP/JSON writes 64-bit numbers).</summary>
    public required string StartTimeUnixNano { get; init; }

    /// <summary>End, nanoseconds since the Unix epoch, as a decimal string.</summary>
    public required string EndTimeUnixNano { get; init; }

    /// <summary>Start as an RFC 3339 timestamp (microsecond precision), for people.</summary>
    public required string StartTime { get; init; }

    /// <summary>Duration in nanoseconds.</summary>
    public long DurationNanos { get; init; }

    /// <summary>unset, ok or error.</summary>
    public required string StatusCode { get; init; }

    /// <summary>Status message, or null.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>W3C trace state, or null.</summary>
    public string? TraceState { get; init; }

    /// <summary>Instrumentation scope name, or null.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Instrumentation scope version, or null.</summary>
    public string? ScopeVersion { get; init; }

    /// <summary>Span attributes.</summary>
    public JsonElement Attributes { get; init; }

    /// <summary>Resource attributes.</summary>
    public JsonElement ResourceAttributes { get; init; }

    /// <summary>Events: [{time_unix_nano, name, attributes}].</summary>
    public JsonElement Events { get; init; }

    /// <summary>Links: [{trace_id, span_id, trace_state, attributes}].</summary>
    public JsonElement Links { get; init; }

    /// <summary>Child spans, earliest first.</summary>
    public List<TraceSpanNode> Children { get; } = [];
}
