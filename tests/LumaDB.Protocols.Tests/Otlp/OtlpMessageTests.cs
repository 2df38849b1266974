using Google.Protobuf;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;

namespace LumaDB.Protocols.Tests.Otlp;

/// <summary>
/// Our .proto files are written by hand from the published field numbers, so these tests write raw protobuf
/// with the numbers the OTLP specification gives and check each lands in the field it names.
/// </summary>
public sealed class OtlpMessageTests
{
    private static byte[] Raw(Action<CodedOutputStream> write)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    private static void Message(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(Raw(body)));
    }

    private static void Attribute(CodedOutputStream output, int field, string key, string value) => Message(output, field, kv =>
    {
        kv.WriteTag(1, WireFormat.WireType.LengthDelimited);
        kv.WriteString(key);
        Message(kv, 2, any => { any.WriteTag(1, WireFormat.WireType.LengthDelimited); any.WriteString(value); });
    });

    [Fact]
    public void A_span_decodes_into_the_fields_the_specification_numbers()
    {
        var traceId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var spanId = Enumerable.Range(101, 8).Select(i => (byte)i).ToArray();
        var bytes = Raw(o => Message(o, 1, resourceSpans =>
        {
            Message(resourceSpans, 1, resource => Attribute(resource, 1, "service.name", "checkout"));
            Message(resourceSpans, 2, scopeSpans =>
            {
                Message(scopeSpans, 1, scope => { scope.WriteTag(1, WireFormat.WireType.LengthDelimited); scope.WriteString("lib"); });
                Message(scopeSpans, 2, span =>
                {
                    span.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    span.WriteBytes(ByteString.CopyFrom(traceId));
                    span.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    span.WriteBytes(ByteString.CopyFrom(spanId));
                    span.WriteTag(5, WireFormat.WireType.LengthDelimited);
                    span.WriteString("GET /cart");
                    span.WriteTag(6, WireFormat.WireType.Varint);
                    span.WriteEnum(2);
                    span.WriteTag(7, WireFormat.WireType.Fixed64);
                    span.WriteFixed64(1_000);
                    span.WriteTag(8, WireFormat.WireType.Fixed64);
                    span.WriteFixed64(5_000);
                    Attribute(span, 9, "http.method", "GET");
                    Message(span, 15, status => { status.WriteTag(2, WireFormat.WireType.LengthDelimited); status.WriteString("boom"); status.WriteTag(3, WireFormat.WireType.Varint); status.WriteEnum(2); });
                    span.WriteTag(16, WireFormat.WireType.Fixed32);
                    span.WriteFixed32(0x301);
                });
            });
        }));

        var request = ExportTraceServiceRequest.Parser.ParseFrom(bytes);

        var resourceSpans = Assert.Single(request.ResourceSpans);
        Assert.Equal("service.name", resourceSpans.Resource.Attributes[0].Key);
        Assert.Equal("checkout", resourceSpans.Resource.Attributes[0].Value.StringValue);
        var span = Assert.Single(Assert.Single(resourceSpans.ScopeSpans).Spans);
        Assert.Equal("lib", resourceSpans.ScopeSpans[0].Scope.Name);
        Assert.Equal(traceId, span.TraceId.ToByteArray());
        Assert.Equal(spanId, span.SpanId.ToByteArray());
        Assert.Equal("GET /cart", span.Name);
        Assert.Equal(LumaDB.Protocols.Otlp.Trace.V1.Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(1_000UL, span.StartTimeUnixNano);
        Assert.Equal(5_000UL, span.EndTimeUnixNano);
        Assert.Equal("GET", span.Attributes[0].Value.StringValue);
        Assert.Equal(LumaDB.Protocols.Otlp.Trace.V1.Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("boom", span.Status.Message);
        Assert.Equal(0x301U, span.Flags);
    }

    [Fact]
    public void A_log_record_decodes_into_the_fields_the_specification_numbers()
    {
        var bytes = Raw(o => Message(o, 1, resourceLogs => Message(resourceLogs, 2, scopeLogs => Message(scopeLogs, 2, log =>
        {
            log.WriteTag(1, WireFormat.WireType.Fixed64);
            log.WriteFixed64(42);
            log.WriteTag(2, WireFormat.WireType.Varint);
            log.WriteEnum(17);
            log.WriteTag(3, WireFormat.WireType.LengthDelimited);
            log.WriteString("ERROR");
            Message(log, 5, body => { body.WriteTag(1, WireFormat.WireType.LengthDelimited); body.WriteString("disk full"); });
            log.WriteTag(11, WireFormat.WireType.Fixed64);
            log.WriteFixed64(43);
            log.WriteTag(12, WireFormat.WireType.LengthDelimited);
            log.WriteString("app.crash");
        }))));

        var record = ExportLogsServiceRequest.Parser.ParseFrom(bytes).ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.Equal(42UL, record.TimeUnixNano);
        Assert.Equal(43UL, record.ObservedTimeUnixNano);
        Assert.Equal(LumaDB.Protocols.Otlp.Logs.V1.SeverityNumber.Error, record.SeverityNumber);
        Assert.Equal("ERROR", record.SeverityText);
        Assert.Equal("disk full", record.Body.StringValue);
        Assert.Equal("app.crash", record.EventName);
    }

    [Fact]
    public void A_histogram_point_decodes_into_the_fields_the_specification_numbers()
    {
        var bytes = Raw(o => Message(o, 1, rm => Message(rm, 2, sm => Message(sm, 2, metric =>
        {
            metric.WriteTag(1, WireFormat.WireType.LengthDelimited);
            metric.WriteString("http.server.duration");
            metric.WriteTag(3, WireFormat.WireType.LengthDelimited);
            metric.WriteString("ms");
            Message(metric, 9, histogram =>
            {
                Message(histogram, 1, point =>
                {
                    point.WriteTag(4, WireFormat.WireType.Fixed64);
                    point.WriteFixed64(7);
                    point.WriteTag(5, WireFormat.WireType.Fixed64);
                    point.WriteDouble(12.5);
                    Message(point, 6, counts => { counts.WriteFixed64(3); counts.WriteFixed64(4); });
                    Message(point, 7, bounds => bounds.WriteDouble(10));
                    point.WriteTag(12, WireFormat.WireType.Fixed64);
                    point.WriteDouble(9.5);
                });
                histogram.WriteTag(2, WireFormat.WireType.Varint);
                histogram.WriteEnum(2);
            });
        }))));

        var metric = ExportMetricsServiceRequest.Parser.ParseFrom(bytes).ResourceMetrics[0].ScopeMetrics[0].Metrics[0];

        Assert.Equal("http.server.duration", metric.Name);
        Assert.Equal("ms", metric.Unit);
        var point = Assert.Single(metric.Histogram.DataPoints);
        Assert.Equal(7UL, point.Count);
        Assert.Equal(12.5, point.Sum);
        Assert.Equal([3UL, 4UL], point.BucketCounts);
        Assert.Equal([10.0], point.ExplicitBounds);
        Assert.Equal(9.5, point.Max);
        Assert.False(point.HasMin);
        Assert.Equal(LumaDB.Protocols.Otlp.Metrics.V1.AggregationTemporality.Cumulative, metric.Histogram.AggregationTemporality);
    }
}
