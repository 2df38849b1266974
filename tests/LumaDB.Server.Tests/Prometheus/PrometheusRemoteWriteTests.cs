using System.Globalization;
using System.Net;
using System.Text.Json;
using LumaDB.Engine.Metrics;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

public sealed class PrometheusRemoteWriteTests
{
    [Fact]
    public async Task Every_sample_a_real_Prometheus_scraped_and_remote_wrote_is_stored_with_its_value()
    {
        Assert.True(PrometheusProcess.IsInstalled, "prometheus is not installed (scripts/test.sh installs it)");
        var work = Directory.CreateTempSubdirectory("luma-prom-").FullName;
        try
        {
            await using var target = new MetricsTarget(vanishAfter: 3);
            var luma = LumaProcess.Start(dataDir: work);
            await using (luma)
            {
                await luma.WaitReadyAsync();
                var tsdb = Path.Combine(work, "tsdb");
                var scraping = await PrometheusProcess.StartAsync(work, $$"""
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: demo
                        static_configs:
                          - targets: ['{{target.Address}}']
                    remote_write:
                      - url: http://127.0.0.1:{{luma.Ports.Prometheus}}/api/v1/write
                        queue_config:
                          batch_send_deadline: 500ms
                          min_backoff: 50ms
                          max_backoff: 1s
                    """, tsdb);
                await using (scraping)
                {
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (target.Scrapes < 7 && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(200);
                    }

                    Assert.True(target.Scrapes >= 7, "Prometheus did not scrape the target: " + scraping.Output);

                    // SIGTERM makes Prometheus flush its remote write queue before it exits.
                    await scraping.StopAsync();
                }

                // Reopen the same TSDB without scraping or remote write, and ask it for everything it holds.
                var reading = await PrometheusProcess.StartAsync(work, "global:\n  scrape_interval: 1m\n", tsdb);
                JsonElement expected;
                await using (reading)
                {
                    expected = await reading.QueryAsync("{__name__=~\".+\"}[1h]");
                }

                luma.Signal(15);
                Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(30)), luma.StandardError);
                Assert.Equal(0, luma.ExitCode);

                var stored = (await StoredMetrics.ReadAllAsync(Path.Combine(work, "data")))
                    .ToDictionary(s => s.Labels.ToString(), s => s);
                var total = 0;
                foreach (var series in expected.EnumerateArray())
                {
                    var labels = LabelSet.Create(series.GetProperty("metric").EnumerateObject().Select(p => new Label(p.Name, p.Value.GetString()!)));
                    Assert.True(stored.TryGetValue(labels.ToString(), out var ours), $"{labels} is missing; luma has {string.Join(", ", stored.Keys)}");
                    var kept = Enumerable.Range(0, ours.Timestamps.Length).Where(i => !StoredMetrics.IsStale(ours.Values[i])).ToList();
                    var theirs = series.GetProperty("values").EnumerateArray().ToList();
                    Assert.Equal(theirs.Count, kept.Count);
                    for (var i = 0; i < theirs.Count; i++)
                    {
                        var ts = (long)Math.Round(theirs[i][0].GetDouble() * 1000);
                        var value = double.Parse(theirs[i][1].GetString()!, CultureInfo.InvariantCulture);
                        Assert.Equal(ts, ours.Timestamps[kept[i]]);
                        Assert.Equal(value, ours.Values[kept[i]]);
                    }

                    total += theirs.Count;
                }

                Assert.True(total >= 7 * 4, $"only {total} samples compared");
                Assert.Contains("demo_requests_total{instance=\"" + target.Address + "\", job=\"demo\", path=\"/a\"}", stored.Keys);

                // The series that vanished from the target ends with Prometheus's staleness marker.
                var vanished = stored.Single(kv => kv.Key.StartsWith("demo_vanishing{", StringComparison.Ordinal)).Value;
                Assert.True(StoredMetrics.IsStale(vanished.Values[^1]), "no staleness marker after the series disappeared");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Acknowledged_samples_survive_a_kill_9_and_a_restart()
    {
        var work = Directory.CreateTempSubdirectory("luma-rw-kill-").FullName;
        try
        {
            const int seriesCount = 50;
            const int samplesPerSeries = 30;
            var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000;
            var ports = LumaPorts.Allocate();
            var luma = LumaProcess.Start(dataDir: work, ports: ports);
            await using (luma)
            {
                await luma.WaitReadyAsync();
                var write = new Uri($"http://127.0.0.1:{ports.Prometheus}/api/v1/write");
                for (var batch = 0; batch < 3; batch++)
                {
                    var series = Enumerable.Range(0, seriesCount).Select(s => (
                        (IReadOnlyList<(string, string)>)[("__name__", "node_cpu_seconds_total"), ("cpu", s.ToString(CultureInfo.InvariantCulture)), ("mode", "idle")],
                        (IReadOnlyList<(long, double)>)[.. Enumerable.Range(batch * 10, 10).Select(i => (t0 + (i * 15_000L), Value(s, i)))]));
                    using var response = await PostUntilReadyAsync(luma.Http, write, () => RemoteWriteV1.Content(series));
                    Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                }

                luma.Signal(9);
                Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            }

            var restarted = LumaProcess.Start(dataDir: work, ports: ports);
            await using (restarted)
            {
                await restarted.WaitReadyAsync();
                var write = new Uri($"http://127.0.0.1:{ports.Prometheus}/api/v1/write");

                // A different value at a recovered timestamp is refused: the server knows the old sample.
                var last = t0 + ((samplesPerSeries - 1) * 15_000L);
                using (var conflict = await PostUntilReadyAsync(restarted.Http, write, () => RemoteWriteV1.Content(
                    [([("__name__", "node_cpu_seconds_total"), ("cpu", "0"), ("mode", "idle")], [(last, -1.0)])])))
                {
                    Assert.Equal(HttpStatusCode.BadRequest, conflict.StatusCode);
                    Assert.Contains("different value", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                restarted.Signal(15);
                Assert.True(await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30)), restarted.StandardError);
            }

            var stored = await StoredMetrics.ReadAllAsync(Path.Combine(work, "data"));
            Assert.Equal(seriesCount, stored.Count);
            foreach (var series in stored)
            {
                var cpu = int.Parse(series.Labels.Get("cpu"), CultureInfo.InvariantCulture);
                Assert.Equal(samplesPerSeries, series.Timestamps.Length);
                for (var i = 0; i < samplesPerSeries; i++)
                {
                    Assert.Equal(t0 + (i * 15_000L), series.Timestamps[i]);
                    Assert.Equal(Value(cpu, i), series.Values[i]);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Malformed_remote_write_is_refused_with_400_and_the_server_keeps_serving()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        var write = new Uri($"http://127.0.0.1:{luma.Ports.Prometheus}/api/v1/write");
        using var garbage = new ByteArrayContent(Snappier.Snappy.CompressToArray([0xff, 0xff, 0xff]));
        garbage.Headers.ContentType = new("application/x-protobuf");
        garbage.Headers.ContentEncoding.Add("snappy");
        using (var response = await PostUntilReadyAsync(luma.Http, write, () => garbage))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using var good = await luma.Http.PostAsync(write, RemoteWriteV1.Content([([("__name__", "up")], [(1_700_000_000_000, 1.0)])]));
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
    }

    private static double Value(int series, int i) => (series * 1000) + (i * 0.5);

    /// <summary>Posts until the store has recovered (it answers 503 before).</summary>
    private static async Task<HttpResponseMessage> PostUntilReadyAsync(HttpClient http, Uri url, Func<HttpContent> content)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await http.PostAsync(url, content());
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt > 100)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }
}
