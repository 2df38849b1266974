using System.Globalization;
using System.Net;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>The same samples written to luma and to a real Prometheus; both started once for the class.</summary>
public sealed class SideBySideFixture : IAsyncLifetime
{
    private string _work = "";

    public LumaProcess Luma { get; private set; } = null!;

    public PrometheusProcess Prometheus { get; private set; } = null!;

    public long EndMs { get; private set; }

    public async Task InitializeAsync()
    {
        Assert.True(PrometheusProcess.IsInstalled, "prometheus is not installed (scripts/test.sh installs it)");
        _work = Directory.CreateTempSubdirectory("luma-promql-").FullName;
        Luma = LumaProcess.Start(dataDir: _work);
        await Luma.WaitReadyAsync();
        Prometheus = await PrometheusProcess.StartAsync(_work, "global:\n  scrape_interval: 1m\n", Path.Combine(_work, "tsdb"), ["--web.enable-remote-write-receiver"]);
        EndMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
        var data = PromQLTestData.Build(EndMs);
        foreach (var target in new[] { new Uri($"http://127.0.0.1:{Luma.Ports.Prometheus}/api/v1/write"), Prometheus.Url("/api/v1/write") })
        {
            using var response = await Luma.Http.PostAsync(target, RemoteWriteV1.Content(data));
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{target}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Luma.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}

public sealed class PromQLSideBySideTests(SideBySideFixture fixture) : IClassFixture<SideBySideFixture>
{
    // Functions, aggregations and operators both engines support (the packaged Prometheus predates a few newer ones).
    public static TheoryData<string> Queries => new()
    {
        "http_requests_total",
        "rate(http_requests_total[5m])",
        "irate(http_requests_total[1m])",
        "increase(http_requests_total[10m])",
        "delta(node_temperature_celsius[10m])",
        "idelta(node_temperature_celsius[5m])",
        "deriv(node_temperature_celsius[10m])",
        "predict_linear(node_temperature_celsius[10m], 600)",
        "resets(http_requests_total[1h])",
        "changes(node_temperature_celsius[5m])",
        "avg_over_time(node_temperature_celsius[10m])",
        "min_over_time(node_temperature_celsius[10m])",
        "max_over_time(node_temperature_celsius[10m])",
        "sum_over_time(node_temperature_celsius[10m])",
        "count_over_time(node_temperature_celsius[10m])",
        "stddev_over_time(node_temperature_celsius[10m])",
        "stdvar_over_time(node_temperature_celsius[10m])",
        "quantile_over_time(0.9, node_temperature_celsius[10m])",
        "last_over_time(node_temperature_celsius[10m])",
        "present_over_time(node_temperature_celsius[10m])",
        "absent_over_time(nonexistent[5m])",
        "histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.5, rate(request_duration_seconds_bucket[5m]))",
        "label_replace(node_temperature_celsius, \"host\", \"$1\", \"instance\", \"(.*):.*\")",
        "label_join(node_temperature_celsius, \"both\", \"-\", \"instance\", \"zone\")",
        "abs(node_temperature_celsius - 50)",
        "ceil(node_temperature_celsius)",
        "floor(node_temperature_celsius)",
        "round(node_temperature_celsius, 0.5)",
        "clamp(node_temperature_celsius, 40, 60)",
        "clamp_min(node_temperature_celsius, 50)",
        "clamp_max(node_temperature_celsius, 50)",
        "exp(node_temperature_celsius / 100)",
        "ln(node_temperature_celsius)",
        "log2(node_temperature_celsius)",
        "log10(node_temperature_celsius)",
        "sqrt(node_temperature_celsius)",
        "sgn(node_temperature_celsius - 50)",
        "sin(node_temperature_celsius) + cos(node_temperature_celsius) + tan(node_temperature_celsius / 100)",
        "asin(node_temperature_celsius / 100) + acos(node_temperature_celsius / 100) + atan(node_temperature_celsius)",
        "sinh(node_temperature_celsius / 100) + cosh(node_temperature_celsius / 100) + tanh(node_temperature_celsius / 100)",
        "deg(node_temperature_celsius) + rad(node_temperature_celsius)",
        "time()",
        "timestamp(node_temperature_celsius)",
        "vector(1)",
        "scalar(sum(node_temperature_celsius))",
        "absent(nonexistent{job=\"x\"})",
        "sort(node_temperature_celsius)",
        "sort_desc(node_temperature_celsius)",
        "minute(timestamp(node_temperature_celsius)) + hour(timestamp(node_temperature_celsius))",
        "day_of_week() + day_of_month() + day_of_year() + days_in_month() + month() + year()",
        "sum by (job) (rate(http_requests_total[5m]))",
        "avg without (instance) (node_temperature_celsius)",
        "min(node_temperature_celsius) + max(node_temperature_celsius)",
        "count(node_temperature_celsius)",
        "group by (zone) (node_temperature_celsius)",
        "stddev(node_temperature_celsius)",
        "stdvar by (zone) (node_temperature_celsius)",
        "count_values(\"value\", ceil(node_temperature_celsius / 10))",
        "topk(2, node_temperature_celsius)",
        "bottomk(1, node_temperature_celsius)",
        "quantile(0.5, node_temperature_celsius)",
        "rate(http_requests_total{code=\"200\"}[5m]) / ignoring(code) group_left sum without (code) (rate(http_requests_total[5m]))",
        "node_temperature_celsius > 50",
        "node_temperature_celsius > bool 50",
        "http_requests_total and on (instance) node_temperature_celsius",
        "http_requests_total unless on (instance) node_temperature_celsius{zone=\"north\"}",
        // Steps of 37 s and a 7 ms offset keep samples off every window edge (see the time choice below).
        "max_over_time(rate(http_requests_total[1m] offset 7ms)[10m:37s])",
        "node_temperature_celsius offset 5m",
        "-node_temperature_celsius ^ 2 % 7",
    };

    private static string Seconds(long ms) => (ms / 1000.0).ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonElement> DataAsync(HttpClient http, Uri url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, url + ": " + body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").Clone();
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task An_instant_query_answers_what_prometheus_answers(string query)
    {
        // Off the 15 s sample grid: the packaged Prometheus (2.x) includes a sample on a range's left edge, 3.x and
        // luma do not, so an on-grid time would compare two versions' rules rather than two engines.
        var path = $"/api/v1/query?query={Uri.EscapeDataString(query)}&time={Seconds(fixture.EndMs - 60_007)}";
        var expected = await DataAsync(fixture.Prometheus.Http, fixture.Prometheus.Url(path));
        var actual = await DataAsync(fixture.Luma.Http, new Uri($"http://127.0.0.1:{fixture.Luma.Ports.Prometheus}{path}"));

        AssertSameResult(query, expected, actual, ordered: query.StartsWith("sort", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_range_query_answers_what_prometheus_answers(string query)
    {
        // Start and end off the sample grid, as a dashboard's "now" would be.
        var path = $"/api/v1/query_range?query={Uri.EscapeDataString(query)}&start={Seconds(fixture.EndMs - 2_400_007)}&end={Seconds(fixture.EndMs - 7)}&step=37";
        var expected = await DataAsync(fixture.Prometheus.Http, fixture.Prometheus.Url(path));
        var actual = await DataAsync(fixture.Luma.Http, new Uri($"http://127.0.0.1:{fixture.Luma.Ports.Prometheus}{path}"));

        AssertSameResult(query, expected, actual, ordered: false);
    }

    private static void AssertSameResult(string query, JsonElement expected, JsonElement actual, bool ordered)
    {
        Assert.Equal(expected.GetProperty("resultType").GetString(), actual.GetProperty("resultType").GetString());
        var type = expected.GetProperty("resultType").GetString();
        if (type is "scalar" or "string")
        {
            AssertPoint(query, expected.GetProperty("result"), actual.GetProperty("result"));
            return;
        }

        List<JsonElement> Items(JsonElement data)
        {
            var items = data.GetProperty("result").EnumerateArray().ToList();
            return ordered ? items : [.. items.OrderBy(i => i.GetProperty("metric").GetRawText(), StringComparer.Ordinal)];
        }

        var e = Items(expected);
        var a = Items(actual);
        Assert.True(e.Count == a.Count, $"{query}: {e.Count} series expected, {a.Count} answered");
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].GetProperty("metric").GetRawText(), a[i].GetProperty("metric").GetRawText());
            if (type == "vector")
            {
                AssertPoint(query, e[i].GetProperty("value"), a[i].GetProperty("value"));
                continue;
            }

            var ev = e[i].GetProperty("values").EnumerateArray().ToList();
            var av = a[i].GetProperty("values").EnumerateArray().ToList();
            Assert.True(ev.Count == av.Count, $"{query} {e[i].GetProperty("metric")}: {ev.Count} points expected, {av.Count} answered");
            for (var j = 0; j < ev.Count; j++)
            {
                AssertPoint(query, ev[j], av[j]);
            }
        }
    }

    private static void AssertPoint(string query, JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected[0].GetDouble(), actual[0].GetDouble());
        var e = expected[1].GetString()!;
        var a = actual[1].GetString()!;
        if (e == a)
        {
            return;
        }

        var x = double.Parse(e, CultureInfo.InvariantCulture);
        var y = double.Parse(a, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{query} at {expected[0]}: Prometheus {e}, luma {a}");
    }
}
