using Google.Protobuf;
using LumaDB.Protocols.Otlp;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Metrics.V1;
using LumaDB.Protocols.Otlp.Trace.V1;

namespace LumaDB.Protocols.Tests.Otlp;

public sealed class OtlpMappingTests
{
    private static ExportTraceServiceRequest Traces(params Span[] spans)
    {
        var scope = new ScopeSpans();
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans { Resource = new LumaDB.Protocols.Otlp.Resource.V1.Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "svc" } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static Span Span(int traceBytes = 16, int spanBytes = 8, byte fill = 1) => new()
    {
        TraceId = ByteString.CopyFrom(Enumerable.Repeat(fill, traceBytes).ToArray()),
        SpanId = ByteString.CopyFrom(Enumerable.Repeat(fill, spanBytes).ToArray()),
        Name = "op",
        StartTimeUnixNano = 1_700_000_000_000_000_123,
        EndTimeUnixNano = 1_700_000_000_500_000_123,
    };

    [Fact]
    public void A_span_maps_to_hex_ids_service_and_http_columns()
    {
        var span = Span();
        span.Attributes.Add(new KeyValue { Key = "http.method", Value = new AnyValue { StringValue = "POST" } });
        span.Attributes.Add(new KeyValue { Key = "http.status_code", Value = new AnyValue { IntValue = 503 } });
        var row = Assert.Single(OtlpTraceMapper.Map(Traces(span)).Items);
        Assert.Equal("01010101010101010101010101010101", row.TraceId);
        Assert.Equal("0101010101010101", row.SpanId);
        Assert.Null(row.ParentSpanId);
        Assert.Equal("svc", row.ServiceName);
        Assert.Equal("POST", row.HttpMethod);
        Assert.Equal(503, row.HttpStatusCode);
        Assert.Equal(500_000_000, row.DurationNanos);
        Assert.Equal("{\"http.method\":\"POST\",\"http.status_code\":503}", row.Attributes);
    }

    [Theory]
    [InlineData(15, 8)]
    [InlineData(16, 9)]
    [InlineData(32, 8)]
    public void An_id_of_the_wrong_length_refuses_the_whole_request(int traceBytes, int spanBytes)
    {
        var e = Assert.Throws<OtlpInvalidException>(() => OtlpTraceMapper.Map(Traces(Span(), Span(traceBytes, spanBytes))));
        Assert.Contains("bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_with_all_zero_ids_are_rejected_alone_and_counted()
    {
        var batch = OtlpTraceMapper.Map(Traces(Span(), Span(fill: 0), Span(traceBytes: 0, spanBytes: 0)));
        Assert.Single(batch.Items);
        Assert.Equal(2, batch.Rejected);
        Assert.NotNull(batch.ErrorMessage);
    }

    [Theory]
    [InlineData("http.server.duration", "s", false, false, "http_server_duration_seconds")]
    [InlineData("http.server.requests", "{request}", true, false, "http_server_requests_total")]
    [InlineData("system.network.io", "By", true, false, "system_network_io_bytes_total")]
    [InlineData("queue.throughput", "By/s", false, true, "queue_throughput_bytes_per_second")]
    [InlineData("cpu.utilization", "1", false, true, "cpu_utilization_ratio")]
    [InlineData("jobs_total", "", true, false, "jobs_total")]
    [InlineData("latency_seconds", "s", false, false, "latency_seconds")]
    [InlineData("9lives", "", false, true, "_9lives")]
    public void Metric_names_follow_the_prometheus_compatibility_rules(string name, string unit, bool counter, bool gauge, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(name, unit, counter, gauge));

    [Fact]
    public void Delta_sums_and_exponential_histograms_are_rejected_data_points_not_errors()
    {
        var delta = new Metric { Name = "d", Sum = new Sum { AggregationTemporality = AggregationTemporality.Delta, IsMonotonic = true } };
        delta.Sum.DataPoints.Add(new NumberDataPoint { AsInt = 1, TimeUnixNano = 1 });
        delta.Sum.DataPoints.Add(new NumberDataPoint { AsInt = 2, TimeUnixNano = 2 });
        var gauge = new Metric { Name = "g", Gauge = new Gauge() };
        gauge.Gauge.DataPoints.Add(new NumberDataPoint { AsDouble = 0.5, TimeUnixNano = 3_000_000 });
        var exponential = new Metric { Name = "e", ExponentialHistogram = new ExponentialHistogram() };
        exponential.ExponentialHistogram.DataPoints.Add(new ExponentialHistogramDataPoint());
        var scope = new ScopeMetrics();
        scope.Metrics.AddRange([delta, gauge, exponential]);
        var resource = new ResourceMetrics();
        resource.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resource);

        var batch = OtlpMetricMapper.Map(request, 0);

        var sample = Assert.Single(batch.Items);
        Assert.Equal(0.5, sample.Value);
        Assert.Equal(3, sample.TimestampMs);
        Assert.Equal(3, batch.Rejected);
    }

    [Fact]
    public void Histogram_bucket_counts_that_do_not_match_the_bounds_refuse_the_request()
    {
        var histogram = new Metric { Name = "h", Histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative } };
        var point = new HistogramDataPoint { Count = 1, TimeUnixNano = 1 };
        point.BucketCounts.Add([1UL, 0UL, 0UL]);
        point.ExplicitBounds.Add(1.0);
        histogram.Histogram.DataPoints.Add(point);
        var scope = new ScopeMetrics();
        scope.Metrics.Add(histogram);
        var resource = new ResourceMetrics();
        resource.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resource);

        Assert.Throws<OtlpInvalidException>(() => OtlpMetricMapper.Map(request, 0));
    }
}
