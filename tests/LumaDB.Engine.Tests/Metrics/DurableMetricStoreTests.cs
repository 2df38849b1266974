using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

public sealed class DurableMetricStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("luma-metricstore-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private MetricStore NewStore(long maxSeries = 0, TimeSpan? window = null) => new(new MetricStoreOptions
    {
        Directory = _directory,
        MaxActiveSeries = maxSeries,
        OutOfOrderWindow = window ?? TimeSpan.FromMinutes(5),
    });

    private static IReadOnlyList<StoredSeries> All(MetricStore store) =>
        store.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], long.MinValue, long.MaxValue);

    [Fact]
    public async Task Writes_are_refused_until_the_store_has_recovered()
    {
        await using var store = NewStore();
        var batch = new MetricWriteBatch();
        batch.Add(LabelSet.Create(("__name__", "up")), 1, 1);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.WriteAsync(batch));
    }

    [Fact]
    public async Task Series_samples_and_metadata_come_back_after_reopening_from_the_wal_and_from_segments()
    {
        var a = LabelSet.Create(("__name__", "http_requests_total"), ("path", "/a"));
        var b = LabelSet.Create(("__name__", "http_requests_total"), ("path", "/b"));
        await using (var store = NewStore())
        {
            await store.OpenAsync();
            var batch = new MetricWriteBatch();
            for (var i = 0; i < 100; i++)
            {
                batch.Add(a, 1_000 * i, i);
                batch.Add(b, 1_000 * i, i * 2.5);
            }

            batch.AddMetadata("http_requests_total", new MetricMetadata("counter", "Requests.", ""));
            var result = await store.WriteAsync(batch);
            Assert.Equal(new MetricWriteResult(2, 200, 0, 0, 0, 0), result);
            await store.FlushAsync();
            Assert.True(store.SegmentCount > 0);

            // A second write stays in the WAL only: reopening has to merge both.
            batch.Clear();
            batch.Add(a, 100_000, 1e9);
            batch.Add(LabelSet.Create(("__name__", "fresh")), 5, double.NaN);
            await store.WriteAsync(batch);
        }

        await using (var reopened = NewStore())
        {
            await reopened.OpenAsync();
            var series = All(reopened).ToDictionary(s => s.Labels);
            Assert.Equal(3, series.Count);
            Assert.Equal(101, series[a].Values.Length);
            Assert.Equal(1e9, series[a].Values[^1]);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2.5), series[b].Values);
            Assert.True(double.IsNaN(series[LabelSet.Create(("__name__", "fresh"))].Values[0]));
            Assert.True(reopened.TryGetMetadata("http_requests_total", out var metadata));
            Assert.Equal("counter", metadata.Type);

            // New series after a restart get fresh ids; the old ones keep theirs.
            var batch = new MetricWriteBatch();
            batch.Add(LabelSet.Create(("__name__", "later")), 1, 1);
            Assert.Equal(1, (await reopened.WriteAsync(batch)).SeriesCreated);
            Assert.Equal(4, reopened.Index.Count);
            Assert.Equal(b, reopened.Index.LabelsOf(reopened.Index.GetOrAdd(b)));
        }
    }

    [Fact]
    public async Task A_write_past_the_series_limit_is_refused_whole_with_a_message_naming_the_setting()
    {
        await using var store = NewStore(maxSeries: 3);
        await store.OpenAsync();
        var batch = new MetricWriteBatch();
        batch.Add(LabelSet.Create(("__name__", "a")), 1, 1);
        batch.Add(LabelSet.Create(("__name__", "b")), 1, 1);
        await store.WriteAsync(batch);

        batch.Clear();
        batch.Add(LabelSet.Create(("__name__", "a")), 2, 2);
        batch.Add(LabelSet.Create(("__name__", "c")), 1, 1);
        batch.Add(LabelSet.Create(("__name__", "d")), 1, 1);
        var error = await Assert.ThrowsAsync<SeriesLimitExceededException>(async () => await store.WriteAsync(batch));
        Assert.Contains("max_active_series", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Index.Count);
        Assert.Equal(2, store.SampleCount);
    }

    [Fact]
    public async Task Late_samples_inside_the_window_are_kept_and_older_ones_and_conflicts_refused()
    {
        await using var store = NewStore(window: TimeSpan.FromSeconds(60));
        await store.OpenAsync();
        var up = LabelSet.Create(("__name__", "up"));
        var batch = new MetricWriteBatch();
        batch.Add(up, 100_000, 1);
        await store.WriteAsync(batch);

        batch.Clear();
        batch.Add(up, 70_000, 2);   // late, inside the window
        batch.Add(up, 30_000, 3);   // too old
        batch.Add(up, 100_000, 1);  // exact duplicate: ignored
        batch.Add(up, 100_000, 9);  // conflict: refused
        var result = await store.WriteAsync(batch);
        Assert.Equal(new MetricWriteResult(0, 1, 1, 1, 1, 1), result);

        var series = Assert.Single(All(store));
        Assert.Equal([70_000L, 100_000], series.Timestamps);
        Assert.Equal([2.0, 1], series.Values);
    }
}
