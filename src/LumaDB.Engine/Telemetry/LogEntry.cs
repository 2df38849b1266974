namespace LumaDB.Engine.Telemetry;

/// <summary>One log record as <c>otel_logs</c> stores it; attributes are JSON text.</summary>
public sealed class LogEntry
{
    /// <summary>The resource's service.name.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The record's time in nanoseconds since the Unix epoch, 0 when unset.</summary>
    public long TimeUnixNano { get; init; }

    /// <summary>When it was observed, nanoseconds since the Unix epoch, 0 when unset.</summary>
    public long ObservedTimeUnixNano { get; init; }

    /// <summary>Unique per record; assigned by the writer when 0.</summary>
    public long LogId { get; set; }

    /// <summary>Severity number (0 unspecified, 1-24).</summary>
    public int SeverityNumber { get; init; }

    /// <summary>Severity text, or null.</summary>
    public string? SeverityText { get; init; }

    /// <summary>The body: a string as is, another value as JSON; null when absent.</summary>
    public string? Body { get; init; }

    /// <summary>Record attributes, a JSON object.</summary>
    public string Attributes { get; init; } = "{}";

    /// <summary>Resource attributes, a JSON object.</summary>
    public string ResourceAttributes { get; init; } = "{}";

    /// <summary>Instrumentation scope name, or null.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Instrumentation scope version, or null.</summary>
    public string? ScopeVersion { get; init; }

    /// <summary>Trace id (hex), or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>Span id (hex), or null.</summary>
    public string? SpanId { get; init; }

    /// <summary>The time the row is keyed by: the record's time, else its observed time.</summary>
    public long EffectiveTimeUnixNano => TimeUnixNano != 0 ? TimeUnixNano : ObservedTimeUnixNano;
}
