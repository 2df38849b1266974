using System.Globalization;
using System.Net;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>A real server holding <see cref="PromQLTestData"/>, written through remote write.</summary>
public sealed class PromApiServerFixture : IAsyncLifetime
{
    public LumaProcess Luma { get; private set; } = null!;

    public long EndMs { get; private set; }

    public Uri Base => new($"http://127.0.0.1:{Luma.Ports.Prometheus}");

    public async Task InitializeAsync()
    {
        Luma = await LumaProcess.StartReadyAsync(["--set", "promql.max_points_per_series=500"]);
        EndMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
        using var response = await Luma.Http.PostAsync(new Uri(Base, "/api/v1/write"), RemoteWriteV1.Content(PromQLTestData.Build(EndMs)));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task DisposeAsync() => await Luma.DisposeAsync();
}

public sealed class PromApiEndToEndTests(PromApiServerFixture fixture) : IClassFixture<PromApiServerFixture>
{
    private HttpClient Http => fixture.Luma.Http;

    private static string Seconds(long ms) => (ms / 1000.0).ToString(CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri(fixture.Base, pathAndQuery));
        return (response.StatusCode, await ReadAsync(response));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, params (string Name, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await Http.PostAsync(new Uri(fixture.Base, path), content);
        return (response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static JsonElement Success((HttpStatusCode Status, JsonElement Body) response)
    {
        var (status, body) = response;
        Assert.True(status == HttpStatusCode.OK, body.GetRawText());
        Assert.Equal("success", body.GetProperty("status").GetString());
        return body.GetProperty("data");
    }

    [Fact]
    public async Task Grafana_dashboard_load_is_answered_in_order()
    {
        // What Grafana's Prometheus data source sends when a dashboard opens (HTTP method POST, the default).
        var end = fixture.EndMs / 1000;
        var start = end - 1800;
        const long step = 30;

        var build = Success(await GetAsync("/api/v1/status/buildinfo"));
        Assert.False(string.IsNullOrEmpty(build.GetProperty("version").GetString()));

        var labels = Success(await PostAsync("/api/v1/labels", ("start", start.ToString(CultureInfo.InvariantCulture)), ("end", end.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(["__name__", "code", "instance", "job", "le", "zone"], labels.EnumerateArray().Select(e => e.GetString()).ToList());

        var names = Success(await GetAsync($"/api/v1/label/__name__/values?start={start}&end={end}"));
        Assert.Equal(["http_requests_total", "node_temperature_celsius", "request_duration_seconds_bucket"], names.EnumerateArray().Select(e => e.GetString()).ToList());

        var metadata = Success(await GetAsync("/api/v1/metadata"));
        Assert.Equal(JsonValueKind.Object, metadata.ValueKind);

        // Panels: start and end aligned to the step, as Grafana aligns them.
        var alignedStart = start / step * step;
        var alignedEnd = end / step * step;
        var panel = Success(await PostAsync("/api/v1/query_range",
            ("query", "sum by (job) (rate(http_requests_total[$__rate_interval]))".Replace("$__rate_interval", "2m", StringComparison.Ordinal)),
            ("start", alignedStart.ToString(CultureInfo.InvariantCulture)),
            ("end", alignedEnd.ToString(CultureInfo.InvariantCulture)),
            ("step", step.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal("matrix", panel.GetProperty("resultType").GetString());
        var jobs = panel.GetProperty("result").EnumerateArray().ToList();
        Assert.Equal(["api", "web"], jobs.Select(j => j.GetProperty("metric").GetProperty("job").GetString()).Order(StringComparer.Ordinal).ToList());
        foreach (var job in jobs)
        {
            var times = job.GetProperty("values").EnumerateArray().Select(p => p[0].GetInt64()).ToList();
            Assert.Equal(((alignedEnd - alignedStart) / step) + 1, times.Count);
            Assert.All(times, t => Assert.Equal(0, t % step));
            Assert.All(job.GetProperty("values").EnumerateArray(), p => Assert.True(double.Parse(p[1].GetString()!, CultureInfo.InvariantCulture) > 0));
        }

        var exemplars = Success(await PostAsync("/api/v1/query_exemplars",
            ("query", "sum by (job) (rate(http_requests_total[2m]))"), ("start", alignedStart.ToString(CultureInfo.InvariantCulture)), ("end", alignedEnd.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(JsonValueKind.Array, exemplars.ValueKind);

        // The query editor's label browser.
        var series = Success(await GetAsync($"/api/v1/series?match[]=%7B__name__%3D%22node_temperature_celsius%22%7D&start={start}&end={end}"));
        Assert.Equal(3, series.GetArrayLength());
        Assert.All(series.EnumerateArray(), s => Assert.Equal("node_temperature_celsius", s.GetProperty("__name__").GetString()));

        var zones = Success(await GetAsync($"/api/v1/label/zone/values?match[]=node_temperature_celsius&start={start}&end={end}"));
        Assert.Equal(["north", "south"], zones.EnumerateArray().Select(e => e.GetString()).ToList());

        // The same panel as a GET, as data sources set to GET send it.
        var get = Success(await GetAsync($"/api/v1/query_range?query=sum%20by%20(job)%20(rate(http_requests_total%5B2m%5D))&start={alignedStart}&end={alignedEnd}&step={step}"));
        Assert.Equal(panel.GetRawText(), get.GetRawText());
    }

    [Fact]
    public async Task An_instant_query_reads_what_remote_write_stored()
    {
        var data = Success(await PostAsync("/api/v1/query", ("query", "count by (zone) (node_temperature_celsius)"), ("time", Seconds(fixture.EndMs))));

        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        var counts = data.GetProperty("result").EnumerateArray().ToDictionary(r => r.GetProperty("metric").GetProperty("zone").GetString()!, r => r.GetProperty("value")[1].GetString());
        Assert.Equal("1", counts["north"]);
        Assert.Equal("2", counts["south"]);
    }

    [Fact]
    public async Task Format_and_parse_query_answer_on_the_running_server()
    {
        var formatted = Success(await GetAsync("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)"));
        var parsed = Success(await GetAsync("/api/v1/parse_query?query=up"));
        var runtime = Success(await GetAsync("/api/v1/status/runtimeinfo"));

        Assert.Equal("sum by (job) (rate(x[5m]))", formatted.GetString());
        Assert.Equal("vectorSelector", parsed.GetProperty("type").GetString());
        Assert.True(runtime.GetProperty("reloadConfigSuccess").GetBoolean());
    }

    [Fact]
    public async Task The_configured_points_limit_is_enforced()
    {
        var (status, body) = await GetAsync("/api/v1/query_range?query=1&start=0&end=501&step=1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("exceeded maximum resolution of 500 points per timeseries. Try decreasing the query resolution (?step=XX)", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Bad_input_gets_prometheus_errors_and_the_server_keeps_serving()
    {
        var (status, body) = await GetAsync("/api/v1/query?query=rate(node_temperature_celsius)");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_data", body.GetProperty("errorType").GetString());

        (status, body) = await PostAsync("/api/v1/query_range", ("query", "up"), ("start", "x"), ("end", "1"), ("step", "1"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid parameter \"start\": cannot parse \"x\" to a valid timestamp", body.GetProperty("error").GetString());

        Success(await GetAsync("/api/v1/query?query=vector(1)"));
    }

    [Fact]
    public async Task The_api_is_served_on_the_prometheus_listener_only()
    {
        using var response = await Http.GetAsync(new Uri(fixture.Luma.HttpBase, "/api/v1/query?query=1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
