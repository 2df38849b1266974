using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;
using LumaDB.Server.Admin.V1;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Hosting;

/// <summary>One real server for the read-only endpoint checks of this class.</summary>
public sealed class RunningServerFixture : IAsyncLifetime
{
    public LumaProcess Luma { get; private set; } = null!;

    public async Task InitializeAsync() => Luma = await LumaProcess.StartReadyAsync();

    public async Task DisposeAsync() => await Luma.DisposeAsync();
}

public sealed class ServerEndpointTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private LumaProcess Luma => fixture.Luma;

    [Fact]
    public async Task Health_answers_ok_on_the_http_listener()
    {
        using var response = await Luma.Http.GetAsync(new Uri(Luma.HttpBase, "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_answers_ready_once_storage_has_recovered()
    {
        using var response = await Luma.Http.GetAsync(new Uri(Luma.HttpBase, "/ready"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ready\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("opened and recovered", Luma.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_valid_prometheus_text_with_process_gc_and_listener_figures()
    {
        // A request first, so the per-listener request counter has something to count.
        (await Luma.Http.GetAsync(new Uri(Luma.HttpBase, "/health"))).Dispose();

        using var response = await Luma.Http.GetAsync(new Uri(Luma.HttpBase, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var exposition = PrometheusText.Parse(text);
        var names = exposition.Samples.Select(s => s.Name).ToHashSet();
        Assert.Contains("dotnet_gc_collections_total", names);
        Assert.Contains(names, n => n.StartsWith("process_cpu_time", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("process_memory_usage", StringComparison.Ordinal));
        var httpRequests = exposition.Samples.Single(s => s.Name == "luma_listener_requests_total" && s.Labels.GetValueOrDefault("listener") == "http");
        Assert.True(httpRequests.Value >= 1);
        Assert.Equal("counter", exposition.Types["luma_listener_requests_total"]);
        var httpConnections = exposition.Samples.Single(s => s.Name == "luma_listener_connections_total" && s.Labels.GetValueOrDefault("listener") == "http");
        Assert.True(httpConnections.Value >= 1);
        Assert.Contains(exposition.Samples, s => s.Name == "luma_listener_active_connections" && s.Labels.GetValueOrDefault("listener") == "http" && s.Value >= 1);
        Assert.Equal("counter", exposition.Types["luma_storage_write_stalls_total"]);
        Assert.Contains(exposition.Samples, s => s.Name == "luma_storage_memtable_size_bytes" && s.Value > 0);
    }

    [Fact]
    public async Task Endpoints_are_served_only_on_their_own_listener()
    {
        using var onPrometheus = await Luma.Http.GetAsync(new Uri($"http://127.0.0.1:{Luma.Ports.Prometheus}/health"));
        using var onOtlpHttp = await Luma.Http.GetAsync(new Uri($"http://127.0.0.1:{Luma.Ports.OtlpHttp}/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, onPrometheus.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onOtlpHttp.StatusCode);
    }

    [Theory]
    [InlineData("otlp_http", "/v1/traces", "GET")]
    [InlineData("otlp_http", "/v1/logs", "PUT")]
    [InlineData("otlp_http", "/v1/metrics", "DELETE")]
    [InlineData("prometheus", "/api/v1/write", "GET")]
    public async Task Another_method_on_a_post_only_ingest_path_is_405_with_allow_post(string listener, string path, string method)
    {
        var port = listener == "prometheus" ? Luma.Ports.Prometheus : Luma.Ports.OtlpHttp;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"http://127.0.0.1:{port}{path}"));

        using var response = await Luma.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Contains("takes POST", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same path on another listener is still unknown there.
        using var elsewhere = await Luma.Http.GetAsync(new Uri($"http://127.0.0.1:{Luma.Ports.Http}{path}"));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Grpc_health_check_reports_serving_on_the_internal_listener()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Luma.Ports.InternalGrpc}");
        var client = new Health.HealthClient(channel);

        var reply = await client.CheckAsync(new HealthCheckRequest { Service = "" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Admin_service_reports_version_and_status()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Luma.Ports.InternalGrpc}");
        var client = new Admin.V1.Admin.AdminClient(channel);

        var version = await client.GetVersionAsync(new GetVersionRequest());
        var status = await client.GetStatusAsync(new GetStatusRequest());

        Assert.Equal("0.1.0", version.Version);
        Assert.StartsWith(".NET 10", version.Runtime, StringComparison.Ordinal);
        Assert.True(status.Ready);
        Assert.True(status.UptimeMs >= 0);
        Assert.Equal(Path.Combine(Luma.DataDir, "data"), status.DataDir);
        Assert.Equal(6, status.Listeners.Count);
        Assert.Contains(status.Listeners, l => l.Name == "postgres" && l.Port == Luma.Ports.Postgres && l.Address == "127.0.0.1");
    }

    [Fact]
    public async Task Every_listener_accepts_connections()
    {
        foreach (var (name, port) in Luma.Ports.All)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            Assert.True(client.Connected, name);
        }
    }
}
