using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

/// <summary>Samples that left the hot tier (flushed and trimmed, or not reloaded after a restart) are read from the segments.</summary>
public sealed class WarmSegmentReadTests : IDisposable
{
    private static readonly LabelSet A = LabelSet.Create(("__name__", "temperature"), ("room", "a"));
    private static readonly LabelSet B = LabelSet.Create(("__name__", "temperature"), ("room", "b"));

    private readonly string _directory = Directory.CreateTempSubdirectory("luma-warm-").FullName;
    private readonly long _nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private MetricStore NewStore(long warmCacheBytes = 0) => new(new MetricStoreOptions
    {
        Directory = _directory,
        HotRetention = TimeSpan.FromMinutes(30),
        SamplesPerChunk = 20,
        WarmCacheBytes = warmCacheBytes,
    });

    private static SeriesMatcher Name(string name) => new(SeriesMatchType.Equal, "__name__", name);

    /// <summary>Three hours of samples every 10 s for two series: most of it older than the hot retention.</summary>
    private async Task<List<(LabelSet Series, long Ts, double Value)>> WriteHistoryAsync(MetricStore store)
    {
        var written = new List<(LabelSet, long, double)>();
        var batch = new MetricWriteBatch();
        var start = _nowMs - (3 * 3_600_000);
        foreach (var (series, scale) in new[] { (A, 1.0), (B, -0.5) })
        {
            batch.BeginSeries(series);
            for (var ts = start; ts <= _nowMs; ts += 10_000)
            {
                var value = scale * ((ts - start) / 10_000);
                batch.AddSample(ts, value);
                written.Add((series, ts, value));
            }
        }

        await store.WriteAsync(batch);
        return written;
    }

    private static void AssertSamples(IEnumerable<(LabelSet Series, long Ts, double Value)> expected, IReadOnlyList<StoredSeries> got, LabelSet series)
    {
        var want = expected.Where(e => e.Series.Equals(series)).ToList();
        var one = Assert.Single(got, s => s.Labels.Equals(series));
        Assert.Equal(want.Select(w => w.Ts), one.Timestamps);
        Assert.Equal(want.Select(w => w.Value), one.Values);
    }

    [Fact]
    public async Task After_a_flush_trimmed_samples_are_read_from_segments_merged_with_the_hot_tier()
    {
        await using var store = NewStore();
        await store.OpenAsync();
        var written = await WriteHistoryAsync(store);
        await store.FlushAsync();
        Assert.True(store.SegmentCount > 0);

        // The trim dropped the old chunks from memory; what is left is about the last half hour.
        Assert.True(store.SampleCount < written.Count / 4, $"hot tier still holds {store.SampleCount} of {written.Count} samples");
        Assert.True(store.HotFrom > _nowMs - 3_600_000);

        var all = store.Select([Name("temperature")], long.MinValue, long.MaxValue);
        AssertSamples(written, all, A);
        AssertSamples(written, all, B);

        // A window across the boundary, and one wholly in the warm part.
        var from = _nowMs - 3_600_000;
        var to = _nowMs - 600_000;
        var across = store.Select([Name("temperature"), new SeriesMatcher(SeriesMatchType.Equal, "room", "b")], from, to);
        AssertSamples(written.Where(w => w.Ts >= from && w.Ts <= to), across, B);
        Assert.Single(across);
        var old = store.Select([Name("temperature")], _nowMs - (3 * 3_600_000), _nowMs - (2 * 3_600_000));
        AssertSamples(written.Where(w => w.Ts <= _nowMs - (2 * 3_600_000)), old, A);

        // Series and label reads over an old window see the warm samples too.
        Assert.Equal(2, store.Series([[Name("temperature")]], _nowMs - (3 * 3_600_000), _nowMs - (2 * 3_600_000)).Count);
        Assert.Empty(store.Series([[Name("temperature")]], _nowMs - (5 * 3_600_000), _nowMs - (4 * 3_600_000)));
    }

    [Fact]
    public async Task After_a_restart_the_full_range_is_readable_though_only_the_hot_window_is_reloaded()
    {
        List<(LabelSet Series, long Ts, double Value)> written;
        await using (var store = NewStore())
        {
            await store.OpenAsync();
            written = await WriteHistoryAsync(store);

            // Some samples only in the WAL at shutdown: the flush on close puts them in a segment too.
        }

        await using var reopened = NewStore();
        await reopened.OpenAsync();
        Assert.True(reopened.SampleCount < written.Count / 4, $"recovery loaded {reopened.SampleCount} of {written.Count} samples into memory");
        var all = reopened.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], long.MinValue, long.MaxValue);
        AssertSamples(written, all, A);
        AssertSamples(written, all, B);

        // New writes after the restart merge with the warm history.
        var batch = new MetricWriteBatch();
        batch.Add(A, _nowMs + 10_000, 99);
        await reopened.WriteAsync(batch);
        written.Add((A, _nowMs + 10_000, 99));
        AssertSamples(written, reopened.Select([Name("temperature")], long.MinValue, long.MaxValue), A);
    }

    [Fact]
    public async Task Chunks_trimmed_from_the_hot_tier_stay_readable_from_the_warm_cache()
    {
        await using var store = NewStore(warmCacheBytes: 64L * 1024 * 1024);
        await store.OpenAsync();
        var written = await WriteHistoryAsync(store);
        await store.FlushAsync();

        // The hot tier let go of the old chunks, but memory still holds every sample: no read goes to the shard.
        Assert.True(store.SampleCount < written.Count / 4, $"hot tier still holds {store.SampleCount} of {written.Count} samples");
        Assert.True(store.WarmMemoryBytes > 0);
        Assert.Equal(long.MinValue, store.HotFrom);

        var all = store.Select([Name("temperature")], long.MinValue, long.MaxValue);
        AssertSamples(written, all, A);
        AssertSamples(written, all, B);
        var from = _nowMs - 3_600_000;
        var to = _nowMs - 600_000;
        AssertSamples(written.Where(w => w.Ts >= from && w.Ts <= to), store.Select([Name("temperature")], from, to), A);
        Assert.Equal(2, store.Series([[Name("temperature")]], _nowMs - (3 * 3_600_000), _nowMs - (2 * 3_600_000)).Count);
    }

    [Fact]
    public async Task Past_its_budget_the_warm_cache_drops_the_oldest_chunks_and_the_shard_serves_them()
    {
        await using var store = NewStore(warmCacheBytes: 4096);
        await store.OpenAsync();
        var written = await WriteHistoryAsync(store);
        await store.FlushAsync();

        // Memory covers a suffix only; the older part comes from the segments, and the seams line up.
        Assert.True(store.WarmMemoryBytes <= 4096, $"warm cache holds {store.WarmMemoryBytes} bytes");
        Assert.True(store.HotFrom > _nowMs - (3 * 3_600_000) && store.HotFrom < _nowMs, $"memory boundary {store.HotFrom}");
        var all = store.Select([Name("temperature")], long.MinValue, long.MaxValue);
        AssertSamples(written, all, A);
        AssertSamples(written, all, B);
        var from = store.HotFrom - 600_000;
        var to = store.HotFrom + 600_000;
        AssertSamples(written.Where(w => w.Ts >= from && w.Ts <= to), store.Select([Name("temperature")], from, to), B);
    }
}
