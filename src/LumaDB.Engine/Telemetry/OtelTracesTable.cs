using LumaDB.Engine.Catalog;
using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Telemetry;

/// <summary>
/// The <c>otel_traces</c> table: one row per span, columns after the OpenTelemetry semantic conventions.
/// </summary>
/// <remarks>
/// The primary key is (trace_id, span_id, start_time): the trace API's main read, a whole trace, is then one
/// key-prefix range, and a span re-sent by a retrying exporter (same ids, same start) replaces itself instead of
/// doubling. With the start time in the key every version of a span has the same start, so searches and queries
/// over a time range skip segments and row groups outside it and drop rows outside it before the merge.
/// Timestamps are microseconds; start_time_unix_nano and duration_ns keep the exact nanoseconds the exporter
/// sent.
/// </remarks>
public static class OtelTracesTable
{
    /// <summary>The table's name in the <c>public</c> schema.</summary>
    public const string Name = "otel_traces";

    /// <summary>Trace id, 32 lower-case hex digits.</summary>
    public const int TraceId = 0;

    /// <summary>Span id, 16 lower-case hex digits.</summary>
    public const int SpanId = 1;

    /// <summary>Parent span id, or null for a root span.</summary>
    public const int ParentSpanId = 2;

    /// <summary>W3C trace state, or null.</summary>
    public const int TraceState = 3;

    /// <summary>Span name.</summary>
    public const int SpanName = 4;

    /// <summary>Span kind: internal, server, client, producer, consumer or unspecified.</summary>
    public const int Kind = 5;

    /// <summary>The resource's service.name (unknown_service when absent).</summary>
    public const int ServiceName = 6;

    /// <summary>Start time (the table's time column).</summary>
    public const int StartTime = 7;

    /// <summary>End time.</summary>
    public const int EndTime = 8;

    /// <summary>End minus start, in nanoseconds.</summary>
    public const int DurationNs = 9;

    /// <summary>Start time in nanoseconds since the Unix epoch, exactly as sent.</summary>
    public const int StartTimeUnixNano = 10;

    /// <summary>Status code: unset, ok or error.</summary>
    public const int StatusCode = 11;

    /// <summary>Status message, or null.</summary>
    public const int StatusMessage = 12;

    /// <summary>http.request.method (or the older http.method).</summary>
    public const int HttpMethod = 13;

    /// <summary>http.route.</summary>
    public const int HttpRoute = 14;

    /// <summary>http.response.status_code (or the older http.status_code).</summary>
    public const int HttpStatusCode = 15;

    /// <summary>Span attributes as a JSON object.</summary>
    public const int Attributes = 16;

    /// <summary>Resource attributes as a JSON object.</summary>
    public const int ResourceAttributes = 17;

    /// <summary>Instrumentation scope name.</summary>
    public const int ScopeName = 18;

    /// <summary>Instrumentation scope version.</summary>
    public const int ScopeVersion = 19;

    /// <summary>Events as a JSON array of {time_unix_nano, name, attributes}.</summary>
    public const int Events = 20;

    /// <summary>Links as a JSON array of {trace_id, span_id, trace_state, attributes}.</summary>
    public const int Links = 21;

    /// <summary>The definition to create (id 0: the catalog assigns it).</summary>
    public static TableDefinition Definition(TimeSpan? ttl = null) => new(
        0,
        "public",
        Name,
        [
            Text("trace_id", notNull: true),
            Text("span_id", notNull: true),
            Text("parent_span_id"),
            Text("trace_state"),
            Text("name", notNull: true),
            Text("kind", notNull: true),
            Text("service_name", notNull: true),
            new ColumnDefinition("start_time", "timestamptz", SegmentColumnKind.TimestampMicros, NotNull: true),
            new ColumnDefinition("end_time", "timestamptz", SegmentColumnKind.TimestampMicros, NotNull: true),
            new ColumnDefinition("duration_ns", "int8", SegmentColumnKind.Int64, NotNull: true),
            new ColumnDefinition("start_time_unix_nano", "int8", SegmentColumnKind.Int64, NotNull: true),
            Text("status_code", notNull: true),
            Text("status_message"),
            Text("http_method"),
            Text("http_route"),
            new ColumnDefinition("http_status_code", "int4", SegmentColumnKind.Int32),
            Json("attributes"),
            Json("resource_attributes"),
            Text("scope_name"),
            Text("scope_version"),
            Json("events"),
            Json("links"),
        ],
        [TraceId, SpanId, StartTime],
        timeColumn: StartTime,
        ttl: ttl,
        options: StorageOptions());

    /// <summary>
    /// Storage options of both telemetry tables: compactions merge at least eight segments, twice the shard's
    /// default. Spans and log records are written once and read by time range or trace, so fewer, larger merges
    /// rewrite each row fewer times; a trace lookup reads one row group per segment that may hold the trace.
    /// </summary>
    internal static Dictionary<string, string> StorageOptions() => new(StringComparer.Ordinal)
    {
        [TableDefinition.CompactionMinSegmentsOption] = "8",
    };

    internal static ColumnDefinition Text(string name, bool notNull = false) => new(name, "text", SegmentColumnKind.Utf8, notNull);

    internal static ColumnDefinition Json(string name) => new(name, "jsonb", SegmentColumnKind.Utf8, NotNull: true);
}
