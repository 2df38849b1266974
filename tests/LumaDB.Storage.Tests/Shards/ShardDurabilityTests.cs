using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>What a shard keeps across reopens, flushes and crashes.</summary>
public sealed class ShardDurabilityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rows_survive_a_reopen_from_the_WAL_alone()
    {
        ulong last;
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            await PutMetricsAsync(shard, (1, "a"), (2, "b"));
            await PutMetricsAsync(shard, (3, "c"));
            last = await DeleteMetricsAsync(shard, 2);
        }

        await using (var reopened = await Shard.OpenAsync(Options(_temp.Path)))
        {
            Assert.Equal(3, reopened.ReplayedRecords);
            Assert.Empty(reopened.Segments);
            Assert.Equal(last, reopened.LastCommittedSeq);
            Assert.Equal([(1, "a"), (3, "c")], await ScanMetricsAsync(reopened));
            Assert.Null(await GetNameAsync(reopened, 2));

            // The commit sequence continues where it stopped.
            Assert.Equal(last + 1, await PutMetricsAsync(reopened, (4, "d")));
        }
    }

    [Fact]
    public async Task A_WAL_holding_several_budgets_replays_into_frozen_memtables_that_the_next_flush_writes()
    {
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            for (var i = 0; i < 400; i++)
            {
                await PutMetricsAsync(shard, (i, new string('x', 1000) + i));
            }
        }

        // Reopened with a budget a quarter of what the WAL holds: replay must not pile it all into one memtable.
        var small = Options(_temp.Path, budget: 100_000);
        await using (var reopened = await Shard.OpenAsync(small))
        {
            Assert.Equal(400, reopened.ReplayedRecords);
            Assert.InRange(reopened.FrozenMemtableCount, 3, 5);
            Assert.Equal(400, (await ScanMetricsAsync(reopened)).Count);
            Assert.Equal(new string('x', 1000) + 123, await GetNameAsync(reopened, 123));

            await reopened.FlushAsync();
            Assert.Equal(0, reopened.FrozenMemtableCount);
            Assert.Equal(400, (await ScanMetricsAsync(reopened)).Count);
        }

        await using (var again = await Shard.OpenAsync(small))
        {
            Assert.Equal(0, again.ReplayedRecords);
            Assert.Equal(400, (await ScanMetricsAsync(again)).Count);
            Assert.Equal(401UL, await PutMetricsAsync(again, (1000, "after")));
        }
    }

    [Fact]
    public async Task Rows_survive_a_flush_and_a_reopen_read_from_the_segment_with_the_WAL_truncated()
    {
        var options = Options(_temp.Path, walSegment: 256);
        await using (var shard = await Shard.OpenAsync(options))
        {
            for (var i = 0; i < 20; i++)
            {
                await PutMetricsAsync(shard, (i, "row" + i));
            }

            Assert.True(shard.WalSegmentCount > 1);
            await shard.FlushAsync();
            Assert.Equal(1, shard.WalSegmentCount);
            Assert.Single(shard.Segments);
            Assert.Equal(0, shard.ActiveMemtableBytes);
        }

        await using (var reopened = await Shard.OpenAsync(options))
        {
            Assert.Equal(0, reopened.ReplayedRecords);
            Assert.Equal(20, (await ScanMetricsAsync(reopened)).Count);
            Assert.Equal("row7", await GetNameAsync(reopened, 7));
            Assert.Equal(21UL, await PutMetricsAsync(reopened, (100, "after")));
        }
    }

    [Fact]
    public async Task A_crash_between_segment_write_and_manifest_commit_loses_nothing_and_leaves_no_orphan()
    {
        var live = _temp.Combine("live");
        var crashed = _temp.Combine("crashed");
        var options = new ShardOptions
        {
            Directory = live,
            Tables = [Metrics, Tags],
            BeforeManifestCommit = _ =>
            {
                // What a crash at this point leaves on disk: the segment file written, the manifest unchanged.
                CopyDirectory(live, crashed);
                throw new IOException("simulated crash");
            },
        };
        await using (var shard = await Shard.OpenAsync(options))
        {
            await PutMetricsAsync(shard, (1, "a"), (2, "b"));
            await DeleteMetricsAsync(shard, 1);
            await Assert.ThrowsAsync<IOException>(() => shard.FlushAsync());

            // The failed flush changed nothing a reader sees.
            Assert.Equal([(2, "b")], await ScanMetricsAsync(shard));
        }

        Assert.Single(Directory.GetFiles(Path.Combine(crashed, "segments"), "*.parquet"));
        await using (var reopened = await Shard.OpenAsync(Options(crashed)))
        {
            Assert.Single(reopened.RemovedOrphans);
            Assert.Empty(Directory.GetFiles(Path.Combine(crashed, "segments")));
            Assert.Empty(reopened.Segments);
            Assert.Equal(2, reopened.ReplayedRecords);
            Assert.Equal([(2, "b")], await ScanMetricsAsync(reopened));

            // And the shard flushes fine afterwards.
            await reopened.FlushAsync();
            Assert.Single(reopened.Segments);
            Assert.Equal([(2, "b")], await ScanMetricsAsync(reopened));
        }
    }

    [Fact]
    public async Task A_WAL_cut_at_every_byte_offset_of_its_last_record_recovers_all_or_none_of_that_batch()
    {
        long before, after;
        string walFile;
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            await PutMetricsAsync(shard, (1, "first"));
            walFile = Directory.GetFiles(_temp.Combine("wal"), "*.wal").Single();
            before = new FileInfo(walFile).Length;

            var batch = new WriteBatch()
                .Put(Metrics, Metric(2, "two"))
                .Put(Metrics, Metric(3, "three"))
                .Delete(Metrics, MetricKey(1))
                .Put(Tags, Tag("acme", 7, true, [1, 2, 3]));
            await shard.CommitAsync(batch);
            after = new FileInfo(walFile).Length;
        }

        var original = await File.ReadAllBytesAsync(walFile);
        Assert.Equal(after, original.Length);
        for (var cut = before; cut <= after; cut++)
        {
            await File.WriteAllBytesAsync(walFile, original.AsSpan(0, (int)cut).ToArray());
            await using var shard = await Shard.OpenAsync(Options(_temp.Path));
            var rows = await ScanMetricsAsync(shard);
            var tag = await shard.GetAsync(Tags, TagKey("acme", 7), ulong.MaxValue);
            if (cut == after)
            {
                Assert.Equal([(2, "two"), (3, "three")], rows);
                Assert.NotNull(tag);
            }
            else
            {
                Assert.Equal([(1, "first")], rows);
                Assert.Null(tag);
                Assert.Equal(1UL, shard.LastCommittedSeq);
            }
        }
    }

    [Fact]
    public async Task Concurrent_committers_all_land()
    {
        const int Writers = 8;
        const int CommitsEach = 40;
        var options = Options(_temp.Path, budget: 16 * 1024);
        var seqs = new List<ulong>();
        await using (var shard = await Shard.OpenAsync(options))
        {
            var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var mine = new List<ulong>();
                for (var i = 0; i < CommitsEach; i++)
                {
                    var id = (w * 1000) + i;
                    mine.Add(await PutMetricsAsync(shard, (id, "w" + w)));
                }

                return mine;
            })).ToArray();
            foreach (var task in tasks)
            {
                seqs.AddRange(await task);
            }

            Assert.Equal(Writers * CommitsEach, seqs.Distinct().Count());
            Assert.Equal((ulong)(Writers * CommitsEach), shard.LastCommittedSeq);
            Assert.Equal(Writers * CommitsEach, (await ScanMetricsAsync(shard)).Count);
        }

        await using (var reopened = await Shard.OpenAsync(options))
        {
            var rows = await ScanMetricsAsync(reopened);
            Assert.Equal(Writers * CommitsEach, rows.Count);
            Assert.Equal(rows.OrderBy(r => r.Id).ToList(), rows);
        }
    }

    [Fact]
    public async Task A_background_flush_starts_once_the_memtable_passes_its_budget()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path, budget: 4 * 1024));
        for (var i = 0; i < 100 && shard.Segments.Count == 0; i++)
        {
            await PutMetricsAsync(shard, (i, new string('x', 100)));
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (shard.Segments.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.NotEmpty(shard.Segments);
        Assert.Null(shard.LastBackgroundFlushError);
        var rows = await ScanMetricsAsync(shard);
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(i => (long)i), rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Segments_moved_to_the_cold_tier_stay_readable_across_a_reopen()
    {
        var store = new LocalFolderObjectStore(_temp.Combine("bucket"));
        ShardOptions Cold() => new()
        {
            Directory = _temp.Combine("shard"),
            Tables = [Metrics, Tags],
            ObjectStore = store,
            ColdCache = new ColdSegmentCache(_temp.Combine("cache"), 1 << 20, store),
        };

        await using (var shard = await Shard.OpenAsync(Cold()))
        {
            await PutMetricsAsync(shard, (1, "a"), (2, "b"));
            await DeleteMetricsAsync(shard, 1);
            await shard.FlushAsync();
            var segment = Assert.Single(shard.Segments);
            await shard.Tiering!.MoveToColdAsync(segment.Id);
            Assert.Equal(SegmentLocation.Cold, Assert.Single(shard.Segments).Location);

            // The shard's view still names the segment as local; reads follow the move.
            Assert.Equal([(2, "b")], await ScanMetricsAsync(shard));
        }

        await using (var reopened = await Shard.OpenAsync(Cold()))
        {
            Assert.Empty(Directory.GetFiles(_temp.Combine("shard", "segments")));
            Assert.Equal([(2, "b")], await ScanMetricsAsync(reopened));
            Assert.Null(await GetNameAsync(reopened, 1));
        }
    }
}
