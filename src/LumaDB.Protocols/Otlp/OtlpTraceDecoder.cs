using System.Buffers;
using System.Globalization;
using LumaDB.Engine.Telemetry;
using LumaDB.Storage.Shards;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Decodes an encoded <c>ExportTraceServiceRequest</c> straight into <c>otel_traces</c> rows of a
/// <see cref="WriteBatch"/>: no message objects, no strings per span; ids become hex and attributes JSON in the
/// row's own buffers. The rows are the ones <see cref="OtlpTraceMapper"/> maps from the parsed request. Malformed
/// input, ids of a wrong length or times out of range throw <see cref="OtlpInvalidException"/> (nothing is to be
/// stored then); a span without a valid trace or span id is rejected alone and counted. Reusable, not thread-safe.
/// </summary>
public sealed class OtlpTraceDecoder
{
    private const long NanosPerMicro = 1000;
    private readonly RowBuilder _row;
    private readonly ArrayBufferWriter<byte> _resourceJson = new(1024);
    private readonly OtlpJsonScratch _json = new();

    /// <summary>Creates a decoder for rows of the <c>otel_traces</c> layout <paramref name="layout"/>.</summary>
    public OtlpTraceDecoder(TableLayout layout)
    {
        Layout = layout;
        _row = new RowBuilder(layout);
    }

    /// <summary>The otel_traces layout the rows are encoded for.</summary>
    public TableLayout Layout { get; }

    /// <summary>The rows of the last decoded request.</summary>
    public WriteBatch Batch { get; } = new();

    /// <summary>Spans of the last request put into <see cref="Batch"/>.</summary>
    public int Accepted { get; private set; }

    /// <summary>Spans of the last request rejected alone (no valid trace or span id).</summary>
    public int Rejected { get; private set; }

    /// <summary>Why spans were rejected, or null.</summary>
    public string? ErrorMessage => Rejected == 0 ? null : $"{Rejected} span(s) without a valid trace_id or span_id were rejected";

