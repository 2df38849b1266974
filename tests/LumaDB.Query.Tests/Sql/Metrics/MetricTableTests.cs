using System.Globalization;
using LumaDB.Engine.Metrics;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Metrics;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Metrics;

/// <summary>Metrics read as SQL tables through a real session over a metric store.</summary>
public sealed class MetricTableTests : IAsyncLifetime
{
    private const string Metric = "node_cpu_seconds_total";

    private readonly MetricStore _store = new();
    private readonly List<(string Job, string Instance, string Mode, long Ms, double Value)> _samples = [];
    private SqlTestDatabase _db = null!;
    private SqlSession _session = null!;
    private long _nowMs;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        _session = new SqlSession(_db.Database, new CompositeTableProvider(PgCatalog.Instance, new MetricTableProvider(_store)));

        // Two hours of samples every 15 s, so the one-hour window of the query cuts the data.
        _nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = (_nowMs - (2 * 3_600_000)) / 15_000 * 15_000;
        var batch = new MetricWriteBatch();
        var seed = 0;
        foreach (var job in new[] { "api", "db" })
        {
            foreach (var instance in new[] { "h1:9100", "h2:9100" })
            {
                foreach (var mode in new[] { "idle", "user" })
                {
                    var labels = LabelSet.Create(("__name__", Metric), ("job", job), ("instance", instance), ("mode", mode));
                    batch.BeginSeries(labels);
                    seed++;
                    for (var ts = start; ts <= _nowMs - 1_000; ts += 15_000)
                    {
                        var value = (seed * 1000) + ((ts - start) / 15_000 * (seed % 3 + 1)) + 0.25;
                        batch.AddSample(ts, value);
                        _samples.Add((job, instance, mode, ts, value));
                    }
                }
            }
        }

