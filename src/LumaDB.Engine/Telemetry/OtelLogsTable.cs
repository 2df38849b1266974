using LumaDB.Engine.Catalog;
using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Telemetry;

/// <summary>
/// The <c>otel_logs</c> table: one row per log record, columns after the OpenTelemetry semantic conventions.
/// </summary>
/// <remarks>
/// The primary key is (service_name, time, log_id): logs are read by service over a time range, which is then
/// one key range per service. Log records carry no id of their own, so log_id (unique per record received)
/// keeps two records of the same service and instant apart.
/// </remarks>
public static class OtelLogsTable
{
    /// <summary>The table's name in the <c>public</c> schema.</summary>
    public const string Name = "otel_logs";

    /// <summary>The resource's service.name (unknown_service when absent).</summary>
    public const int ServiceName = 0;

    /// <summary>The record's time, or its observed time when it has none (the table's time column).</summary>
    public const int Time = 1;

    /// <summary>A number unique to the record, for the key.</summary>
    public const int LogId = 2;

    /// <summary>The time in nanoseconds since the Unix epoch, exactly as sent (0 when unset).</summary>
    public const int TimeUnixNano = 3;

    /// <summary>When the collector saw the record.</summary>
    public const int ObservedTime = 4;

    /// <summary>Severity number, 0 (unspecified) to 24.</summary>
    public const int SeverityNumber = 5;

    /// <summary>Severity text as sent.</summary>
    public const int SeverityText = 6;

    /// <summary>The body: a string as is, any other value as JSON.</summary>
    public const int Body = 7;

    /// <summary>Record attributes as a JSON object.</summary>
    public const int Attributes = 8;

    /// <summary>Resource attributes as a JSON object.</summary>
    public const int ResourceAttributes = 9;

    /// <summary>Instrumentation scope name.</summary>
    public const int ScopeName = 10;

    /// <summary>Instrumentation scope version.</summary>
    public const int ScopeVersion = 11;

    /// <summary>Trace id of the span the record belongs to, or null.</summary>
    public const int TraceId = 12;

    /// <summary>Span id of the span the record belongs to, or null.</summary>
    public const int SpanId = 13;

    /// <summary>The definition to create (id 0: the catalog assigns it).</summary>
    public static TableDefinition Definition(TimeSpan? ttl = null) => new(
        0,
        "public",
        Name,
        [
            OtelTracesTable.Text("service_name", notNull: true),
            new ColumnDefinition("time", "timestamptz", SegmentColumnKind.TimestampMicros, NotNull: true),
            new ColumnDefinition("log_id", "int8", SegmentColumnKind.Int64, NotNull: true),
            new ColumnDefinition("time_unix_nano", "int8", SegmentColumnKind.Int64, NotNull: true),
            new ColumnDefinition("observed_time", "timestamptz", SegmentColumnKind.TimestampMicros),
            new ColumnDefinition("severity_number", "int4", SegmentColumnKind.Int32, NotNull: true),
            OtelTracesTable.Text("severity_text"),
            OtelTracesTable.Text("body"),
            OtelTracesTable.Json("attributes"),
            OtelTracesTable.Json("resource_attributes"),
            OtelTracesTable.Text("scope_name"),
            OtelTracesTable.Text("scope_version"),
            OtelTracesTable.Text("trace_id"),
            OtelTracesTable.Text("span_id"),
        ],
        [ServiceName, Time, LogId],
        timeColumn: Time,
        ttl: ttl,
        options: OtelTracesTable.StorageOptions());
}
