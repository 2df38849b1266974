using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

public sealed class ShardCompactionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ShardOptions Manual(string? directory = null, Func<CancellationToken, ValueTask>? beforeCommit = null) => new()
    {
        Directory = directory ?? _temp.Combine("shard"),
        Tables = [Metrics, Tags],
        Compaction = new CompactionOptions { Background = false },
        MaintenanceInterval = null,
        BeforeCompactionCommit = beforeCommit,
    };

    /// <summary>Five flushes of overlapping keys with updates and deletes, so versions and tombstones span segments.</summary>
    private static async Task WriteHistoryAsync(Shard shard)
    {
        for (var round = 0; round < 5; round++)
        {
            var batch = new WriteBatch();
            for (var id = round * 10; id < (round * 10) + 40; id++)
            {
                batch.Put(Metrics, Metric(id, $"r{round}-{id}", id * 0.5, 1_000_000 + id));
            }

            await shard.CommitAsync(batch);
            await DeleteMetricsAsync(shard, (round * 10) + 3, (round * 10) + 7);
            await shard.FlushAsync();
        }
    }

    /// <summary>What reads see: a full scan, a key range, a time range, a predicate and point lookups.</summary>
    private static async Task<string> ReadEverythingAsync(Shard shard)
    {
        var parts = new List<string>
        {
            string.Join(";", await ScanMetricsAsync(shard)),
            string.Join(";", await ScanMetricsAsync(shard, scan: new SegmentScan { Keys = new KeyRange(MetricKey(15), MetricKey(33)) })),
            string.Join(";", await ScanMetricsAsync(shard, scan: new SegmentScan { Time = new TimeRange(1_000_020, 1_000_045) })),
            string.Join(";", await ScanMetricsAsync(shard, scan: new SegmentScan { Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 30.0)] })),
        };
        for (var id = -1; id < 82; id++)
        {
            parts.Add(await GetNameAsync(shard, id) ?? "-");
        }

        return string.Join("\n", parts);
    }

    [Fact]
    public async Task A_major_compaction_leaves_every_read_unchanged_and_survives_a_reopen()
    {
        string before;
        await using (var shard = await Shard.OpenAsync(Manual()))
        {
            await WriteHistoryAsync(shard);
            await PutMetricsAsync(shard, (5, "hot")); // a newer version still in the memtable
            Assert.Equal(5, shard.Segments.Count);
            before = await ReadEverythingAsync(shard);
            Assert.Contains("hot", before, StringComparison.Ordinal);

            var result = await shard.CompactAsync(Metrics);

            Assert.NotNull(result);
            Assert.Equal(5, result.Inputs.Count);
            var output = Assert.Single(shard.Segments);
            Assert.Equal(result.Output, output.Id);
            Assert.Equal(before, await ReadEverythingAsync(shard));

            // Only the newest version of each key is left, and no tombstone: none of the table's segments remain below it.
            Assert.Equal(80 - 10, output.Descriptor.RowCount);
            Assert.Equal(200, result.RowsRead);
            Assert.Single(Directory.GetFiles(_temp.Combine("shard", "segments")));
        }

        await using var reopened = await Shard.OpenAsync(Manual());
        Assert.Empty(reopened.RemovedOrphans);
        Assert.Equal(before, await ReadEverythingAsync(reopened));
    }

    [Fact]
    public async Task A_merge_across_many_small_row_groups_copies_every_text_value_before_the_next_group_is_read()
    {
        // Row groups of 7 rows: every input is read group after group into the same vectors, whose text the merge
        // takes as views; a version copied after its group was replaced would read another row's text.
        var options = new ShardOptions
        {
            Directory = _temp.Combine("small-groups"),
            Tables = [Metrics, Tags],
            Compaction = new CompactionOptions { Background = false },
            MaintenanceInterval = null,
            SegmentWriter = new SegmentWriterOptions { RowGroupSize = 7 },
        };
        await using var shard = await Shard.OpenAsync(options);
        await WriteHistoryAsync(shard);
        var before = await ReadEverythingAsync(shard);

        var result = await shard.CompactAsync(Metrics);

        Assert.NotNull(result);
        Assert.Equal(before, await ReadEverythingAsync(shard));
        Assert.Contains("r4-79", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tombstone_stays_while_an_older_segment_outside_the_merge_may_hold_its_key()
    {
        var store = new LocalFolderObjectStore(_temp.Combine("bucket"));
        var options = new ShardOptions
        {
            Directory = _temp.Combine("shard"),
            Tables = [Metrics, Tags],
            Compaction = new CompactionOptions { Background = false },
            MaintenanceInterval = null,
            ObjectStore = store,
            ColdCache = new ColdSegmentCache(_temp.Combine("cache"), 1 << 20, store),
        };
        await using var shard = await Shard.OpenAsync(options);
        await PutMetricsAsync(shard, (1, "old"), (5, "old"));
        await shard.FlushAsync();
        await shard.Tiering!.MoveToColdAsync(Assert.Single(shard.Segments).Id);

        await DeleteMetricsAsync(shard, 1);
        await shard.FlushAsync();
        await PutMetricsAsync(shard, (7, "b"));
        await DeleteMetricsAsync(shard, 7);
        await shard.FlushAsync();

        // Only the two warm segments merge; the cold one still holds id 1, so its tombstone must stay. Id 7's
        // tombstone is outside the cold segment's key range and goes.
        var result = await shard.CompactAsync(Metrics);
        Assert.NotNull(result);
        Assert.Equal(2, result.Inputs.Count);
        var warm = Assert.Single(shard.Segments, s => s.Location == SegmentLocation.Local);
        Assert.Equal(1, warm.Descriptor.RowCount);
        Assert.Null(await GetNameAsync(shard, 1));
        Assert.Null(await GetNameAsync(shard, 7));
        Assert.Equal([(5, "old")], await ScanMetricsAsync(shard));
    }

    [Fact]
    public async Task A_merge_of_only_droppable_tombstones_writes_no_segment()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        await PutMetricsAsync(shard, (1, "a"), (2, "b"));
        await shard.FlushAsync();
        await DeleteMetricsAsync(shard, 1, 2);
        await shard.FlushAsync();

        var result = await shard.CompactAsync(Metrics);

        Assert.NotNull(result);
        Assert.Null(result.Output);
        Assert.Empty(shard.Segments);
        Assert.Empty(await ScanMetricsAsync(shard));
        Assert.Empty(Directory.GetFiles(_temp.Combine("shard", "segments")));
    }

    [Fact]
    public async Task A_crash_between_compaction_output_and_manifest_swap_keeps_the_old_segments_and_removes_the_orphan()
    {
        var live = _temp.Combine("live");
        var crashed = _temp.Combine("crashed");
        string before;
        await using (var shard = await Shard.OpenAsync(Manual(live, _ =>
        {
            // What a crash at this point leaves on disk: the output written, the manifest still naming the inputs.
            CopyDirectory(live, crashed);
            throw new IOException("simulated crash");
        })))
        {
            await WriteHistoryAsync(shard);
            before = await ReadEverythingAsync(shard);
            await Assert.ThrowsAsync<IOException>(() => shard.CompactAsync(Metrics));

            Assert.Equal(5, shard.Segments.Count);
            Assert.Equal(5, Directory.GetFiles(Path.Combine(live, "segments")).Length);
            Assert.Equal(before, await ReadEverythingAsync(shard));
        }

        Assert.Equal(6, Directory.GetFiles(Path.Combine(crashed, "segments"), "*.parquet").Length);
        await using (var reopened = await Shard.OpenAsync(Manual(crashed)))
        {
            Assert.Single(reopened.RemovedOrphans);
            Assert.Equal(5, reopened.Segments.Count);
            Assert.Equal(before, await ReadEverythingAsync(reopened));

            // And it compacts fine afterwards.
            Assert.NotNull(await reopened.CompactAsync(Metrics));
            Assert.Equal(before, await ReadEverythingAsync(reopened));
        }
    }

    [Fact]
    public async Task The_size_tiered_policy_merges_once_enough_similar_segments_exist()
    {
        await using var shard = await Shard.OpenAsync(Manual());
        for (var flush = 0; flush < 2; flush++)
        {
            await PutMetricsAsync(shard, Enumerable.Range(flush * 100, 100).Select(i => ((long)i, (string?)("n" + i))).ToArray());
            await shard.FlushAsync();
        }

        // Two segments are below the default tier of four: nothing to do.
        Assert.Empty(await shard.CompactAsync());
        Assert.Equal(2, shard.Segments.Count);

        for (var flush = 2; flush < 4; flush++)
        {
            await PutMetricsAsync(shard, Enumerable.Range(flush * 100, 100).Select(i => ((long)i, (string?)("n" + i))).ToArray());
            await shard.FlushAsync();
        }

        var result = Assert.Single(await shard.CompactAsync());
        Assert.Equal(4, result.Inputs.Count);
        Assert.Equal(400, Assert.Single(shard.Segments).Descriptor.RowCount);
        Assert.Equal(400, (await ScanMetricsAsync(shard)).Count);
    }

    [Fact]
    public async Task Compaction_runs_in_the_background_after_flushes_while_writes_continue()
    {
        var options = new ShardOptions
        {
            Directory = _temp.Combine("shard"),
            Tables = [Metrics, Tags],
            Compaction = new CompactionOptions { MinSegments = 3 },
            MaintenanceInterval = null,
        };
        await using var shard = await Shard.OpenAsync(options);
        for (var flush = 0; flush < 3; flush++)
        {
            await PutMetricsAsync(shard, Enumerable.Range(flush * 50, 50).Select(i => ((long)i, (string?)("n" + i))).ToArray());
            await shard.FlushAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (shard.Segments.Count != 1 && DateTime.UtcNow < deadline)
        {
            await PutMetricsAsync(shard, (1000, "during"));
            await Task.Delay(20);
        }

        Assert.Single(shard.Segments);
        Assert.Null(shard.LastMaintenanceError);
        Assert.Equal(151, (await ScanMetricsAsync(shard)).Count);
    }

    [Fact]
    public async Task A_scan_started_before_a_compaction_finishes_with_the_same_rows()
    {
        await using var shard = await Shard.OpenAsync(new ShardOptions
        {
            Directory = _temp.Combine("shard"),
            Tables = [Metrics, Tags],
            Compaction = new CompactionOptions { Background = false },
            MaintenanceInterval = null,
            ScanBatchRows = 7,
        });
        await WriteHistoryAsync(shard);
        var expected = await ScanMetricsAsync(shard);

        var rows = new List<long>();
        var compacted = false;
        await foreach (var batch in shard.ScanAsync(Metrics, null, ulong.MaxValue))
        {
            var ids = (Apache.Arrow.Int64Array)batch.Column("id");
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(ids.Values[i]);
            }

            if (!compacted)
            {
                compacted = true;
                Assert.NotNull(await shard.CompactAsync(Metrics));
                Assert.Single(Directory.GetFiles(_temp.Combine("shard", "segments")));
            }
        }

        Assert.True(compacted);
        Assert.Equal(expected.Select(r => r.Id), rows);
    }
}