        // A series without the mode label: its mode column is NULL.
        batch.BeginSeries(LabelSet.Create(("__name__", Metric), ("job", "batch"), ("instance", "h3:9100")));
        batch.AddSample(_nowMs - 60_000, 42);
        _samples.Add(("batch", "h3:9100", "", _nowMs - 60_000, 42));
        batch.AddMetadata(Metric, new MetricMetadata("counter", "Seconds the CPUs spent in each mode.", "seconds"));
        batch.BeginSeries(LabelSet.Create(("__name__", "up"), ("job", "api")));
        batch.AddSample(_nowMs - 5_000, 1);
        await _store.WriteAsync(batch);
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _db.DisposeAsync();
        _store.Dispose();
    }

    private async Task<List<string?[]>> RowsAsync(string sql) => (await SqlTestDatabase.RunAsync(_session, sql)).Rows;

    [Fact]
    public async Task The_issue_example_groups_samples_by_minute_and_job_with_their_averages()
    {
        var rows = await RowsAsync(
            $"SELECT date_bin('1 minute', ts, 'epoch') AS t, job, avg(value) FROM {Metric} WHERE ts > now() - interval '1 hour' GROUP BY 1, 2 ORDER BY 1, 2");

        // The expectation comes from the written samples; the query's now() is a little later than the test's.
        var queryNow = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var rowsByKey = rows.ToDictionary(r => (r[0]!, r[1]!), r => double.Parse(r[2]!, CultureInfo.InvariantCulture));
        var expected = _samples
            .Where(s => s.Ms > _nowMs - 3_600_000)
            .GroupBy(s => (Bin: s.Ms / 60_000 * 60_000, s.Job))
            .ToDictionary(g => g.Key, g => g.Average(s => s.Value));
        var lowest = queryNow - 3_600_000;
        foreach (var ((bin, job), average) in expected)
        {
            if (bin <= lowest)
            {
                continue; // The first minute may be cut differently by the later now().
            }

            var key = (SqlText.Format(bin * 1000, SqlType.TimestampTz), job);
            Assert.True(rowsByKey.TryGetValue(key, out var got), $"missing group {key}");
            Assert.Equal(average, got, 9);
        }

        Assert.All(rows, r => Assert.Contains(r[1], new[] { "api", "db", "batch" }));
        Assert.InRange(rows.Count, expected.Count - 2, expected.Count);
    }

    [Fact]
    public async Task A_metric_table_has_its_label_names_then_ts_and_value()
    {
        var prepared = _session.Prepare($"SELECT * FROM {Metric} LIMIT 1");
        var result = await _session.ExecuteAsync(prepared, []);
        Assert.Equal(["instance", "job", "mode", "ts", "value"], result.Columns.Select(c => c.Name));
        Assert.Equal([SqlTypeKind.Text, SqlTypeKind.Text, SqlTypeKind.Text, SqlTypeKind.TimestampTz, SqlTypeKind.Float8], result.Columns.Select(c => c.Type.Kind));
    }

    [Fact]
    public async Task A_series_without_a_label_reads_null_for_it()
    {
        var rows = await RowsAsync($"SELECT job, mode, value FROM {Metric} WHERE job = 'batch'");
        Assert.Equal([["batch", null, "42"]], rows);
        Assert.Equal([["1"]], await RowsAsync($"SELECT count(*) FROM {Metric} WHERE mode IS NULL"));
    }

    [Fact]
    public async Task Label_predicates_and_the_time_range_are_pushed_to_the_series_index()
    {
        var plan = string.Join('\n', (await RowsAsync(
            $"EXPLAIN SELECT avg(value) FROM {Metric} WHERE job = 'api' AND instance ~ '^h1' AND mode IN ('idle', 'steal') AND ts > now() - interval '1 hour'")).Select(r => r[0]));
        Assert.Contains("Metric Scan on metrics." + Metric, plan, StringComparison.Ordinal);
        Assert.Contains("Series Filter: job = 'api'", plan, StringComparison.Ordinal);
        Assert.Contains("Series Filter: instance ~ '^h1'", plan, StringComparison.Ordinal);
        Assert.Contains("Series Filter: mode IN ('idle', 'steal')", plan, StringComparison.Ordinal);
        Assert.Contains("Time Filter: ts > ", plan, StringComparison.Ordinal);

        // EXPLAIN ANALYZE counts what the scan produced: only the one matching series, only inside the hour.
        var analyzed = string.Join('\n', (await RowsAsync(
            $"EXPLAIN ANALYZE SELECT value FROM {Metric} WHERE job = 'api' AND instance ~ '^h1' AND mode IN ('idle', 'steal') AND ts >= now() - interval '30 minutes'")).Select(r => r[0]));
        var scanLine = analyzed.Split('\n').Single(l => l.Contains("Metric Scan", StringComparison.Ordinal));
        var produced = int.Parse(scanLine[(scanLine.IndexOf("actual rows=", StringComparison.Ordinal) + 12)..].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(produced, 118, 121);
    }

    [Fact]
    public async Task Pushed_filters_give_the_same_rows_as_filtering_everything()
    {
        var filtered = await RowsAsync($"SELECT job, instance, mode, ts, value FROM {Metric} WHERE job <> 'db' AND instance !~ '2' AND mode = 'user' ORDER BY 1, 2, 3, 4");
        var expected = _samples.Where(s => s.Job != "db" && !s.Instance.Contains('2', StringComparison.Ordinal) && s.Mode == "user")
            .OrderBy(s => s.Job, StringComparer.Ordinal).ThenBy(s => s.Instance, StringComparer.Ordinal).ThenBy(s => s.Ms).ToList();
        Assert.Equal(expected.Count, filtered.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Job, filtered[i][0]);
            Assert.Equal(expected[i].Instance, filtered[i][1]);
            Assert.Equal(SqlText.Format(expected[i].Ms * 1000, SqlType.TimestampTz), filtered[i][3]);
            Assert.Equal(expected[i].Value, double.Parse(filtered[i][4]!, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task A_time_range_with_constants_reads_only_that_range()
    {
        var from = _samples.Where(s => s.Job == "api").Select(s => s.Ms).Distinct().Order().Skip(10).First();
        var fromText = SqlText.Format(from * 1000, SqlType.TimestampTz);
        var toText = SqlText.Format((from + 60_000) * 1000, SqlType.TimestampTz);
        var rows = await RowsAsync($"SELECT count(*) FROM {Metric} WHERE ts >= '{fromText}' AND ts < '{toText}' AND job = 'api'");
        Assert.Equal([["16"]], rows); // 4 api series x 4 samples in a minute.
    }

    [Fact]
    public async Task A_user_table_with_a_metric_name_wins_and_the_metrics_schema_still_reaches_the_metric()
    {
        await SqlTestDatabase.RunAsync(_session, "CREATE TABLE up (note text)");
        await SqlTestDatabase.RunAsync(_session, "INSERT INTO up VALUES ('mine')");
        Assert.Equal([["mine"]], await RowsAsync("SELECT * FROM up"));
        Assert.Equal([["api", "1"]], await RowsAsync("SELECT job, value FROM metrics.up"));
    }

    [Fact]
    public async Task Luma_metrics_lists_every_metric_with_its_metadata()
    {
        var rows = await RowsAsync("SELECT metric, type, help, unit, labels, series FROM luma_metrics ORDER BY metric");
        Assert.Equal(
            [
                [Metric, "counter", "Seconds the CPUs spent in each mode.", "seconds", "{instance,job,mode}", "9"],
                ["up", null, null, null, "{job}", "1"],
            ],
            rows);
    }

    [Fact]
    public async Task An_unknown_name_is_still_an_undefined_table()
    {
        var error = await Assert.ThrowsAsync<SqlException>(() => RowsAsync("SELECT * FROM no_such_metric"));
        Assert.Equal("42P01", error.SqlState);
    }

    [Fact]
    public async Task Date_bin_buckets_as_postgres_does()
    {
        Assert.Equal([["2020-02-11 15:30:00"]], await RowsAsync("SELECT date_bin('15 minutes', TIMESTAMP '2020-02-11 15:44:17', TIMESTAMP '2001-01-01')"));
        Assert.Equal([["2020-02-11 15:32:30"]], await RowsAsync("SELECT date_bin('15 minutes', TIMESTAMP '2020-02-11 15:44:17', TIMESTAMP '2001-01-01 00:02:30')"));
        var error = await Assert.ThrowsAsync<SqlException>(() => RowsAsync("SELECT date_bin('1 month', TIMESTAMP '2020-02-11 15:44:17', TIMESTAMP '2001-01-01')"));
        Assert.Equal("0A000", error.SqlState);
    }
}
