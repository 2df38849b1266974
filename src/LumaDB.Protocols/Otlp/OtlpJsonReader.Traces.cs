using System.Text.Json;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Trace.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>Trace requests in OTLP/JSON.</summary>
public static partial class OtlpJsonReader
{
    /// <summary>Reads an <c>ExportTraceServiceRequest</c>; throws <see cref="OtlpInvalidException"/> for anything malformed.</summary>
    public static ExportTraceServiceRequest ReadTraces(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        ExpectObject(root, "request");
        var request = new ExportTraceServiceRequest();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is "resourceSpans" or "resource_spans" && !IsNull(p.Value))
            {
                foreach (var item in Array(p.Value, "resourceSpans"))
                {
                    request.ResourceSpans.Add(ReadResourceSpans(item));
                }
            }
        }

        return request;
    }

    private static ResourceSpans ReadResourceSpans(JsonElement element)
    {
        ExpectObject(element, "resourceSpans[]");
        var result = new ResourceSpans();
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
                case "scopeSpans" or "scope_spans":
                    foreach (var item in Array(p.Value, "scopeSpans"))
                    {
                        result.ScopeSpans.Add(ReadScopeSpans(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static ScopeSpans ReadScopeSpans(JsonElement element)
    {
        ExpectObject(element, "scopeSpans[]");
        var result = new ScopeSpans();
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
                case "spans":
                    foreach (var item in Array(p.Value, "spans"))
                    {
                        result.Spans.Add(ReadSpan(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static Span ReadSpan(JsonElement element)
    {
        ExpectObject(element, "span");
        var span = new Span();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "traceId" or "trace_id": span.TraceId = HexId(p.Value, "span traceId"); break;
                case "spanId" or "span_id": span.SpanId = HexId(p.Value, "span spanId"); break;
                case "parentSpanId" or "parent_span_id": span.ParentSpanId = HexId(p.Value, "span parentSpanId"); break;
                case "traceState" or "trace_state": span.TraceState = String(p.Value, "span traceState"); break;
                case "flags": span.Flags = UInt32(p.Value, "span flags"); break;
                case "name": span.Name = String(p.Value, "span name"); break;
                case "kind": span.Kind = (Span.Types.SpanKind)Enum(p.Value, "span kind", SpanKindByName); break;
                case "startTimeUnixNano" or "start_time_unix_nano": span.StartTimeUnixNano = UInt64(p.Value, "span startTimeUnixNano"); break;
                case "endTimeUnixNano" or "end_time_unix_nano": span.EndTimeUnixNano = UInt64(p.Value, "span endTimeUnixNano"); break;
                case "attributes": ReadAttributes(p.Value, span.Attributes, "span attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": span.DroppedAttributesCount = UInt32(p.Value, "span droppedAttributesCount"); break;
                case "droppedEventsCount" or "dropped_events_count": span.DroppedEventsCount = UInt32(p.Value, "span droppedEventsCount"); break;
                case "droppedLinksCount" or "dropped_links_count": span.DroppedLinksCount = UInt32(p.Value, "span droppedLinksCount"); break;
                case "status": span.Status = ReadStatus(p.Value); break;
                case "events":
                    foreach (var item in Array(p.Value, "span events"))
                    {
                        span.Events.Add(ReadEvent(item));
                    }

                    break;
                case "links":
                    foreach (var item in Array(p.Value, "span links"))
                    {
                        span.Links.Add(ReadLink(item));
                    }

                    break;
            }
        }

        return span;
    }

    private static Status ReadStatus(JsonElement element)
    {
        ExpectObject(element, "span status");
        var status = new Status();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "message": status.Message = String(p.Value, "status message"); break;
                case "code": status.Code = (Status.Types.StatusCode)Enum(p.Value, "status code", StatusCodeByName); break;
            }
        }

        return status;
    }

    private static Span.Types.Event ReadEvent(JsonElement element)
    {
        ExpectObject(element, "span event");
        var e = new Span.Types.Event();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "timeUnixNano" or "time_unix_nano": e.TimeUnixNano = UInt64(p.Value, "event timeUnixNano"); break;
                case "name": e.Name = String(p.Value, "event name"); break;
                case "attributes": ReadAttributes(p.Value, e.Attributes, "event attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": e.DroppedAttributesCount = UInt32(p.Value, "event droppedAttributesCount"); break;
            }
        }

        return e;
    }

    private static Span.Types.Link ReadLink(JsonElement element)
    {
        ExpectObject(element, "span link");
        var link = new Span.Types.Link();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "traceId" or "trace_id": link.TraceId = HexId(p.Value, "link traceId"); break;
                case "spanId" or "span_id": link.SpanId = HexId(p.Value, "link spanId"); break;
                case "traceState" or "trace_state": link.TraceState = String(p.Value, "link traceState"); break;
                case "flags": link.Flags = UInt32(p.Value, "link flags"); break;
                case "attributes": ReadAttributes(p.Value, link.Attributes, "link attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": link.DroppedAttributesCount = UInt32(p.Value, "link droppedAttributesCount"); break;
            }
        }

        return link;
    }

    private static int? SpanKindByName(string name) => name switch
    {
        "SPAN_KIND_UNSPECIFIED" => 0,
        "SPAN_KIND_INTERNAL" => 1,
        "SPAN_KIND_SERVER" => 2,
        "SPAN_KIND_CLIENT" => 3,
        "SPAN_KIND_PRODUCER" => 4,
        "SPAN_KIND_CONSUMER" => 5,
        _ => null,
    };

    private static int? StatusCodeByName(string name) => name switch
    {
        "STATUS_CODE_UNSET" => 0,
        "STATUS_CODE_OK" => 1,
        "STATUS_CODE_ERROR" => 2,
        _ => null,
    };
}
