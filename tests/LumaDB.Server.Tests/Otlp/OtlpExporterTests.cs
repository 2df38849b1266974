using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LumaDB.Server.Tests.Otlp;

/// <summary>
/// The OpenTelemetry .NET SDK's own OTLP exporter, over gRPC and over HTTP/protobuf, sends spans, logs and
/// metrics to a real luma; what arrives is read back through the trace API, SQL over the PostgreSQL protocol and PromQL.
/// </summary>
public sealed class OtlpExporterTests
{
    public static TheoryData<string> Protocols => new() { "grpc", "http" };

    private static void Configure(OtlpExporterOptions o, LumaProcess luma, string protocol, string signal)
    {
        o.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = protocol == "grpc"
            ? new Uri($"http://127.0.0.1:{luma.Ports.OtlpGrpc}")
            : new Uri($"http://127.0.0.1:{luma.Ports.OtlpHttp}/v1/{signal}");
        o.ExportProcessorType = ExportProcessorType.Simple;
        o.TimeoutMilliseconds = 10_000;
    }

    private static ResourceBuilder Resource(string service) =>
        ResourceBuilder.CreateEmpty().AddService(service, serviceNamespace: "shop", serviceInstanceId: "pod-1").AddAttributes([new("deployment.environment", "test")]);

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Spans_exported_by_the_sdk_arrive_as_a_tree_with_ids_times_and_attributes(string protocol)
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        var sourceName = "luma.tests." + protocol;
        using var source = new ActivitySource(sourceName, "2.1.0");
        Activity root;
        Activity child;
        Activity grandChild;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Resource("checkout-" + protocol))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o => Configure(o, luma, protocol, "traces"))
            .Build())
        {
            root = source.StartActivity("GET /cart", ActivityKind.Server)!;
            root.SetTag("http.request.method", "GET");
            root.SetTag("http.route", "/cart");
            root.SetTag("http.response.status_code", 200);
            child = source.StartActivity("SELECT carts", ActivityKind.Client)!;
            child.SetTag("db.system", "postgresql");
            child.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection([new("attempt", 2L)])));
            grandChild = source.StartActivity("parse rows")!;
            grandChild.SetStatus(ActivityStatusCode.Error, "bad row");
            grandChild.Stop();
            child.Stop();
            root.Stop();
            Assert.True(provider.ForceFlush(10_000));
        }

        var traceId = root.TraceId.ToHexString();
        using var response = await luma.Http.GetAsync(new Uri(luma.HttpBase, "/api/v1/traces/" + traceId));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var trace = JsonDocument.Parse(text);
        var body = trace.RootElement;
        Assert.Equal(traceId, body.GetProperty("traceId").GetString());
        Assert.Equal(3, body.GetProperty("spanCount").GetInt32());

        var rootNode = Assert.Single(body.GetProperty("roots").EnumerateArray());
        Assert.Equal(root.SpanId.ToHexString(), rootNode.GetProperty("spanId").GetString());
        Assert.Equal("GET /cart", rootNode.GetProperty("name").GetString());
        Assert.Equal("server", rootNode.GetProperty("kind").GetString());
        Assert.Equal("checkout-" + protocol, rootNode.GetProperty("serviceName").GetString());
        Assert.Equal(Nanos(root.StartTimeUtc).ToString(), rootNode.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal(Nanos(root.StartTimeUtc + root.Duration).ToString(), rootNode.GetProperty("endTimeUnixNano").GetString());
        Assert.Equal(root.Duration.Ticks * 100, rootNode.GetProperty("durationNanos").GetInt64());
        Assert.Equal("GET", rootNode.GetProperty("attributes").GetProperty("http.request.method").GetString());
        Assert.Equal(200, rootNode.GetProperty("attributes").GetProperty("http.response.status_code").GetInt64());
        Assert.Equal("test", rootNode.GetProperty("resourceAttributes").GetProperty("deployment.environment").GetString());
        Assert.Equal(sourceName, rootNode.GetProperty("scopeName").GetString());
        Assert.Equal("2.1.0", rootNode.GetProperty("scopeVersion").GetString());

        var childNode = Assert.Single(rootNode.GetProperty("children").EnumerateArray());
        Assert.Equal(child.SpanId.ToHexString(), childNode.GetProperty("spanId").GetString());
        Assert.Equal(root.SpanId.ToHexString(), childNode.GetProperty("parentSpanId").GetString());
        Assert.Equal("client", childNode.GetProperty("kind").GetString());
        var retry = Assert.Single(childNode.GetProperty("events").EnumerateArray());
        Assert.Equal("retry", retry.GetProperty("name").GetString());
        Assert.Equal(2, retry.GetProperty("attributes").GetProperty("attempt").GetInt64());

        var grandChildNode = Assert.Single(childNode.GetProperty("children").EnumerateArray());
        Assert.Equal(grandChild.SpanId.ToHexString(), grandChildNode.GetProperty("spanId").GetString());
        Assert.Equal("error", grandChildNode.GetProperty("statusCode").GetString());
        Assert.Equal("bad row", grandChildNode.GetProperty("statusMessage").GetString());
        Assert.Equal("internal", grandChildNode.GetProperty("kind").GetString());

        // The search finds the trace by service, span name and duration, and not with a larger minimum.
        using var found = JsonDocument.Parse(await luma.Http.GetStringAsync(new Uri(luma.HttpBase,
            $"/api/v1/traces?service=checkout-{protocol}&name=SELECT%20carts&minDuration=0ms&limit=5")));
        var summary = Assert.Single(found.RootElement.GetProperty("traces").EnumerateArray());
        Assert.Equal(traceId, summary.GetProperty("traceId").GetString());
        Assert.Equal("GET /cart", summary.GetProperty("rootSpanName").GetString());
        Assert.Equal(3, summary.GetProperty("spanCount").GetInt32());
        using var none = JsonDocument.Parse(await luma.Http.GetStringAsync(new Uri(luma.HttpBase,
            $"/api/v1/traces?service=checkout-{protocol}&minDuration=1h")));
        Assert.Empty(none.RootElement.GetProperty("traces").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Logs_exported_by_the_sdk_are_stored_in_otel_logs_with_trace_context(string protocol)
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        using (var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(Resource("billing"));
            o.IncludeScopes = false;
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter((exporter, processor) =>
            {
                Configure(exporter, luma, protocol, "logs");
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        })))
        {
            using var activity = new Activity("work").SetIdFormat(ActivityIdFormat.W3C).Start();
            traceId = activity.TraceId;
            spanId = activity.SpanId;
            var logger = factory.CreateLogger("Billing.Invoices");
            logger.LogWarning("Invoice {InvoiceId} is late by {Days} days", "INV-7", 3);
            activity.Stop();
        }

        // Read back the way a user would: SQL over the PostgreSQL protocol.
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=10;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT service_name, severity_number, body, attributes::text, scope_name, trace_id, span_id FROM otel_logs WHERE service_name = 'billing'",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("billing", reader.GetString(0));
        Assert.Equal(13, Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)); // WARN
        Assert.Equal("Invoice INV-7 is late by 3 days", reader.GetString(2));
        using (var attributes = JsonDocument.Parse(reader.GetString(3)))
        {
            Assert.Equal("INV-7", attributes.RootElement.GetProperty("InvoiceId").GetString());
            Assert.Equal(3, attributes.RootElement.GetProperty("Days").GetInt64());
        }

        Assert.Equal("Billing.Invoices", reader.GetString(4));
        Assert.Equal(traceId.ToHexString(), reader.GetString(5));
        Assert.Equal(spanId.ToHexString(), reader.GetString(6));
        Assert.False(await reader.ReadAsync());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Metrics_exported_by_the_sdk_land_in_the_metric_store_with_prometheus_names(string protocol)
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        var meterName = "luma.tests.shop." + protocol;
        using var meter = new Meter(meterName, "1.0");
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Resource("frontend"))
            .AddMeter(meterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, luma, protocol, "metrics");
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build())
        {
            var requests = meter.CreateCounter<long>("http.server.requests", unit: "{request}");
            var latency = meter.CreateHistogram<double>("http.server.request.duration", unit: "s");
            requests.Add(5, new KeyValuePair<string, object?>("http.route", "/cart"));
            latency.Record(0.2, new KeyValuePair<string, object?>("http.route", "/cart"));
            latency.Record(30, new KeyValuePair<string, object?>("http.route", "/cart"));
            Assert.True(provider.ForceFlush(10_000));
        }

        // Read back the way Grafana would: PromQL over the Prometheus HTTP API.
        var series = await QueryAsync(luma, "{__name__=~\"http_server_.*|target_info\"}");
        static string Label(Dictionary<string, string> labels, string name) => labels.TryGetValue(name, out var value) ? value : "";

        var counter = Assert.Single(series, s => Label(s.Labels, "__name__") == "http_server_requests_total");
        Assert.Equal(5, counter.Value);
        Assert.Equal("/cart", Label(counter.Labels, "http_route"));
        Assert.Equal("shop/frontend", Label(counter.Labels, "job"));
        Assert.Equal("pod-1", Label(counter.Labels, "instance"));
        Assert.Equal(meterName, Label(counter.Labels, "otel_scope_name"));

        Assert.Equal(2, Assert.Single(series, s => Label(s.Labels, "__name__") == "http_server_request_duration_seconds_count").Value);
        Assert.Equal(30.2, Assert.Single(series, s => Label(s.Labels, "__name__") == "http_server_request_duration_seconds_sum").Value, 9);
        var buckets = series.Where(s => Label(s.Labels, "__name__") == "http_server_request_duration_seconds_bucket").ToList();
        Assert.Equal(2, buckets.Single(s => Label(s.Labels, "le") == "+Inf").Value);
        // The SDK's default boundaries (0, 5, 10, 25, 50, ...) become the le labels.
        Assert.Equal(0, buckets.Single(s => Label(s.Labels, "le") == "0").Value);
        Assert.Equal(1, buckets.Single(s => Label(s.Labels, "le") == "5").Value);
        Assert.Equal(1, buckets.Single(s => Label(s.Labels, "le") == "25").Value);
        Assert.Equal(2, buckets.Single(s => Label(s.Labels, "le") == "50").Value);

        var info = Assert.Single(series, s => Label(s.Labels, "__name__") == "target_info");
        Assert.Equal("test", Label(info.Labels, "deployment_environment"));
        Assert.Equal("shop/frontend", Label(info.Labels, "job"));
    }

    private static async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(LumaProcess luma, string query)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{luma.Ports.Prometheus}") };
        using var body = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)));
        Assert.Equal("success", body.RootElement.GetProperty("status").GetString());
        var result = new List<(Dictionary<string, string>, double)>();
        foreach (var sample in body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var value = double.Parse(sample.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            result.Add((labels, value));
        }

        return result;
    }

    private static long Nanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;
}