    /// <summary>Decodes a whole request into <see cref="Batch"/> (cleared first).</summary>
    public void Decode(ReadOnlySpan<byte> request)
    {
        Batch.Clear();
        Accepted = 0;
        Rejected = 0;
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                ResourceSpans(reader.ReadBytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ResourceSpans(ReadOnlySpan<byte> message)
    {
        // The resource may follow the scope spans on the wire: find it first.
        ReadOnlySpan<byte> resource = default;
        var hasResource = false;
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                resource = reader.ReadBytes();
                hasResource = true;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        var service = ServiceName(resource);
        _json.WriteAttributeObject(_resourceJson, resource, hasResource);

        reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == ProtoReader.LengthDelimited)
            {
                ScopeSpans(reader.ReadBytes(), service);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ScopeSpans(ReadOnlySpan<byte> message, ReadOnlySpan<byte> service)
    {
        ReadOnlySpan<byte> scopeName = default, scopeVersion = default;
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                ReadScope(reader.ReadBytes(), out scopeName, out scopeVersion);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == ProtoReader.LengthDelimited)
            {
                Span(reader.ReadBytes(), service, scopeName, scopeVersion);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void Span(ReadOnlySpan<byte> span, ReadOnlySpan<byte> service, ReadOnlySpan<byte> scopeName, ReadOnlySpan<byte> scopeVersion)
    {
        ReadOnlySpan<byte> traceId = default, spanId = default, parentId = default, traceState = default, name = default, status = default;
        ulong start = 0, end = 0;
        var kind = 0;
        int events = 0, links = 0;
        var row = _row;
        row.Reset();

        // One walk over the span: the attributes are written as JSON straight into the row while the other fields
        // are picked up; events and links (rarer) take a walk of their own when present.
        var http = default(HttpColumns);
        var writer = _json.Writer;
        writer.Reset(row.BeginValue(OtelTracesTable.Attributes));
        writer.WriteStartObject();
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited: traceId = reader.ReadBytes(); break;
                case 2 when wire == ProtoReader.LengthDelimited: spanId = reader.ReadBytes(); break;
                case 3 when wire == ProtoReader.LengthDelimited: traceState = reader.ReadBytes(); break;
                case 4 when wire == ProtoReader.LengthDelimited: parentId = reader.ReadBytes(); break;
                case 5 when wire == ProtoReader.LengthDelimited: name = reader.ReadBytes(); break;
                case 6 when wire == ProtoReader.Varint: kind = (int)reader.ReadVarint(); break;
                case 7 when wire == ProtoReader.Fixed64: start = reader.ReadFixed64(); break;
                case 8 when wire == ProtoReader.Fixed64: end = reader.ReadFixed64(); break;
                case 9 when wire == ProtoReader.LengthDelimited: Attribute(writer, reader.ReadBytes(), ref http); break;
                case 11 when wire == ProtoReader.LengthDelimited: events++; reader.Skip(wire); break;
                case 13 when wire == ProtoReader.LengthDelimited: links++; reader.Skip(wire); break;
                case 15 when wire == ProtoReader.LengthDelimited: status = reader.ReadBytes(); break;
                default: reader.Skip(wire); break;
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        row.EndValue(OtelTracesTable.Attributes);

        // Checked in the order the mapper checks them, so the same request fails with the same message.
        var validTrace = OtlpWireValues.IsValidId(traceId, OtlpIds.TraceIdBytes, "span trace_id");
        var validSpan = OtlpWireValues.IsValidId(spanId, OtlpIds.SpanIdBytes, "span span_id");
        var hasParent = OtlpWireValues.IsValidId(parentId, OtlpIds.SpanIdBytes, "span parent_span_id");
        var startNanos = OtlpTime.ToNanos(start, "span start_time_unix_nano");
        var endNanos = Math.Max(startNanos, OtlpTime.ToNanos(end, "span end_time_unix_nano"));
        if (events == 0)
        {
            row.SetBytes(OtelTracesTable.Events, "[]"u8);
        }
        else
        {
            EventsJson(span);
        }

        if (links == 0)
        {
            row.SetBytes(OtelTracesTable.Links, "[]"u8);
        }
        else
        {
            LinksJson(span);
        }

        if (!validTrace || !validSpan)
        {
            Rejected++;
            return;
        }

        OtlpWireValues.SetHex(row, OtelTracesTable.TraceId, traceId);
        OtlpWireValues.SetHex(row, OtelTracesTable.SpanId, spanId);
        if (hasParent)
        {
            OtlpWireValues.SetHex(row, OtelTracesTable.ParentSpanId, parentId);
        }

        OtlpWireValues.SetOptionalText(row, OtelTracesTable.TraceState, traceState);
        OtlpWireValues.SetText(row, OtelTracesTable.SpanName, name);
        row.SetBytes(OtelTracesTable.Kind, KindName(kind));
        OtlpWireValues.SetText(row, OtelTracesTable.ServiceName, service);
        row.SetTimestamp(OtelTracesTable.StartTime, startNanos / NanosPerMicro)
            .SetTimestamp(OtelTracesTable.EndTime, endNanos / NanosPerMicro)
            .SetInt64(OtelTracesTable.DurationNs, endNanos - startNanos)
            .SetInt64(OtelTracesTable.StartTimeUnixNano, startNanos);
        Status(status);
        HttpColumnsOf(ref http);
        row.SetBytes(OtelTracesTable.ResourceAttributes, _resourceJson.WrittenSpan);
        OtlpWireValues.SetOptionalText(row, OtelTracesTable.ScopeName, scopeName);
        OtlpWireValues.SetOptionalText(row, OtelTracesTable.ScopeVersion, scopeVersion);
        Batch.Put(row);
        Accepted++;
    }

    private void Status(ReadOnlySpan<byte> status)
    {
        ReadOnlySpan<byte> message = default;
        var code = 0;
        var reader = new ProtoReader(status);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 2 when wire == ProtoReader.LengthDelimited: message = reader.ReadBytes(); break;
                case 3 when wire == ProtoReader.Varint: code = (int)reader.ReadVarint(); break;
                default: reader.Skip(wire); break;
            }
        }

        _row.SetBytes(OtelTracesTable.StatusCode, code switch { 1 => "ok"u8, 2 => "error"u8, _ => "unset"u8 });
        OtlpWireValues.SetOptionalText(_row, OtelTracesTable.StatusMessage, message);
    }

    /// <summary>Writes one span attribute as a JSON property and notes it when it is one of the HTTP columns' (the first attribute of a name counts).</summary>
    private static void Attribute(OtlpJsonWriter writer, ReadOnlySpan<byte> keyValue, ref HttpColumns http)
    {
        OtlpWireValues.ReadKeyValue(keyValue, out var key, out var value, out var hasValue);
        writer.WritePropertyName(key);
        if (hasValue)
        {
            OtlpWireValues.WriteValue(writer, value, 0);
        }
        else
        {
            writer.WriteNullValue();
        }

        // A key's first occurrence decides, whatever its value, as a lookup over the parsed attributes would.
        if (key.Length >= 10 && key.StartsWith("http."u8))
        {
            var found = hasValue ? value : default;
            if (key.SequenceEqual("http.request.method"u8) && !http.SeenMethod) { http.SeenMethod = true; http.Method = found; }
            else if (key.SequenceEqual("http.method"u8) && !http.SeenOldMethod) { http.SeenOldMethod = true; http.OldMethod = found; }
            else if (key.SequenceEqual("http.route"u8) && !http.SeenRoute) { http.SeenRoute = true; http.Route = found; }
            else if (key.SequenceEqual("http.response.status_code"u8) && !http.SeenStatus) { http.SeenStatus = true; http.Status = found; http.StatusHasValue = hasValue; }
            else if (key.SequenceEqual("http.status_code"u8) && !http.SeenOldStatus) { http.SeenOldStatus = true; http.OldStatus = found; http.OldStatusHasValue = hasValue; }
        }
    }

    /// <summary>Sets the HTTP columns from the attributes noted while they were written.</summary>
    private void HttpColumnsOf(ref HttpColumns http)
    {
        if (!SetStringValue(OtelTracesTable.HttpMethod, http.Method))
        {
            SetStringValue(OtelTracesTable.HttpMethod, http.OldMethod);
        }

        SetStringValue(OtelTracesTable.HttpRoute, http.Route);

        // An attribute present without a value counts as absent; present with a value of another kind, as no code.
        var code = http.StatusHasValue ? StatusCodeOf(http.Status) : http.OldStatusHasValue ? StatusCodeOf(http.OldStatus) : null;
        if (code is { } c)
        {
            _row.SetInt32(OtelTracesTable.HttpStatusCode, c);
        }
    }

    private bool SetStringValue(int column, ReadOnlySpan<byte> anyValue)
    {
        if (anyValue.IsEmpty || OtlpWireValues.ReadAnyValue(anyValue, out _, out var text) != 1)
        {
            return false;
        }

        OtlpWireValues.SetText(_row, column, text);
        return true;
    }

    private static int? StatusCodeOf(ReadOnlySpan<byte> anyValue)
    {
        switch (OtlpWireValues.ReadAnyValue(anyValue, out var scalar, out var text))
        {
            case 3 when (long)scalar is >= 0 and <= 999: return (int)scalar;
            case 1:
                Span<char> chars = stackalloc char[16];
                if (text.Length <= chars.Length && System.Text.Unicode.Utf8.ToUtf16(text, chars, out _, out var written) == OperationStatus.Done
                    && int.TryParse(chars[..written], NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code <= 999)
                {
                    return code;
                }

                return null;
            default: return null;
        }
    }

    /// <summary>Writes the span's events as a JSON array straight into the events column.</summary>
    private void EventsJson(ReadOnlySpan<byte> span)
    {
        var writer = _json.Writer;
        writer.Reset(_row.BeginValue(OtelTracesTable.Events));
        writer.WriteStartArray();
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var wire))
        {
            if (field != 11 || wire != ProtoReader.LengthDelimited)
            {
                reader.Skip(wire);
                continue;
            }

            var e = reader.ReadBytes();
            ulong time = 0;
            ReadOnlySpan<byte> name = default;
            var fields = new ProtoReader(e);
            while (fields.Next(out var f, out var w))
            {
                switch (f)
                {
                    case 1 when w == ProtoReader.Fixed64: time = fields.ReadFixed64(); break;
                    case 2 when w == ProtoReader.LengthDelimited: name = fields.ReadBytes(); break;
                    default: fields.Skip(w); break;
                }
            }

            writer.WriteStartObject();
            writer.WritePropertyName("time_unix_nano"u8);
            writer.WriteNumberValue(OtlpTime.ToNanos(time, "span event time_unix_nano"));
            writer.WritePropertyName("name"u8);
            writer.WriteStringValue(name);
            writer.WritePropertyName("attributes"u8);
            OtlpWireValues.WriteAttributes(writer, e, 3);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        _row.EndValue(OtelTracesTable.Events);
    }

    /// <summary>Writes the span's links as a JSON array straight into the links column.</summary>
    private void LinksJson(ReadOnlySpan<byte> span)
    {
        var writer = _json.Writer;
        writer.Reset(_row.BeginValue(OtelTracesTable.Links));
        writer.WriteStartArray();
        Span<byte> hex = stackalloc byte[32];
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var wire))
        {
            if (field != 13 || wire != ProtoReader.LengthDelimited)
            {
                reader.Skip(wire);
                continue;
            }

            var link = reader.ReadBytes();
            ReadOnlySpan<byte> traceId = default, spanId = default, state = default;
            var fields = new ProtoReader(link);
            while (fields.Next(out var f, out var w))
            {
                switch (f)
                {
                    case 1 when w == ProtoReader.LengthDelimited: traceId = fields.ReadBytes(); break;
                    case 2 when w == ProtoReader.LengthDelimited: spanId = fields.ReadBytes(); break;
                    case 3 when w == ProtoReader.LengthDelimited: state = fields.ReadBytes(); break;
                    default: fields.Skip(w); break;
                }
            }

            writer.WriteStartObject();
            WriteId(writer, "trace_id"u8, traceId, OtlpIds.TraceIdBytes, "link trace_id", hex);
            WriteId(writer, "span_id"u8, spanId, OtlpIds.SpanIdBytes, "link span_id", hex);
            if (!state.IsEmpty)
            {
                writer.WritePropertyName("trace_state"u8);
                writer.WriteStringValue(state);
            }

            writer.WritePropertyName("attributes"u8);
            OtlpWireValues.WriteAttributes(writer, link, 4);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        _row.EndValue(OtelTracesTable.Links);
    }

    private static void WriteId(OtlpJsonWriter writer, ReadOnlySpan<byte> property, ReadOnlySpan<byte> id, int bytes, string what, Span<byte> hex)
    {
        writer.WritePropertyName(property);
        if (OtlpWireValues.IsValidId(id, bytes, what))
        {
            writer.WriteStringValue(OtlpWireValues.Hex(id, hex));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static ReadOnlySpan<byte> KindName(int kind) => kind switch
    {
        1 => "internal"u8,
        2 => "server"u8,
        3 => "client"u8,
        4 => "producer"u8,
        5 => "consumer"u8,
        _ => "unspecified"u8,
    };

    /// <summary>The resource's service.name (its first attribute of that name, when a non-empty string), else unknown_service.</summary>
    internal static ReadOnlySpan<byte> ServiceName(ReadOnlySpan<byte> resource)
    {
        var reader = new ProtoReader(resource);
        while (reader.Next(out var field, out var wire))
        {
            if (field != 1 || wire != ProtoReader.LengthDelimited)
            {
                reader.Skip(wire);
                continue;
            }

            OtlpWireValues.ReadKeyValue(reader.ReadBytes(), out var key, out var value, out var hasValue);
            if (key.SequenceEqual("service.name"u8))
            {
                return hasValue && OtlpWireValues.ReadAnyValue(value, out _, out var name) == 1 && !name.IsEmpty ? name : "unknown_service"u8;
            }
        }

        return "unknown_service"u8;
    }

    internal static void ReadScope(ReadOnlySpan<byte> scope, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> version)
    {
        name = default;
        version = default;
        var reader = new ProtoReader(scope);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited: name = reader.ReadBytes(); break;
                case 2 when wire == ProtoReader.LengthDelimited: version = reader.ReadBytes(); break;
                default: reader.Skip(wire); break;
            }
        }
    }

    /// <summary>The attributes behind the HTTP columns, as found while a span's attributes are written.</summary>
    private ref struct HttpColumns
    {
        public ReadOnlySpan<byte> Method, OldMethod, Route, Status, OldStatus;
        public bool SeenMethod, SeenOldMethod, SeenRoute, SeenStatus, SeenOldStatus, StatusHasValue, OldStatusHasValue;
    }
}
