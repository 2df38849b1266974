namespace LumaDB.Engine.Telemetry;

/// <summary>One span as <c>otel_traces</c> stores it; attributes, events and links are JSON text.</summary>
public sealed class SpanRecord
{
    /// <summary>Trace id, 32 lower-case hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>Span id, 16 lower-case hex digits.</summary>
    public required string SpanId { get; init; }

    /// <summary>Parent span id, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>W3C trace state, or null.</summary>
    public string? TraceState { get; init; }

    /// <summary>Span name.</summary>
    public required string Name { get; init; }

    /// <summary>internal, server, client, producer, consumer or unspecified.</summary>
    public required string Kind { get; init; }

    /// <summary>The resource's service.name.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Start, nanoseconds since the Unix epoch.</summary>
    public long StartTimeUnixNano { get; init; }

    /// <summary>End, nanoseconds since the Unix epoch.</summary>
    public long EndTimeUnixNano { get; init; }

    /// <summary>unset, ok or error.</summary>
    public required string StatusCode { get; init; }

    /// <summary>Status message, or null.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The HTTP method attribute, or null.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>The http.route attribute, or null.</summary>
    public string? HttpRoute { get; init; }

    /// <summary>The HTTP response status code attribute, or null.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>Span attributes, a JSON object.</summary>
    public string Attributes { get; init; } = "{}";

    /// <summary>Resource attributes, a JSON object.</summary>
    public string ResourceAttributes { get; init; } = "{}";

    /// <summary>Instrumentation scope name, or null.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Instrumentation scope version, or null.</summary>
    public string? ScopeVersion { get; init; }

    /// <summary>Events, a JSON array.</summary>
    public string Events { get; init; } = "[]";

    /// <summary>Links, a JSON array.</summary>
    public string Links { get; init; } = "[]";

    /// <summary>End minus start in nanoseconds (never negative).</summary>
    public long DurationNanos => Math.Max(0, EndTimeUnixNano - StartTimeUnixNano);
}
