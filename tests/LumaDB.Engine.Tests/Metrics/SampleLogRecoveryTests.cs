using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

/// <summary>
/// The hot tier is the source of truth: writes are durable as compact sample log records, checkpoints store chunks
/// as rows, and recovery combines the chunk rows with the log after the last checkpoint.
/// </summary>
public sealed class SampleLogRecoveryTests : IDisposable
{
    private static readonly LabelSet A = LabelSet.Create(("__name__", "temperature"), ("room", "a"));
    private static readonly LabelSet B = LabelSet.Create(("__name__", "temperature"), ("room", "b"));

    private readonly string _directory = Directory.CreateTempSubdirectory("luma-samplelog-").FullName;
    private readonly long _nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private MetricStore Open(string name, TimeSpan? retention = null, long warmCacheBytes = 0) => new(new MetricStoreOptions
    {
        Directory = Path.Combine(_directory, name),
        SamplesPerChunk = 20,
        HotRetention = TimeSpan.FromMinutes(30),
        WarmCacheBytes = warmCacheBytes,
        Retention = retention,
    });

    private static IReadOnlyList<StoredSeries> All(MetricStore store, long mint = long.MinValue, long maxt = long.MaxValue) =>
        store.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], mint, maxt);

    private static StoredSeries Of(IReadOnlyList<StoredSeries> all, LabelSet series) => Assert.Single(all, s => s.Labels.Equals(series));

    /// <summary>A copy of the directory taken while the store is open: what a crash leaves behind.</summary>
    private string Crash(string name)
    {
        var copy = name + "-crashed";
        CopyDirectory(Path.Combine(_directory, name), Path.Combine(_directory, copy));
        return copy;
    }

    private static async Task<List<(long Ts, double Value)>> WriteAsync(MetricStore store, LabelSet series, long from, int count, long step, Func<int, double> value)
    {
        var written = new List<(long, double)>();
        var batch = new MetricWriteBatch();
        batch.BeginSeries(series);
        for (var i = 0; i < count; i++)
        {
            batch.AddSample(from + (i * step), value(i));
            written.Add((from + (i * step), value(i)));
        }

        Assert.Equal(count, (await store.WriteAsync(batch)).Written);
        return written;
    }

    private static void AssertSamples(IEnumerable<(long Ts, double Value)> expected, StoredSeries got)
    {
        var want = expected.OrderBy(e => e.Ts).ToList();
        Assert.Equal(want.Select(w => w.Ts), got.Timestamps);
        Assert.Equal(want.Select(w => w.Value), got.Values);
    }

    [Fact]
    public async Task An_acknowledged_write_survives_a_crash_from_a_compact_log_without_any_sample_rows()
    {
        var expectedA = new List<(long, double)>();
        var expectedB = new List<(long, double)>();
        string crashed;
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            for (var round = 0; round < 10; round++)
            {
                var batch = new MetricWriteBatch();
                batch.BeginSeries(A);
                batch.BeginSeries(B);
                for (var i = 0; i < 100; i++)
                {
                    var ts = _nowMs + (((round * 100) + i) * 15_000L);
                    batch.Add(A, ts, (round * 100) + i);
                    batch.Add(B, ts, double.NaN);
                    expectedA.Add((ts, (round * 100) + i));
                    expectedB.Add((ts, double.NaN));
                }

                batch.AddMetadata("temperature", new MetricMetadata("gauge", "Room temperature.", "celsius"));
                await store.WriteAsync(batch);
            }

            crashed = Crash("live");

            // One record per write, a few bytes per sample (a sample row took 25 and more); nothing went through
            // the shard's row WAL.
            var logBytes = Directory.GetFiles(Path.Combine(_directory, "live", "samples-wal")).Sum(f => new FileInfo(f).Length);
            Assert.InRange(logBytes, 1, 2_000 * 8);
            var rowWalBytes = Directory.GetFiles(Path.Combine(_directory, "live", "wal")).Sum(f => new FileInfo(f).Length);
            Assert.Equal(0, rowWalBytes);
        }

        await using var recovered = Open(crashed);
        await recovered.OpenAsync();
        Assert.Equal(10, recovered.ReplayedRecords);
        var all = All(recovered);
        AssertSamples(expectedA, Of(all, A));
        var b = Of(all, B);
        Assert.Equal(expectedB.Select(e => e.Item1), b.Timestamps);
        Assert.All(b.Values, v => Assert.True(double.IsNaN(v)));
        Assert.True(recovered.TryGetMetadata("temperature", out var metadata));
        Assert.Equal("celsius", metadata.Unit);

        // The duplicate rules hold against the recovered state.
        var again = new MetricWriteBatch();
        again.Add(A, expectedA[^1].Item1, 0);
        Assert.Equal(1, (await recovered.WriteAsync(again)).Conflicts);
    }

    [Fact]
    public async Task A_torn_last_record_is_cut_and_every_earlier_write_is_recovered()
    {
        string crashed;
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            await WriteAsync(store, A, _nowMs, 10, 1_000, i => i);
            await WriteAsync(store, A, _nowMs + 10_000, 10, 1_000, i => 10 + i);
            await WriteAsync(store, B, _nowMs, 10, 1_000, i => -i);
            crashed = Crash("live");
        }

        // Half of the last record reached the disk.
        var segment = Directory.GetFiles(Path.Combine(_directory, crashed, "samples-wal")).OrderBy(f => f, StringComparer.Ordinal).Last();
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 20);
        }

        await using (var recovered = Open(crashed))
        {
            await recovered.OpenAsync();
            var all = All(recovered);
            AssertSamples(Enumerable.Range(0, 20).Select(i => (_nowMs + (i * 1_000L), (double)i)), Of(all, A));
            Assert.DoesNotContain(all, s => s.Labels.Equals(B));

            // The log continues after the cut: a later write survives the next crash.
            await WriteAsync(recovered, B, _nowMs, 5, 1_000, i => 7);
            Crash(crashed);
        }

        await using var again = Open(crashed + "-crashed");
        await again.OpenAsync();
        AssertSamples(Enumerable.Range(0, 5).Select(i => (_nowMs + (i * 1_000L), 7.0)), Of(All(again), B));
        Assert.Equal(20, Of(All(again), A).Timestamps.Length);
    }

    [Fact]
    public async Task Recovery_after_a_checkpoint_combines_chunk_rows_and_the_log_tail_without_duplicates()
    {
        var expected = new List<(long, double)>();
        string crashed;
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            expected.AddRange(await WriteAsync(store, A, _nowMs, 50, 1_000, i => i * 1.5));
            await store.CheckpointAsync();
            Assert.Equal(1, store.CheckpointCount);

            // The head chunk the checkpoint stored keeps growing; a repeat of a stored sample is a duplicate.
            expected.AddRange(await WriteAsync(store, A, _nowMs + 50_000, 15, 1_000, i => -i));
            var repeat = new MetricWriteBatch();
            repeat.Add(A, _nowMs + 64_000, -14);
            Assert.Equal(1, (await store.WriteAsync(repeat)).Duplicates);
            await store.CheckpointAsync();
            expected.AddRange(await WriteAsync(store, A, _nowMs + 65_000, 3, 1_000, i => 100 + i));
            crashed = Crash("live");
        }

        await using (var recovered = Open(crashed))
        {
            await recovered.OpenAsync();
            AssertSamples(expected, Of(All(recovered), A));

            // And once more after the recovered store checkpoints and closes cleanly.
            expected.AddRange(await WriteAsync(recovered, A, _nowMs + 68_000, 4, 1_000, i => 200 + i));
            await recovered.CheckpointAsync();
        }

        await using var reopened = Open(crashed);
        await reopened.OpenAsync();
        Assert.Equal(0, reopened.ReplayedRecords);
        AssertSamples(expected, Of(All(reopened), A));
    }

    [Fact]
    public async Task A_graceful_stop_keeps_one_row_per_chunk_though_checkpoints_stored_the_growing_head_twice()
    {
        var expectedA = new List<(long, double)>();
        var expectedB = new List<(long, double)>();
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            // A counter growing by tenths, summed in floating point as exporters do.
            var counter = new double[35];
            counter[0] = 1_000;
            for (var i = 1; i < counter.Length; i++)
            {
                counter[i] = counter[i - 1] + ((i % 7) / 10.0);
            }

            expectedA.AddRange(await WriteAsync(store, A, _nowMs, 30, 15_000, i => counter[i]));
            expectedB.AddRange(await WriteAsync(store, B, _nowMs, 30, 15_000, i => i % 3 == 0 ? double.NaN : -i * 1000.0));
            await store.CheckpointAsync();
            await store.FlushAsync();

            // Both series' head chunks (10 samples after two closed chunks of 20) grow on and are stored again.
            expectedA.AddRange(await WriteAsync(store, A, _nowMs + 450_000, 5, 15_000, i => counter[30 + i]));
            expectedB.AddRange(await WriteAsync(store, B, _nowMs + 450_000, 5, 15_000, i => 0.1 * i));
            await store.CheckpointAsync();
            await store.FlushAsync();
            Assert.Equal(6, store.StoredChunkRows);
        }

        await using var reopened = Open("live");
        await reopened.OpenAsync();
        Assert.Equal(0, reopened.ReplayedRecords);
        Assert.Equal(4, reopened.StoredChunkRows);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_directory, "live", "samples-wal")), f => new FileInfo(f).Length > 0);
        var all = All(reopened);
        AssertSamples(expectedA, Of(all, A));
        var b = Of(all, B);
        Assert.Equal(expectedB.Select(e => e.Item1), b.Timestamps);
        Assert.Equal(expectedB.Select(e => BitConverter.DoubleToInt64Bits(e.Item2)), b.Values.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Writes_acknowledged_while_the_store_stops_are_there_after_the_reopen()
    {
        // Writes in flight when the stop begins finish after its last checkpoint (during the flush and the merge of
        // the chunk segments): they are acknowledged, so the log that holds them must outlive the stop.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var name = "stop" + attempt;
            var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<(int Writer, long Ts), byte>();
            var store = Open(name);
            await store.OpenAsync();
            var stopped = 0;
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                var series = LabelSet.Create(("__name__", "temperature"), ("writer", w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                for (var i = 0; Volatile.Read(ref stopped) == 0; i++)
                {
                    var batch = new MetricWriteBatch();
                    batch.BeginSeries(series);
                    batch.AddSample(_nowMs + (i * 1_000L), i);
                    try
                    {
                        await store.WriteAsync(batch);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or IOException)
                    {
                        return;
                    }

                    acknowledged[(w, _nowMs + (i * 1_000L))] = 0;
                }
            })).ToArray();
            for (var round = 0; round < 3; round++)
            {
                await Task.Delay(20);
                await store.FlushAsync();
            }

            await Task.Delay(20);
            await store.DisposeAsync();
            Volatile.Write(ref stopped, 1);
            await Task.WhenAll(writers);

            await using var reopened = Open(name);
            await reopened.OpenAsync();
            var stored = All(reopened)
                .SelectMany(s => s.Timestamps.Select(t => (int.Parse(s.Labels.Get("writer"), System.Globalization.CultureInfo.InvariantCulture), t)))
                .ToHashSet();
            Assert.DoesNotContain(acknowledged.Keys, k => !stored.Contains(k));
        }
    }

    [Fact]
    public async Task Reads_span_chunk_rows_in_segments_and_the_hot_tier()
    {
        await using var store = Open("live");
        await store.OpenAsync();
        var start = _nowMs - (3 * 3_600_000);
        var expected = await WriteAsync(store, A, start, 1_000, 10_000, i => i);
        await store.FlushAsync();
        Assert.True(store.SegmentCount > 0);
        Assert.True(store.HotFrom > start, "the flush trimmed the hot tier, so older samples come from chunk rows");

        expected.AddRange(await WriteAsync(store, A, start + 10_000_000, 100, 10_000, i => 1_000 + i));
        AssertSamples(expected, Of(All(store), A));

        var from = store.HotFrom - 600_000;
        var to = store.HotFrom + 600_000;
        AssertSamples(expected.Where(e => e.Ts >= from && e.Ts <= to), Of(All(store, from, to), A));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_late_sample_in_an_already_flushed_range_is_kept_across_checkpoints_and_restarts(bool old)
    {
        // Old: the range has left the hot window and is read from chunk rows; recent: recovery loads it into memory.
        var start = old ? 0 : _nowMs - 600_000;
        var expected = new Dictionary<long, double>();
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            foreach (var (ts, value) in await WriteAsync(store, A, start, 61, 10_000, i => i))
            {
                expected[ts] = value;
            }

            await store.FlushAsync();

            // Inside the out-of-order window of the newest sample, in a range whose chunks are in a segment.
            var late = new MetricWriteBatch();
            late.Add(A, start + 455_000, 42);
            late.Add(A, start + 500_000, -1);
            var result = await store.WriteAsync(late);
            Assert.Equal(2, result.Written);
            Assert.Equal(2, result.OutOfOrder);
            expected[start + 455_000] = 42;
            expected[start + 500_000] = -1;
            AssertSamples(expected.Select(e => (e.Key, e.Value)), Of(All(store), A));

            await store.FlushAsync();
            AssertSamples(expected.Select(e => (e.Key, e.Value)), Of(All(store), A));
        }

        await using var reopened = Open("live");
        await reopened.OpenAsync();
        AssertSamples(expected.Select(e => (e.Key, e.Value)), Of(All(reopened), A));
        AssertSamples(
            expected.Where(e => e.Key >= start + 450_000 && e.Key <= start + 510_000).Select(e => (e.Key, e.Value)),
            Of(All(reopened, start + 450_000, start + 510_000), A));
    }

    [Fact]
    public async Task Retention_drops_chunk_rows_that_ended_before_the_cutoff()
    {
        List<(long, double)> old, recent;
        await using (var store = Open("live"))
        {
            await store.OpenAsync();
            old = await WriteAsync(store, A, _nowMs - (10L * 86_400_000), 200, 60_000, i => i);
            await store.FlushAsync();
            recent = await WriteAsync(store, A, _nowMs - 3_600_000, 200, 10_000, i => -i);
            await store.FlushAsync();
            AssertSamples(old.Concat(recent), Of(All(store), A));
        }

        // The old chunks are read from their segment after a reopen (they are outside the hot window) until
        // retention drops it.
        await using var retained = Open("live", retention: TimeSpan.FromDays(1));
        await retained.OpenAsync();
        var segments = retained.SegmentCount;
        await retained.ApplyRetentionAsync();
        Assert.True(retained.SegmentCount < segments);
        AssertSamples(recent, Of(All(retained), A));
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
