using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

/// <summary>
/// Writes that reuse their WAL staging buffers: every write's series and samples must be durable on their own,
/// whatever an earlier write left in the buffers it reused.
/// </summary>
public sealed class MetricStoreWriteBufferTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("luma-metricbuffers-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MetricStore Open(string directory) => new(new MetricStoreOptions { Directory = directory });

    private static IReadOnlyList<StoredSeries> All(MetricStore store) =>
        store.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], long.MinValue, long.MaxValue);

    private static LabelSet Series(int i) => LabelSet.Create(("__name__", "node_cpu_seconds_total"), ("cpu", (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("instance", $"host-{i / 4}"));

    [Fact]
    public async Task Concurrent_writes_of_new_and_known_series_all_survive_a_crash()
    {
        const int writers = 4, rounds = 6, seriesPerWrite = 300;
        var store = Open(Path.Combine(_directory, "live"));
        await store.OpenAsync();
        try
        {
            // Each round writes every writer's series again (known after the first round) plus new ones of its own,
            // and lists one series twice in a write, which must still be logged once.
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var round = 0; round < rounds; round++)
                {
                    var batch = new MetricWriteBatch();
                    var first = (w * 100_000) + (round * 10);
                    for (var s = 0; s < seriesPerWrite; s++)
                    {
                        batch.Add(Series((w * 100_000) + s), 1_000L * round, (round * 1000) + s);
                    }

                    for (var s = 0; s < 10; s++)
                    {
                        batch.Add(Series(first + 50_000 + s), 1_000L * round, -s);
                    }

                    batch.Add(Series(w * 100_000), 1_000L * round, round * 1000);
                    await store.WriteAsync(batch);
                }
            })));

            // A copy of the directory now is what a crash leaves: everything acknowledged is in the WAL only.
            CopyDirectory(Path.Combine(_directory, "live"), Path.Combine(_directory, "crashed"));
        }
        finally
        {
            await store.DisposeAsync();
        }

        await using var recovered = Open(Path.Combine(_directory, "crashed"));
        await recovered.OpenAsync();
        var series = All(recovered).ToDictionary(s => s.Labels);
        Assert.Equal(writers * (seriesPerWrite + (rounds * 10)), series.Count);
        for (var w = 0; w < writers; w++)
        {
            for (var s = 0; s < seriesPerWrite; s++)
            {
                var stored = series[Series((w * 100_000) + s)];
                Assert.Equal(Enumerable.Range(0, rounds).Select(r => 1_000L * r), stored.Timestamps);
                Assert.Equal(Enumerable.Range(0, rounds).Select(r => (double)((r * 1000) + s)), stored.Values);
            }

            for (var round = 0; round < rounds; round++)
            {
                var stored = series[Series((w * 100_000) + (round * 10) + 50_000 + 3)];
                Assert.Equal([1_000L * round], stored.Timestamps);
                Assert.Equal([-3.0], stored.Values);
            }
        }
    }

    [Fact]
    public async Task A_clean_close_leaves_an_empty_wal_and_every_sample_comes_back_from_segments()
    {
        var directory = Path.Combine(_directory, "store");
        await using (var store = Open(directory))
        {
            await store.OpenAsync();
            for (var round = 0; round < 3; round++)
            {
                var batch = new MetricWriteBatch();
                for (var s = 0; s < 50; s++)
                {
                    batch.Add(Series(s), 15_000L * round, s + round);
                }

                await store.WriteAsync(batch);
            }
        }

        var walBytes = Directory.GetFiles(Path.Combine(directory, "wal"), "*.wal").Sum(f => new FileInfo(f).Length);
        Assert.Equal(0, walBytes);

        await using var reopened = Open(directory);
        await reopened.OpenAsync();
        Assert.Equal(0, reopened.ReplayedRecords);
        var series = All(reopened).ToDictionary(s => s.Labels);
        Assert.Equal(50, series.Count);
        Assert.Equal([7.0, 8.0, 9.0], series[Series(7)].Values);

        // Writes after the reopen continue where the closed log ended.
        var more = new MetricWriteBatch();
        more.Add(Series(7), 45_000, 10);
        Assert.Equal(1, (await reopened.WriteAsync(more)).Written);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
