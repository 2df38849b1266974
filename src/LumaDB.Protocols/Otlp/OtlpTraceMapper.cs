using System.Globalization;
using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Trace.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Maps an OTLP trace export request to <c>otel_traces</c> rows. Malformed ids or times refuse the whole request
/// (<see cref="OtlpInvalidException"/>); a span without a valid trace or span id is rejected alone and counted.
/// </summary>
public static class OtlpTraceMapper
{
    /// <summary>Maps every span of the request.</summary>
    public static OtlpBatch<SpanRecord> Map(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spans = new List<SpanRecord>();
        var rejected = 0L;
        using var json = new OtlpAttributes();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = OtlpAttributes.ServiceName(resourceSpans.Resource);
            var resourceJson = resourceSpans.Resource is { } resource ? json.ToJson(resource.Attributes) : "{}";
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope;
                foreach (var span in scopeSpans.Spans)
                {
                    var traceId = OtlpIds.ToHex(span.TraceId, OtlpIds.TraceIdBytes, "span trace_id");
                    var spanId = OtlpIds.ToHex(span.SpanId, OtlpIds.SpanIdBytes, "span span_id");
                    var parentId = OtlpIds.ToHex(span.ParentSpanId, OtlpIds.SpanIdBytes, "span parent_span_id");
                    var start = OtlpTime.ToNanos(span.StartTimeUnixNano, "span start_time_unix_nano");
                    var end = OtlpTime.ToNanos(span.EndTimeUnixNano, "span end_time_unix_nano");
                    var events = EventsJson(json, span);
                    var links = LinksJson(json, span);
                    if (traceId is null || spanId is null)
                    {
                        rejected++;
                        continue;
                    }

                    spans.Add(new SpanRecord
                    {
                        TraceId = traceId,
                        SpanId = spanId,
                        ParentSpanId = parentId,
                        TraceState = NullIfEmpty(span.TraceState),
                        Name = span.Name,
                        Kind = KindName(span.Kind),
                        ServiceName = service,
                        StartTimeUnixNano = start,
                        EndTimeUnixNano = Math.Max(start, end),
                        StatusCode = StatusName(span.Status?.Code ?? Status.Types.StatusCode.Unset),
                        StatusMessage = NullIfEmpty(span.Status?.Message),
                        HttpMethod = OtlpAttributes.FindString(span.Attributes, "http.request.method") ?? OtlpAttributes.FindString(span.Attributes, "http.method"),
                        HttpRoute = OtlpAttributes.FindString(span.Attributes, "http.route"),
                        HttpStatusCode = StatusCodeOf(OtlpAttributes.Find(span.Attributes, "http.response.status_code") ?? OtlpAttributes.Find(span.Attributes, "http.status_code")),
                        Attributes = json.ToJson(span.Attributes),
                        ResourceAttributes = resourceJson,
                        ScopeName = NullIfEmpty(scope?.Name),
                        ScopeVersion = NullIfEmpty(scope?.Version),
                        Events = events,
                        Links = links,
                    });
                }
            }
        }

        return new OtlpBatch<SpanRecord>(spans, rejected, rejected == 0 ? null : $"{rejected} span(s) without a valid trace_id or span_id were rejected");
    }

    /// <summary>The lower-case kind name stored for an OTLP span kind.</summary>
    public static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "internal",
        Span.Types.SpanKind.Server => "server",
        Span.Types.SpanKind.Client => "client",
        Span.Types.SpanKind.Producer => "producer",
        Span.Types.SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    /// <summary>The lower-case status name stored for an OTLP status code.</summary>
    public static string StatusName(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => "ok",
        Status.Types.StatusCode.Error => "error",
        _ => "unset",
    };

    private static string EventsJson(OtlpAttributes json, Span span)
    {
        if (span.Events.Count == 0)
        {
            return "[]";
        }

        json.Begin();
        var w = json.Writer;
        w.WriteStartArray();
        foreach (var e in span.Events)
        {
            w.WriteStartObject();
            w.WriteNumber("time_unix_nano", OtlpTime.ToNanos(e.TimeUnixNano, "span event time_unix_nano"));
            w.WriteString("name", e.Name);
            w.WritePropertyName("attributes");
            OtlpAttributes.WriteObject(w, e.Attributes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        return json.End();
    }

    private static string LinksJson(OtlpAttributes json, Span span)
    {
        if (span.Links.Count == 0)
        {
            return "[]";
        }

        json.Begin();
        var w = json.Writer;
        w.WriteStartArray();
        foreach (var link in span.Links)
        {
            w.WriteStartObject();
            w.WriteString("trace_id", OtlpIds.ToHex(link.TraceId, OtlpIds.TraceIdBytes, "link trace_id"));
            w.WriteString("span_id", OtlpIds.ToHex(link.SpanId, OtlpIds.SpanIdBytes, "link span_id"));
            if (link.TraceState.Length > 0)
            {
                w.WriteString("trace_state", link.TraceState);
            }

            w.WritePropertyName("attributes");
            OtlpAttributes.WriteObject(w, link.Attributes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        return json.End();
    }

    private static int? StatusCodeOf(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.IntValue when value.IntValue is >= 0 and <= 999 => (int)value.IntValue,
        AnyValue.ValueOneofCase.StringValue when int.TryParse(value.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code <= 999 => code,
        _ => null,
    };

    internal static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
