using System.Globalization;
using System.Net;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>Samples remote-written to a real server, read back with Npgsql as SQL tables and with PromQL over a restart.</summary>
public sealed class MetricsAsSqlTests
{
    private const string Metric = "node_cpu_seconds_total";

    private static NpgsqlConnection Connect(LumaProcess luma) =>
        new($"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=5;Pooling=false;Server Compatibility Mode=NoTypeLoading");

    /// <summary>Per job two instances, a sample every 15 s from <paramref name="startMs"/> to <paramref name="endMs"/>.</summary>
    private static List<(string Job, string Instance, long Ts, double Value)> Samples(long startMs, long endMs)
    {
        var samples = new List<(string, string, long, double)>();
        var n = 0;
        foreach (var job in new[] { "api", "db" })
        {
            foreach (var instance in new[] { "h1:9100", "h2:9100" })
            {
                n++;
                for (var ts = startMs; ts <= endMs; ts += 15_000)
                {
                    samples.Add((job, instance, ts, (n * 100) + ((ts - startMs) / 15_000 * n * 0.5)));
                }
            }
        }

        return samples;
    }

    private static async Task WriteAsync(LumaProcess luma, IEnumerable<(string Job, string Instance, long Ts, double Value)> samples)
    {
        var series = samples.GroupBy(s => (s.Job, s.Instance)).Select(g => (
            Labels: (IReadOnlyList<(string Name, string Value)>)[("__name__", Metric), ("job", g.Key.Job), ("instance", g.Key.Instance), ("mode", "idle")],
            Samples: (IReadOnlyList<(long Ts, double Value)>)g.Select(s => (s.Ts, s.Value)).ToList()));
        using var response = await luma.Http.PostAsync(new Uri($"http://127.0.0.1:{luma.Ports.Prometheus}/api/v1/write"), RemoteWriteV1.Content(series));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task The_issue_example_query_returns_the_right_groups_and_averages_through_npgsql()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
        var samples = Samples(now - (90 * 60_000), now);
        await WriteAsync(luma, samples);

        await using var connection = Connect(luma);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT date_bin('1 minute', ts, 'epoch') AS t, job, avg(value) FROM {Metric} WHERE ts > now() - interval '1 hour' GROUP BY 1, 2 ORDER BY 1, 2",
            connection);
        var got = new Dictionary<(long Bin, string Job), double>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.Equal("timestamp with time zone", reader.GetDataTypeName(0));
            while (await reader.ReadAsync())
            {
                var bin = new DateTimeOffset(reader.GetDateTime(0)).ToUnixTimeMilliseconds();
                got[(bin, reader.GetString(1))] = reader.GetDouble(2);
            }
        }

        var cutoff = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var expected = samples.Where(s => s.Ts > cutoff + 60_000)
            .GroupBy(s => (Bin: s.Ts / 60_000 * 60_000, s.Job))
            .ToDictionary(g => g.Key, g => g.Average(s => s.Value));
        Assert.True(expected.Count >= 100, "the data should span the hour");
        foreach (var ((bin, job), average) in expected)
        {
            if (bin <= cutoff + 60_000)
            {
                continue; // The query's now() is a little later; the first bins may be cut differently.
            }

            Assert.True(got.TryGetValue((bin, job), out var value), $"group {bin} {job} is missing");
            Assert.Equal(average, value, 9);
        }

        Assert.All(got.Keys, k => Assert.True(k.Bin > cutoff - 120_000, "a group from before the hour"));
    }

    [Fact]
    public async Task Label_filters_show_as_pushed_down_and_a_user_table_shadows_a_metric_of_its_name()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
        await WriteAsync(luma, Samples(now - 300_000, now));
        await using var connection = Connect(luma);
        await connection.OpenAsync();

        var plan = new List<string>();
        await using (var explain = new NpgsqlCommand($"EXPLAIN SELECT count(*) FROM {Metric} WHERE job = 'db' AND instance ~ 'h2'", connection))
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, l => l.Contains("Series Filter: job = 'db'", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.Contains("Series Filter: instance ~ 'h2'", StringComparison.Ordinal));
        await using (var count = new NpgsqlCommand($"SELECT count(*) FROM {Metric} WHERE job = 'db' AND instance ~ 'h2'", connection))
        {
            Assert.Equal(21L, (long)(await count.ExecuteScalarAsync())!);
        }

        await using (var listing = new NpgsqlCommand("SELECT series FROM luma_metrics WHERE metric = $1", connection))
        {
            listing.Parameters.AddWithValue(Metric);
            Assert.Equal(4L, (long)(await listing.ExecuteScalarAsync())!);
        }

        await using (var create = new NpgsqlCommand($"CREATE TABLE {Metric} (note text); INSERT INTO {Metric} VALUES ('mine')", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var mine = new NpgsqlCommand($"SELECT * FROM {Metric}", connection))
        {
            Assert.Equal("mine", (string)(await mine.ExecuteScalarAsync())!);
        }

        await using (var metric = new NpgsqlCommand($"SELECT count(*) FROM metrics.{Metric}", connection))
        {
            Assert.Equal(84L, (long)(await metric.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task Samples_older_than_the_hot_window_are_queryable_by_promql_and_sql_after_a_restart()
    {
        var work = Directory.CreateTempSubdirectory("luma-warm-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
            var old = Samples(now - (4 * 3_600_000), now - (3 * 3_600_000));
            var recent = Samples(now - 600_000, now);
            var luma = LumaProcess.Start(dataDir: work);
            await using (luma)
            {
                await luma.WaitReadyAsync();
                await WriteAsync(luma, old.Concat(recent));
                luma.Signal(15);
                Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(30)), luma.StandardError);
            }

            await using var restarted = LumaProcess.Start(dataDir: work);
            await restarted.WaitReadyAsync();
            var at = (now - (3 * 3_600_000) - 30_000) / 1000.0;
            using var response = await restarted.Http.GetAsync(new Uri(
                $"http://127.0.0.1:{restarted.Ports.Prometheus}/api/v1/query?query={Uri.EscapeDataString($"sum by (job) ({Metric})")}&time={at.ToString(CultureInfo.InvariantCulture)}"));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("success", body.GetProperty("status").GetString());
            var atMs = (long)(at * 1000);
            var byJob = body.GetProperty("data").GetProperty("result").EnumerateArray()
                .ToDictionary(r => r.GetProperty("metric").GetProperty("job").GetString()!, r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
            foreach (var job in new[] { "api", "db" })
            {
                var expected = old.Where(s => s.Job == job && s.Ts <= atMs).GroupBy(s => s.Instance).Sum(g => g.MaxBy(s => s.Ts).Value);
                Assert.Equal(expected, byJob[job], 9);
            }

            await using var connection = Connect(restarted);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand($"SELECT count(*), sum(value) FROM {Metric}", connection);
            await using var reader = await count.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(old.Count + recent.Count, reader.GetInt64(0));
            Assert.Equal(old.Sum(s => s.Value) + recent.Sum(s => s.Value), reader.GetDouble(1), 6);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
