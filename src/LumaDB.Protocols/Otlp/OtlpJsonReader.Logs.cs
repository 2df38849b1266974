using System.Text.Json;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Logs.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>Logs requests in OTLP/JSON.</summary>
public static partial class OtlpJsonReader
{
    /// <summary>Reads an <c>ExportLogsServiceRequest</c>; throws <see cref="OtlpInvalidException"/> for anything malformed.</summary>
    public static ExportLogsServiceRequest ReadLogs(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        ExpectObject(root, "request");
        var request = new ExportLogsServiceRequest();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is "resourceLogs" or "resource_logs" && !IsNull(p.Value))
            {
                foreach (var item in Array(p.Value, "resourceLogs"))
                {
                    request.ResourceLogs.Add(ReadResourceLogs(item));
                }
            }
        }

        return request;
    }

    private static ResourceLogs ReadResourceLogs(JsonElement element)
    {
        ExpectObject(element, "resourceLogs[]");
        var result = new ResourceLogs();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "resource": result.Resource = ReadResource(p.Value); break;
                case "schemaUrl" or "schema_url": result.SchemaUrl = String(p.Value, "schemaUrl"); break;
                case "scopeLogs" or "scope_logs":
                    foreach (var item in Array(p.Value, "scopeLogs"))
                    {
                        result.ScopeLogs.Add(ReadScopeLogs(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static ScopeLogs ReadScopeLogs(JsonElement element)
    {
        ExpectObject(element, "scopeLogs[]");
        var result = new ScopeLogs();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "scope": result.Scope = ReadScope(p.Value); break;
                case "schemaUrl" or "schema_url": result.SchemaUrl = String(p.Value, "schemaUrl"); break;
                case "logRecords" or "log_records":
                    foreach (var item in Array(p.Value, "logRecords"))
                    {
                        result.LogRecords.Add(ReadLogRecord(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static LogRecord ReadLogRecord(JsonElement element)
    {
        ExpectObject(element, "logRecord");
        var record = new LogRecord();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "timeUnixNano" or "time_unix_nano": record.TimeUnixNano = UInt64(p.Value, "log timeUnixNano"); break;
                case "observedTimeUnixNano" or "observed_time_unix_nano": record.ObservedTimeUnixNano = UInt64(p.Value, "log observedTimeUnixNano"); break;
                case "severityNumber" or "severity_number": record.SeverityNumber = (SeverityNumber)Enum(p.Value, "log severityNumber", SeverityByName); break;
                case "severityText" or "severity_text": record.SeverityText = String(p.Value, "log severityText"); break;
                case "body": record.Body = ReadAnyValue(p.Value, "log body"); break;
                case "attributes": ReadAttributes(p.Value, record.Attributes, "log attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": record.DroppedAttributesCount = UInt32(p.Value, "log droppedAttributesCount"); break;
                case "flags": record.Flags = UInt32(p.Value, "log flags"); break;
                case "traceId" or "trace_id": record.TraceId = HexId(p.Value, "log traceId"); break;
                case "spanId" or "span_id": record.SpanId = HexId(p.Value, "log spanId"); break;
                case "eventName" or "event_name": record.EventName = String(p.Value, "log eventName"); break;
            }
        }

        return record;
    }

    private static int? SeverityByName(string name)
    {
        const string prefix = "SEVERITY_NUMBER_";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = name.AsSpan(prefix.Length);
        if (rest.SequenceEqual("UNSPECIFIED"))
        {
            return 0;
        }

        // TRACE, TRACE2..4, DEBUG.., INFO.., WARN.., ERROR.., FATAL..: six levels of four numbers each.
        ReadOnlySpan<string> levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
        for (var i = 0; i < levels.Length; i++)
        {
            if (!rest.StartsWith(levels[i], StringComparison.Ordinal))
            {
                continue;
            }

            var step = rest[levels[i].Length..];
            if (step.IsEmpty)
            {
                return (i * 4) + 1;
            }

            if (step.Length == 1 && step[0] is >= '2' and <= '4')
            {
                return (i * 4) + (step[0] - '0');
            }
        }

        return null;
    }
}
