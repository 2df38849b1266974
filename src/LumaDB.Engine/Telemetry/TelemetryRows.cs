using Apache.Arrow;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Telemetry;

/// <summary>Turns spans and log records into storage rows and Arrow batches back into spans.</summary>
internal static class TelemetryRows
{
    private const long NanosPerMicro = 1000;

    public static void FillSpan(RowBuilder row, SpanRecord span)
    {
        row.SetText(OtelTracesTable.TraceId, span.TraceId)
            .SetText(OtelTracesTable.SpanId, span.SpanId)
            .SetText(OtelTracesTable.SpanName, span.Name)
            .SetText(OtelTracesTable.Kind, span.Kind)
            .SetText(OtelTracesTable.ServiceName, span.ServiceName)
            .SetTimestamp(OtelTracesTable.StartTime, span.StartTimeUnixNano / NanosPerMicro)
            .SetTimestamp(OtelTracesTable.EndTime, span.EndTimeUnixNano / NanosPerMicro)
            .SetInt64(OtelTracesTable.DurationNs, span.DurationNanos)
            .SetInt64(OtelTracesTable.StartTimeUnixNano, span.StartTimeUnixNano)
            .SetText(OtelTracesTable.StatusCode, span.StatusCode)
            .SetText(OtelTracesTable.Attributes, span.Attributes)
            .SetText(OtelTracesTable.ResourceAttributes, span.ResourceAttributes)
            .SetText(OtelTracesTable.Events, span.Events)
            .SetText(OtelTracesTable.Links, span.Links);
        SetOptional(row, OtelTracesTable.ParentSpanId, span.ParentSpanId);
        SetOptional(row, OtelTracesTable.TraceState, span.TraceState);
        SetOptional(row, OtelTracesTable.StatusMessage, span.StatusMessage);
        SetOptional(row, OtelTracesTable.HttpMethod, span.HttpMethod);
        SetOptional(row, OtelTracesTable.HttpRoute, span.HttpRoute);
        SetOptional(row, OtelTracesTable.ScopeName, span.ScopeName);
        SetOptional(row, OtelTracesTable.ScopeVersion, span.ScopeVersion);
        if (span.HttpStatusCode is { } status)
        {
            row.SetInt32(OtelTracesTable.HttpStatusCode, status);
        }
    }

    public static void FillLog(RowBuilder row, LogEntry log)
    {
        row.SetText(OtelLogsTable.ServiceName, log.ServiceName)
            .SetTimestamp(OtelLogsTable.Time, log.EffectiveTimeUnixNano / NanosPerMicro)
            .SetInt64(OtelLogsTable.LogId, log.LogId)
            .SetInt64(OtelLogsTable.TimeUnixNano, log.TimeUnixNano)
            .SetInt32(OtelLogsTable.SeverityNumber, log.SeverityNumber)
            .SetText(OtelLogsTable.Attributes, log.Attributes)
            .SetText(OtelLogsTable.ResourceAttributes, log.ResourceAttributes);
        if (log.ObservedTimeUnixNano != 0)
        {
            row.SetTimestamp(OtelLogsTable.ObservedTime, log.ObservedTimeUnixNano / NanosPerMicro);
        }

        SetOptional(row, OtelLogsTable.SeverityText, log.SeverityText);
        SetOptional(row, OtelLogsTable.Body, log.Body);
        SetOptional(row, OtelLogsTable.ScopeName, log.ScopeName);
        SetOptional(row, OtelLogsTable.ScopeVersion, log.ScopeVersion);
        SetOptional(row, OtelLogsTable.TraceId, log.TraceId);
        SetOptional(row, OtelLogsTable.SpanId, log.SpanId);
    }

    /// <summary>Reads every span of a batch with the full otel_traces schema.</summary>
    public static void ReadSpans(RecordBatch batch, List<SpanRecord> into)
    {
        var text = (int column) => (StringArray)batch.Column(column);
        var traceId = text(OtelTracesTable.TraceId);
        var spanId = text(OtelTracesTable.SpanId);
        var parent = text(OtelTracesTable.ParentSpanId);
        var state = text(OtelTracesTable.TraceState);
        var name = text(OtelTracesTable.SpanName);
        var kind = text(OtelTracesTable.Kind);
        var service = text(OtelTracesTable.ServiceName);
        var duration = (Int64Array)batch.Column(OtelTracesTable.DurationNs);
        var start = (Int64Array)batch.Column(OtelTracesTable.StartTimeUnixNano);
        var status = text(OtelTracesTable.StatusCode);
        var message = text(OtelTracesTable.StatusMessage);
        var method = text(OtelTracesTable.HttpMethod);
        var route = text(OtelTracesTable.HttpRoute);
        var httpStatus = (Int32Array)batch.Column(OtelTracesTable.HttpStatusCode);
        var attributes = text(OtelTracesTable.Attributes);
        var resource = text(OtelTracesTable.ResourceAttributes);
        var scopeName = text(OtelTracesTable.ScopeName);
        var scopeVersion = text(OtelTracesTable.ScopeVersion);
        var events = text(OtelTracesTable.Events);
        var links = text(OtelTracesTable.Links);
        for (var i = 0; i < batch.Length; i++)
        {
            var startNanos = start.GetValue(i) ?? 0;
            into.Add(new SpanRecord
            {
                TraceId = traceId.GetString(i),
                SpanId = spanId.GetString(i),
                ParentSpanId = parent.GetString(i),
                TraceState = state.GetString(i),
                Name = name.GetString(i),
                Kind = kind.GetString(i),
                ServiceName = service.GetString(i),
                StartTimeUnixNano = startNanos,
                EndTimeUnixNano = startNanos + (duration.GetValue(i) ?? 0),
                StatusCode = status.GetString(i),
                StatusMessage = message.GetString(i),
                HttpMethod = method.GetString(i),
                HttpRoute = route.GetString(i),
                HttpStatusCode = httpStatus.GetValue(i),
                Attributes = attributes.GetString(i),
                ResourceAttributes = resource.GetString(i),
                ScopeName = scopeName.GetString(i),
                ScopeVersion = scopeVersion.GetString(i),
                Events = events.GetString(i),
                Links = links.GetString(i),
            });
        }
    }

    private static void SetOptional(RowBuilder row, int column, string? value)
    {
        if (value is not null)
        {
            row.SetText(column, value);
        }
    }
}
