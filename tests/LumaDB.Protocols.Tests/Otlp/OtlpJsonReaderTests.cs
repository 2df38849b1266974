using System.Text;
using LumaDB.Protocols.Otlp;
using LumaDB.Protocols.Otlp.Trace.V1;

namespace LumaDB.Protocols.Tests.Otlp;

public sealed class OtlpJsonReaderTests
{
    private static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void Json_spans_take_hex_ids_string_int64s_and_enum_names_or_numbers()
    {
        var request = OtlpJsonReader.ReadTraces(Utf8("""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
              "scopeSpans":[{"scope":{"name":"lib","version":"1"},"spans":[
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"",
                 "name":"a","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1700000000000000001","endTimeUnixNano":1700000000000000999,
                 "status":{"code":2,"message":"boom"},"attributes":[{"key":"n","value":{"intValue":"42"}},{"key":"d","value":{"doubleValue":"NaN"}}],
                 "unknownField":{"ignored":true}},
                {"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b175","kind":3,"name":"b"}]}]}]}
            """));

        var spans = request.ResourceSpans[0].ScopeSpans[0].Spans;
        Assert.Equal(Convert.FromHexString("5B8EFFF798038103D269B633813FC60C"), spans[0].TraceId.ToByteArray());
        Assert.Equal(Span.Types.SpanKind.Server, spans[0].Kind);
        Assert.Equal(1700000000000000001UL, spans[0].StartTimeUnixNano);
        Assert.Equal(1700000000000000999UL, spans[0].EndTimeUnixNano);
        Assert.Equal(Status.Types.StatusCode.Error, spans[0].Status.Code);
        Assert.Equal(42, spans[0].Attributes[0].Value.IntValue);
        Assert.True(double.IsNaN(spans[0].Attributes[1].Value.DoubleValue));
        Assert.Equal(Span.Types.SpanKind.Client, spans[1].Kind);
        Assert.Equal(8, spans[1].SpanId.Length);
    }

    [Theory]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}", "hex")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"-5\"}]}]}]}", "startTimeUnixNano")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SPAN_KIND_SIDEWAYS\"}]}]}]}", "kind")]
    [InlineData("{\"resourceSpans\":{}}", "resourceSpans")]
    [InlineData("{\"resourceSpans\":[", "invalid JSON")]
    [InlineData("[]", "request")]
    public void Malformed_json_is_refused_with_a_message_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<OtlpInvalidException>(() => OtlpJsonReader.ReadTraces(Utf8(json)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_logs_read_severity_names_bodies_and_ids()
    {
        var request = OtlpJsonReader.ReadLogs(Utf8("""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"1700000000000000000","severityNumber":"SEVERITY_NUMBER_WARN3","severityText":"W",
               "body":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":true}}]}},
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}
            """));
        var record = request.ResourceLogs[0].ScopeLogs[0].LogRecords[0];
        Assert.Equal(15, (int)record.SeverityNumber);
        Assert.True(record.Body.KvlistValue.Values[0].Value.BoolValue);

        var rows = OtlpLogMapper.Map(request, 1).Items;
        Assert.Equal("{\"k\":true}", rows[0].Body);
        Assert.Equal("5b8efff798038103d269b633813fc60c", rows[0].TraceId);
        Assert.Equal("unknown_service", rows[0].ServiceName);
    }

    [Fact]
    public void Json_metrics_read_sums_histograms_and_temporality_names()
    {
        var request = OtlpJsonReader.ReadMetrics(Utf8("""
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
              {"name":"jobs","unit":"1","sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true,
                "dataPoints":[{"timeUnixNano":"1700000000000000000","asInt":"7"}]}},
              {"name":"lat","unit":"ms","histogram":{"aggregationTemporality":2,
                "dataPoints":[{"timeUnixNano":"1700000000000000000","count":"3","sum":12.5,"bucketCounts":["1","2"],"explicitBounds":[10]}]}}]}]}]}
            """));
        var samples = OtlpMetricMapper.Map(request, 0).Items;
        var byName = samples.ToLookup(s => s.Labels.Labels.ToArray().Single(l => l.Name == "__name__").Value);
        Assert.Equal(7, Assert.Single(byName["jobs_total"]).Value);
        Assert.Equal(1700000000000, byName["jobs_total"].Single().TimestampMs);
        Assert.Equal([1, 3], byName["lat_milliseconds_bucket"].Select(s => s.Value).ToArray());
        Assert.Equal(12.5, Assert.Single(byName["lat_milliseconds_sum"]).Value);
        Assert.Equal(3, Assert.Single(byName["lat_milliseconds_count"]).Value);
    }
}
