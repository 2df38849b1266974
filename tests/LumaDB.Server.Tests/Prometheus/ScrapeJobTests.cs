using System.Globalization;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

public sealed class ScrapeJobTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_scrape_job_stores_the_targets_samples_with_job_and_instance_and_the_synthetic_series(bool openMetrics)
    {
        var work = Directory.CreateTempSubdirectory("luma-scrape-").FullName;
        try
        {
            await using var target = new MetricsTarget(openMetrics, vanishAfter: 2);
            var config = Path.Combine(work, "luma.toml");
            await File.WriteAllTextAsync(config, $"""
                [[scrape]]
                job_name = "demo"
                targets = ["{target.Address}"]
                interval = "500ms"
                timeout = "500ms"
                """);
            var luma = LumaProcess.Start(["--config", config], dataDir: work);
            await using (luma)
            {
                await luma.WaitReadyAsync();
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (target.Scrapes < 5 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.True(target.Scrapes >= 5, luma.StandardOutput);
                luma.Signal(15);
                Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(30)), luma.StandardError);
            }

            var stored = (await StoredMetrics.ReadAllAsync(Path.Combine(work, "data"))).ToDictionary(s => s.Labels.ToString());
            var instance = target.Address;
            var a = stored[$"demo_requests_total{{instance=\"{instance}\", job=\"demo\", path=\"/a\"}}"];
            // Scrape n serves 10n; a scrape that timed out on a busy machine skips a multiple and leaves a stale
            // marker in its place.
            var served = a.Values.Where(v => !StoredMetrics.IsStale(v)).ToArray();
            Assert.True(served.Length >= 2, $"served {target.Scrapes}, stored {string.Join(",", a.Values.Select(v => StoredMetrics.IsStale(v) ? "stale" : v.ToString(CultureInfo.InvariantCulture)))}");
            for (var i = 1; i < served.Length; i++)
            {
                var step = served[i] - served[i - 1];
                Assert.True(step > 0 && step % 10 == 0, $"step {step}");
            }

            // A scrape that times out on a busy machine writes up=0 (and stale markers); the checks below look at
            // the scrapes that succeeded, which the synthetic series record at the same positions.
            var up = stored[$"up{{instance=\"{instance}\", job=\"demo\"}}"];
            Assert.All(up.Values, v => Assert.True(v is 0 or 1));
            var scraped = stored[$"scrape_samples_scraped{{instance=\"{instance}\", job=\"demo\"}}"];
            var added = stored[$"scrape_series_added{{instance=\"{instance}\", job=\"demo\"}}"];
            Assert.Equal(up.Values.Length, scraped.Values.Length);
            Assert.Equal(up.Values.Length, added.Values.Length);
            var firstUp = Array.IndexOf(up.Values, 1.0);
            var lastUp = Array.LastIndexOf(up.Values, 1.0);
            Assert.True(lastUp > firstUp, string.Join(",", up.Values));
            Assert.Equal(3.0, scraped.Values[lastUp]);
            Assert.Equal(scraped.Values[firstUp], added.Values[firstUp]);

            // A failed scrape leaves no series behind, so the next successful one counts its series as added again;
            // a successful scrape right after another adds none.
            var steady = Enumerable.Range(1, up.Values.Length - 1).LastOrDefault(i => up.Values[i] == 1 && up.Values[i - 1] == 1, -1);
            Assert.True(steady > 0, string.Join(",", up.Values));
            Assert.Equal(0.0, added.Values[steady]);
            Assert.True(stored.ContainsKey($"scrape_duration_seconds{{instance=\"{instance}\", job=\"demo\"}}"));
            Assert.True(stored.ContainsKey($"scrape_samples_post_metric_relabeling{{instance=\"{instance}\", job=\"demo\"}}"));
            var vanished = stored[$"demo_vanishing{{instance=\"{instance}\", job=\"demo\"}}"];
            Assert.True(StoredMetrics.IsStale(vanished.Values[^1]), string.Join(",", vanished.Values.Select(v => v.ToString(CultureInfo.InvariantCulture))));
            Assert.All(vanished.Values[..^1], v => Assert.True(v is 1 or 2 || StoredMetrics.IsStale(v)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
