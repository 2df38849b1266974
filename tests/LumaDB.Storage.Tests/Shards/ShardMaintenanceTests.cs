using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Tiering;
using Microsoft.Extensions.Time.Testing;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

public sealed class ShardMaintenanceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(Start);

    public ShardMaintenanceTests() => Store = new LocalFolderObjectStore(_temp.Combine("bucket"));

    private LocalFolderObjectStore Store { get; }

    public void Dispose() => _temp.Dispose();

    private static long Micros(DateTimeOffset time) => TimeRange.MicrosOf(time);

    private ShardOptions Options(
        IReadOnlyDictionary<ulong, TimeSpan>? ttl = null, TimeSpan? moveAfter = null, TimeSpan? interval = null) =>
        new()
        {
            Directory = _temp.Combine("shard"),
            Tables = [Metrics, Tags],
            Compaction = new CompactionOptions { Background = false },
            RetentionTtl = ttl ?? new Dictionary<ulong, TimeSpan>(),
            MaintenanceInterval = interval,
            ObjectStore = Store,
            ColdCache = new ColdSegmentCache(_temp.Combine("cache"), 1 << 20, Store),
            Tiering = new TieringOptions { MoveAfter = moveAfter },
            TimeProvider = _clock,
        };


    /// <summary>One segment of rows stamped at <paramref name="at"/> with ids from <paramref name="firstId"/>.</summary>
    private static async Task FlushRowsAtAsync(Shard shard, DateTimeOffset at, long firstId, int count = 10)
    {
        var batch = new WriteBatch();
        for (var id = firstId; id < firstId + count; id++)
        {
            batch.Put(Metrics, Metric(id, "n" + id, id, Micros(at) + id));
        }

        await shard.CommitAsync(batch);
        await shard.FlushAsync();
    }

    [Fact]
    public async Task Retention_drops_whole_segments_older_than_the_TTL_at_the_shard_clock()
    {
        await using var shard = await Shard.OpenAsync(Options(ttl: new Dictionary<ulong, TimeSpan> { [Metrics.TableId] = TimeSpan.FromDays(7) }));
        await FlushRowsAtAsync(shard, Start, 0);
        await FlushRowsAtAsync(shard, Start.AddDays(3), 100);
        await shard.Tiering!.MoveToColdAsync(shard.Segments[0].Id);

        // Nothing is older than seven days yet.
        Assert.Empty(await shard.ApplyRetentionAsync());
        _clock.Advance(TimeSpan.FromDays(8));

        var dropped = Assert.Single(await shard.ApplyRetentionAsync());
        var kept = Assert.Single(shard.Segments);
        Assert.NotEqual(dropped, kept.Id);
        Assert.Equal(Enumerable.Range(100, 10).Select(i => (long)i), (await ScanMetricsAsync(shard)).Select(r => r.Id));
        Assert.Null(await GetNameAsync(shard, 3));

        // The cold copy went with it.
        await foreach (var item in Store.ListAsync(string.Empty))
        {
            Assert.Fail($"Object {item.Key} outlived its segment.");
        }

        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Single(await shard.ApplyRetentionAsync());
        Assert.Empty(shard.Segments);
        Assert.Empty(Directory.GetFiles(_temp.Combine("shard", "segments")));
    }

    [Fact]
    public async Task A_table_of_its_own_tier_size_waits_for_that_many_segments()
    {
        await using var shard = await Shard.OpenAsync(Options());
        shard.SetCompaction(Metrics.TableId, new TableCompaction(MinSegments: 6));
        for (var i = 0; i < 5; i++)
        {
            await FlushRowsAtAsync(shard, Start.AddMinutes(i), i * 10);
        }

        // The shard's policy would merge four; this table waits for six.
        Assert.Empty(await shard.CompactAsync());
        await FlushRowsAtAsync(shard, Start.AddMinutes(5), 50);
        var merge = Assert.Single(await shard.CompactAsync());
        Assert.Equal(6, merge.Inputs.Count);
        Assert.Single(shard.Segments);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), (await ScanMetricsAsync(shard)).Select(r => r.Id));

        shard.SetCompaction(Metrics.TableId, null);
        Assert.Null(shard.CompactionOf(Metrics.TableId));
    }

    [Fact]
    public async Task Compaction_in_time_windows_never_merges_segments_of_different_windows_so_retention_can_drop_them()
    {
        await using var shard = await Shard.OpenAsync(Options(ttl: new Dictionary<ulong, TimeSpan> { [Metrics.TableId] = TimeSpan.FromHours(2) }));
        shard.SetCompaction(Metrics.TableId, new TableCompaction(TimeWindow: TimeSpan.FromHours(1)));

        // Two segments in each of the first two hours: four similar segments, but two per window.
        await FlushRowsAtAsync(shard, Start, 0);
        await FlushRowsAtAsync(shard, Start.AddMinutes(30), 10);
        await FlushRowsAtAsync(shard, Start.AddMinutes(70), 20);
        await FlushRowsAtAsync(shard, Start.AddMinutes(100), 30);
        Assert.Empty(await shard.CompactAsync());

        // Two more in the first hour make a tier of four there; the second hour's two stay apart.
        await FlushRowsAtAsync(shard, Start.AddMinutes(10), 40);
        await FlushRowsAtAsync(shard, Start.AddMinutes(20), 50);
        var merge = Assert.Single(await shard.CompactAsync());
        Assert.Equal(4, merge.Inputs.Count);
        Assert.Equal(3, shard.Segments.Count);
        const long hour = 3_600_000_000L;
        Assert.All(shard.Segments, s => Assert.Equal(s.Descriptor.MinTimeMicros / hour, s.Descriptor.MaxTimeMicros / hour));

        // Once the first hour's rows are past the TTL, its merged segment goes whole and the second hour's stay.
        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(40));
        Assert.Single(await shard.ApplyRetentionAsync());
        Assert.Equal(Enumerable.Range(20, 20).Select(i => (long)i), (await ScanMetricsAsync(shard)).Select(r => r.Id));
    }

    [Fact]
    public async Task Retention_keeps_a_segment_with_any_row_inside_the_TTL_and_never_touches_memtables()
    {
        await using var shard = await Shard.OpenAsync(Options());
        var batch = new WriteBatch()
            .Put(Metrics, Metric(1, "old", 1, Micros(Start)))
            .Put(Metrics, Metric(2, "new", 2, Micros(Start.AddDays(10))));
        await shard.CommitAsync(batch);
        await shard.FlushAsync();
        await shard.CommitAsync(new WriteBatch().Put(Metrics, Metric(3, "hot", 3, Micros(Start))));

        Assert.Empty(await shard.ApplyRetentionAsync(Metrics, Start.AddDays(5)));
        Assert.Equal(3, (await ScanMetricsAsync(shard)).Count);

        Assert.Single(await shard.ApplyRetentionAsync(Metrics, Start.AddDays(11)));
        Assert.Equal([(3, "hot")], await ScanMetricsAsync(shard));
        await Assert.ThrowsAsync<ArgumentException>(() => shard.ApplyRetentionAsync(Tags, Start));
    }

    [Fact]
    public async Task Retention_drops_survive_a_reopen()
    {
        var options = Options(ttl: new Dictionary<ulong, TimeSpan> { [Metrics.TableId] = TimeSpan.FromDays(1) });
        await using (var shard = await Shard.OpenAsync(options))
        {
            await FlushRowsAtAsync(shard, Start, 0);
            await FlushRowsAtAsync(shard, Start.AddDays(2), 100);
            _clock.Advance(TimeSpan.FromDays(2));
            Assert.Single(await shard.ApplyRetentionAsync());
        }

        await using var reopened = await Shard.OpenAsync(options);
        Assert.Single(reopened.Segments);
        Assert.Equal(10, (await ScanMetricsAsync(reopened)).Count);
        Assert.Equal(TimeSpan.FromDays(1), reopened.RetentionOf(Metrics.TableId));
    }

    [Fact]
    public async Task The_maintenance_timer_applies_retention_and_the_tiering_schedule()
    {
        var options = Options(
            ttl: new Dictionary<ulong, TimeSpan> { [Metrics.TableId] = TimeSpan.FromDays(30) },
            moveAfter: TimeSpan.FromDays(1),
            interval: TimeSpan.FromMinutes(1));
        await using var shard = await Shard.OpenAsync(options);
        await FlushRowsAtAsync(shard, Start.AddDays(-40), 0);
        await FlushRowsAtAsync(shard, Start.AddDays(-2), 100);
        await FlushRowsAtAsync(shard, Start, 200);
        Assert.Equal(3, shard.Segments.Count);

        // Nothing runs until the timer fires.
        await Task.Delay(50);
        Assert.Equal(3, shard.Segments.Count);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(shard.Segments.Count == 2 && shard.Segments.Count(s => s.Location == SegmentLocation.Cold) == 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Null(shard.LastMaintenanceError);
        Assert.Equal(2, shard.Segments.Count);
        var cold = Assert.Single(shard.Segments, s => s.Location == SegmentLocation.Cold);
        Assert.Equal(Micros(Start.AddDays(-2)) + 109, cold.Descriptor.MaxTimeMicros);
        Assert.Equal(Enumerable.Range(100, 10).Concat(Enumerable.Range(200, 10)).Select(i => (long)i), (await ScanMetricsAsync(shard)).Select(r => r.Id));
    }

    [Fact]
    public async Task Scans_over_hot_warm_and_cold_tiers_return_the_same_rows_as_before_tiering()
    {
        await using var shard = await Shard.OpenAsync(Options(moveAfter: TimeSpan.FromDays(1)));

        // Cold to be: ids 0..29 ten days ago; warm: ids 20..49 (updates over the cold keys) and deletes; hot: more
        // updates and deletes over both.
        var old = new WriteBatch();
        for (var id = 0; id < 30; id++)
        {
            old.Put(Metrics, Metric(id, "cold" + id, id, Micros(Start.AddDays(-10)) + id));
        }

        await shard.CommitAsync(old);
        await shard.FlushAsync();
        var warm = new WriteBatch();
        for (var id = 20; id < 50; id++)
        {
            warm.Put(Metrics, Metric(id, "warm" + id, id, Micros(Start) + id));
        }

        await shard.CommitAsync(warm);
        await DeleteMetricsAsync(shard, 5, 25, 45);
        await shard.FlushAsync();
        await shard.CommitAsync(new WriteBatch()
            .Put(Metrics, Metric(6, "hot6", 6, Micros(Start)))
            .Put(Metrics, Metric(26, "hot26", 26, Micros(Start)))
            .Put(Metrics, Metric(60, "hot60", 60, Micros(Start))));
        await DeleteMetricsAsync(shard, 7, 27);

        var scans = new SegmentScan?[]
        {
            null,
            new() { Keys = new KeyRange(MetricKey(4), MetricKey(28)) },
            new() { Time = new TimeRange(Micros(Start.AddDays(-11)), Micros(Start.AddDays(-1))) },
            new() { Predicates = [ColumnPredicate.Compare("value", CompareOp.Less, 27.0)], Columns = ["id", "name"] },
        };

        async Task<string> ReadAllAsync()
        {
            var lines = new List<string>();
            foreach (var scan in scans)
            {
                lines.Add(string.Join(";", await ScanMetricsAsync(shard, scan: scan)));
            }

            for (var id = 0; id < 62; id++)
            {
                lines.Add(await GetNameAsync(shard, id) ?? "-");
            }

            return string.Join("\n", lines);
        }

        var before = await ReadAllAsync();
        Assert.Contains("(0, cold0)", before, StringComparison.Ordinal);
        Assert.Contains("hot26", before, StringComparison.Ordinal);

        var moved = Assert.Single(await shard.RunTieringAsync());
        Assert.Equal(SegmentLocation.Cold, moved.Location);
        Assert.Equal(2, shard.Segments.Count);
        Assert.Equal(before, await ReadAllAsync());

        // And after the warm segment and the memtable have been flushed and merged, still the same.
        await shard.FlushAsync();
        Assert.NotNull(await shard.CompactAsync(Metrics));
        Assert.Equal(before, await ReadAllAsync());
    }
}
