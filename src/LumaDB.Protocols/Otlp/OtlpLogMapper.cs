using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Common.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Maps an OTLP logs export request to <c>otel_logs</c> rows. Malformed ids or times refuse the whole request;
/// a record with neither a time nor an observed time gets the time it was received.
/// </summary>
public static class OtlpLogMapper
{
    /// <summary>Maps every log record of the request; <paramref name="receivedUnixNano"/> stands in for missing times.</summary>
    public static OtlpBatch<LogEntry> Map(ExportLogsServiceRequest request, long receivedUnixNano)
    {
        ArgumentNullException.ThrowIfNull(request);
        var logs = new List<LogEntry>();
        using var json = new OtlpAttributes();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var service = OtlpAttributes.ServiceName(resourceLogs.Resource);
            var resourceJson = resourceLogs.Resource is { } resource ? json.ToJson(resource.Attributes) : "{}";
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = scopeLogs.Scope;
                foreach (var record in scopeLogs.LogRecords)
                {
                    var time = OtlpTime.ToNanos(record.TimeUnixNano, "log time_unix_nano");
                    var observed = OtlpTime.ToNanos(record.ObservedTimeUnixNano, "log observed_time_unix_nano");
                    logs.Add(new LogEntry
                    {
                        ServiceName = service,
                        TimeUnixNano = time,
                        ObservedTimeUnixNano = time == 0 && observed == 0 ? receivedUnixNano : observed,
                        SeverityNumber = (int)record.SeverityNumber,
                        SeverityText = OtlpTraceMapper.NullIfEmpty(record.SeverityText),
                        Body = record.Body is null || record.Body.ValueCase == AnyValue.ValueOneofCase.None ? null : json.ToText(record.Body),
                        Attributes = json.ToJson(record.Attributes),
                        ResourceAttributes = resourceJson,
                        ScopeName = OtlpTraceMapper.NullIfEmpty(scope?.Name),
                        ScopeVersion = OtlpTraceMapper.NullIfEmpty(scope?.Version),
                        TraceId = OtlpIds.ToHex(record.TraceId, OtlpIds.TraceIdBytes, "log trace_id"),
                        SpanId = OtlpIds.ToHex(record.SpanId, OtlpIds.SpanIdBytes, "log span_id"),
                    });
                }
            }
        }

        return new OtlpBatch<LogEntry>(logs, 0, null);
    }
}
