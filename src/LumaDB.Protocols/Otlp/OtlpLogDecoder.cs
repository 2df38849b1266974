using System.Buffers;
using LumaDB.Engine.Telemetry;
using LumaDB.Storage.Shards;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Decodes an encoded <c>ExportLogsServiceRequest</c> straight into <c>otel_logs</c> rows of a
/// <see cref="WriteBatch"/>, the rows <see cref="OtlpLogMapper"/> maps from the parsed request, without message
/// objects or strings per record. Malformed input, ids of a wrong length or times out of range throw
/// <see cref="OtlpInvalidException"/>. Reusable, not thread-safe.
/// </summary>
public sealed class OtlpLogDecoder
{
    private const long NanosPerMicro = 1000;
    private const int IdBlock = 1024;
    private readonly RowBuilder _row;
    private readonly Func<int, long> _reserveIds;
    private readonly ArrayBufferWriter<byte> _resourceJson = new(1024);
    private readonly OtlpJsonScratch _json = new();
    private long _nextId;
    private int _idsLeft;

    /// <summary>Creates a decoder for rows of the <c>otel_logs</c> layout; <paramref name="reserveIds"/> hands out blocks of log ids.</summary>
    public OtlpLogDecoder(TableLayout layout, Func<int, long> reserveIds)
    {
        Layout = layout;
        _reserveIds = reserveIds;
        _row = new RowBuilder(layout);
    }

    /// <summary>The otel_logs layout the rows are encoded for.</summary>
    public TableLayout Layout { get; }

    /// <summary>The rows of the last decoded request.</summary>
    public WriteBatch Batch { get; } = new();

    /// <summary>Records of the last request put into <see cref="Batch"/>.</summary>
    public int Accepted { get; private set; }

    /// <summary>Decodes a whole request into <see cref="Batch"/> (cleared first); <paramref name="receivedUnixNano"/> stands in for missing times.</summary>
    public void Decode(ReadOnlySpan<byte> request, long receivedUnixNano)
    {
        Batch.Clear();
        Accepted = 0;
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                ResourceLogs(reader.ReadBytes(), receivedUnixNano);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ResourceLogs(ReadOnlySpan<byte> message, long receivedUnixNano)
    {
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

        var service = OtlpTraceDecoder.ServiceName(resource);
        _json.WriteAttributeObject(_resourceJson, resource, hasResource);

        reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == ProtoReader.LengthDelimited)
            {
                ScopeLogs(reader.ReadBytes(), service, receivedUnixNano);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ScopeLogs(ReadOnlySpan<byte> message, ReadOnlySpan<byte> service, long receivedUnixNano)
    {
        ReadOnlySpan<byte> scopeName = default, scopeVersion = default;
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                OtlpTraceDecoder.ReadScope(reader.ReadBytes(), out scopeName, out scopeVersion);
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
                Record(reader.ReadBytes(), service, scopeName, scopeVersion, receivedUnixNano);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void Record(ReadOnlySpan<byte> record, ReadOnlySpan<byte> service, ReadOnlySpan<byte> scopeName, ReadOnlySpan<byte> scopeVersion, long receivedUnixNano)
    {
        ReadOnlySpan<byte> severityText = default, body = default, traceId = default, spanId = default;
        ulong time = 0, observed = 0;
        var severity = 0;
        var hasBody = false;
        var reader = new ProtoReader(record);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.Fixed64: time = reader.ReadFixed64(); break;
                case 2 when wire == ProtoReader.Varint: severity = (int)reader.ReadVarint(); break;
                case 3 when wire == ProtoReader.LengthDelimited: severityText = reader.ReadBytes(); break;
                case 5 when wire == ProtoReader.LengthDelimited: body = reader.ReadBytes(); hasBody = true; break;
                case 9 when wire == ProtoReader.LengthDelimited: traceId = reader.ReadBytes(); break;
                case 10 when wire == ProtoReader.LengthDelimited: spanId = reader.ReadBytes(); break;
                case 11 when wire == ProtoReader.Fixed64: observed = reader.ReadFixed64(); break;
                default: reader.Skip(wire); break;
            }
        }

        var timeNanos = OtlpTime.ToNanos(time, "log time_unix_nano");
        var observedNanos = OtlpTime.ToNanos(observed, "log observed_time_unix_nano");
        if (timeNanos == 0 && observedNanos == 0)
        {
            observedNanos = receivedUnixNano;
        }

        var row = _row;
        row.Reset();
        OtlpWireValues.SetText(row, OtelLogsTable.ServiceName, service);
        row.SetTimestamp(OtelLogsTable.Time, (timeNanos != 0 ? timeNanos : observedNanos) / NanosPerMicro)
            .SetInt64(OtelLogsTable.LogId, NextId())
            .SetInt64(OtelLogsTable.TimeUnixNano, timeNanos)
            .SetInt32(OtelLogsTable.SeverityNumber, severity);
        if (observedNanos != 0)
        {
            row.SetTimestamp(OtelLogsTable.ObservedTime, observedNanos / NanosPerMicro);
        }

        OtlpWireValues.SetOptionalText(row, OtelLogsTable.SeverityText, severityText);
        if (hasBody)
        {
            OtlpWireValues.SetValueText(row, OtelLogsTable.Body, body, _json);
        }

        // Written as JSON straight into the row.
        _json.Writer.Reset(row.BeginValue(OtelLogsTable.Attributes));
        OtlpWireValues.WriteAttributes(_json.Writer, record, 6);
        _json.Writer.Flush();
        row.EndValue(OtelLogsTable.Attributes);
        row.SetBytes(OtelLogsTable.ResourceAttributes, _resourceJson.WrittenSpan);
        OtlpWireValues.SetOptionalText(row, OtelLogsTable.ScopeName, scopeName);
        OtlpWireValues.SetOptionalText(row, OtelLogsTable.ScopeVersion, scopeVersion);
        if (OtlpWireValues.IsValidId(traceId, OtlpIds.TraceIdBytes, "log trace_id"))
        {
            OtlpWireValues.SetHex(row, OtelLogsTable.TraceId, traceId);
        }

        if (OtlpWireValues.IsValidId(spanId, OtlpIds.SpanIdBytes, "log span_id"))
        {
            OtlpWireValues.SetHex(row, OtelLogsTable.SpanId, spanId);
        }

        Batch.Put(row);
        Accepted++;
    }

    private long NextId()
    {
        if (_idsLeft == 0)
        {
            _nextId = _reserveIds(IdBlock);
            _idsLeft = IdBlock;
        }

        _idsLeft--;
        return _nextId++;
    }
}
