using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

public sealed class ShardVersionRetentionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Row groups of 3 rows, so the versions of one key often straddle two row groups.
    private ShardOptions Manual(IObjectStore? store = null) => new()
    {
        Directory = _temp.Combine("shard"),
        Tables = [Metrics, Tags],
        Compaction = new CompactionOptions { Background = false },
        MaintenanceInterval = null,
        SegmentWriter = new SegmentWriterOptions { RowGroupSize = 3 },
        ObjectStore = store,
        ColdCache = store is null ? null : new ColdSegmentCache(_temp.Combine("cache"), 1 << 20, store),
    };

    private static (long, string?)[] Round(int round, int count) =>
        Enumerable.Range(0, count).Select(i => ((long)i, (string?)$"r{round}-{i}")).ToArray();

    /// <summary>Rewrites ids 0..9 in three rounds, deleting id 4 and adding id 20 late, flushing after each round.</summary>
    private static async Task RewriteAsync(Shard shard)
    {
        for (var round = 1; round <= 3; round++)
        {
            await PutMetricsAsync(shard, Round(round, 10));
            await shard.FlushAsync();
        }

        await DeleteMetricsAsync(shard, 4);
        await PutMetricsAsync(shard, (20, "late"));
        await shard.FlushAsync();
    }

    private static async Task AssertSeesRoundAsync(Shard shard, ulong snapshot, int round, bool deleted = false)
    {
        var expected = Round(round, 10).Where(r => !deleted || r.Item1 != 4).Select(r => (r.Item1, r.Item2)).ToList();
        if (deleted)
        {
            expected.Add((20, "late"));
        }

        Assert.Equal(expected, await ScanMetricsAsync(shard, snapshot));
        foreach (var (id, name) in expected)
        {
            Assert.Equal(name, await GetNameAsync(shard, id, snapshot));
        }

        if (!deleted)
        {
            Assert.Null(await GetNameAsync(shard, 20, snapshot));
        }
    }

    [Fact]
    public async Task A_registered_snapshot_reads_exactly_its_versions_after_flushes_and_compaction()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        await PutMetricsAsync(shard, Round(0, 10));
        await shard.FlushAsync();
        using var oldest = shard.AcquireSnapshot();
        await PutMetricsAsync(shard, Round(1, 10));
        using var middle = shard.AcquireSnapshot();
        await shard.FlushAsync();
        await RewriteAsync(shard);

        await AssertSeesRoundAsync(shard, oldest.Seq, 0);
        await AssertSeesRoundAsync(shard, middle.Seq, 1);
        var compacted = await shard.CompactAsync(Metrics);
        Assert.NotNull(compacted);
        Assert.Single(shard.Segments);
        await AssertSeesRoundAsync(shard, oldest.Seq, 0);
        await AssertSeesRoundAsync(shard, middle.Seq, 1);
        await AssertSeesRoundAsync(shard, ulong.MaxValue, 3, deleted: true);

        // A write committed after the snapshot is still seen by the conflict check once it is only in a segment.
        Assert.True(await shard.HasVersionAfterAsync(Metrics, MetricKey(3), oldest.Seq));
        Assert.True(await shard.HasVersionAfterAsync(Metrics, MetricKey(4), middle.Seq));
        Assert.False(await shard.HasVersionAfterAsync(Metrics, MetricKey(3), shard.LastCommittedSeq));
    }

    [Fact]
    public async Task Versions_go_once_the_snapshot_that_needed_them_closes()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        await PutMetricsAsync(shard, Round(0, 10));
        var snapshot = shard.AcquireSnapshot();
        await RewriteAsync(shard);
        var kept = await shard.CompactAsync(Metrics);
        Assert.NotNull(kept);

        // Round 0 (flushed with round 1 in one memtable) and rounds 1-3 of ids 0..9, the tombstone of 4 and id 20.
        var retained = Assert.Single(shard.Segments).Descriptor.RowCount;
        Assert.Equal((4 * 10) + 2, retained);

        snapshot.Dispose();
        Assert.Equal(0, shard.ActiveSnapshotCount);
        await PutMetricsAsync(shard, (21, "after"));
        await shard.FlushAsync();
        Assert.NotNull(await shard.CompactAsync(Metrics));

        // One version per live key: ids 0..9 but 4, 20 and 21; the tombstone has nothing older to hide.
        Assert.Equal(11, Assert.Single(shard.Segments).Descriptor.RowCount);
        Assert.Equal(11, (await ScanMetricsAsync(shard)).Count);
        await Assert.ThrowsAsync<SnapshotTooOldException>(() => ScanMetricsAsync(shard, snapshot.Seq));
    }

    [Fact]
    public async Task A_flush_drops_versions_older_than_the_newest_one_the_oldest_snapshot_sees()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        await PutMetricsAsync(shard, (1, "old"));
        await PutMetricsAsync(shard, (1, "a"));
        using var snapshot = shard.AcquireSnapshot();
        await PutMetricsAsync(shard, (1, "b"));
        await PutMetricsAsync(shard, (1, "c"));
        await shard.FlushAsync();

        // "a" for the snapshot and everything above it; "old" is hidden from every snapshot by "a".
        Assert.Equal(3, Assert.Single(shard.Segments).Descriptor.RowCount);
        Assert.Equal("a", await GetNameAsync(shard, 1, snapshot.Seq));
        Assert.Equal("c", await GetNameAsync(shard, 1));
    }

    [Fact]
    public async Task A_long_running_reader_keeps_its_snapshot_across_tiering_to_cold()
    {
        var store = new LocalFolderObjectStore(_temp.Combine("bucket"));
        await using var shard = await Shard.OpenAsync(Manual(store));
        await PutMetricsAsync(shard, Round(0, 10));
        using var reader = shard.AcquireSnapshot();
        await RewriteAsync(shard);
        await shard.CompactAsync(Metrics);
        foreach (var segment in shard.Segments.ToArray())
        {
            await shard.Tiering!.MoveToColdAsync(segment.Id);
        }

        Assert.All(shard.Segments, s => Assert.Equal(SegmentLocation.Cold, s.Location));
        await AssertSeesRoundAsync(shard, reader.Seq, 0);
        await AssertSeesRoundAsync(shard, ulong.MaxValue, 3, deleted: true);
        Assert.True(await shard.HasVersionAfterAsync(Metrics, MetricKey(9), reader.Seq));
    }

    [Fact]
    public async Task Refreshing_a_snapshot_releases_the_versions_only_the_old_seq_needed()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        await PutMetricsAsync(shard, (1, "a"));
        using var snapshot = shard.AcquireSnapshot();
        await PutMetricsAsync(shard, (1, "b"));
        Assert.Equal(snapshot.Seq, shard.RetentionHorizon);
        snapshot.Refresh();
        Assert.Equal(shard.LastCommittedSeq, snapshot.Seq);
        Assert.Equal(shard.LastCommittedSeq, shard.RetentionHorizon);
        await shard.FlushAsync();
        Assert.Equal(1, Assert.Single(shard.Segments).Descriptor.RowCount);
        Assert.Equal("b", await GetNameAsync(shard, 1, snapshot.Seq));
    }
}
