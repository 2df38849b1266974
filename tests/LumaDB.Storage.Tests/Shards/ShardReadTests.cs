using Apache.Arrow;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Snapshot reads over memtables and segments: versions, tombstones, scans and filters.</summary>
public sealed class ShardReadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Deletes_hide_older_versions_in_the_memtable_and_in_segments()
    {
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            await PutMetricsAsync(shard, (1, "old"), (2, "keep"));
            await shard.FlushAsync();

            // The tombstone is in the memtable, the row in a segment.
            await DeleteMetricsAsync(shard, 1);
            Assert.Null(await GetNameAsync(shard, 1));
            Assert.Equal([(2, "keep")], await ScanMetricsAsync(shard));

            // Both in segments: the tombstone is kept by the flush and still hides the row.
            await shard.FlushAsync();
            Assert.Equal(2, shard.Segments.Count);
            Assert.Null(await GetNameAsync(shard, 1));
            Assert.Equal([(2, "keep")], await ScanMetricsAsync(shard));
        }

        await using (var reopened = await Shard.OpenAsync(Options(_temp.Path)))
        {
            Assert.Null(await GetNameAsync(reopened, 1));
            Assert.Equal([(2, "keep")], await ScanMetricsAsync(reopened));

            await PutMetricsAsync(reopened, (1, "new"));
            Assert.Equal("new", await GetNameAsync(reopened, 1));
            Assert.Equal([(1, "new"), (2, "keep")], await ScanMetricsAsync(reopened));
        }
    }

    [Fact]
    public async Task Snapshot_reads_see_a_consistent_view_while_later_commits_happen()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        for (var i = 0; i < 50; i++)
        {
            await PutMetricsAsync(shard, (i, "v1"));
        }

        var snapshot = shard.LastCommittedSeq;
        var expected = await ScanMetricsAsync(shard, snapshot);

        // Writers update, delete and insert while readers keep reading the snapshot.
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await PutMetricsAsync(shard, (i, "v2"), (100 + i, "new"));
                if (i % 3 == 0)
                {
                    await DeleteMetricsAsync(shard, i);
                }
            }
        });
        while (!writer.IsCompleted)
        {
            Assert.Equal(expected, await ScanMetricsAsync(shard, snapshot));
            Assert.Equal("v1", await GetNameAsync(shard, 9, snapshot));
        }

        await writer;
        Assert.Equal(expected, await ScanMetricsAsync(shard, snapshot));
        var latest = await ScanMetricsAsync(shard);
        Assert.Equal(50 + 50 - 17, latest.Count);
        Assert.Null(await GetNameAsync(shard, 9));
        Assert.Equal("v2", await GetNameAsync(shard, 10));
    }

    [Fact]
    public async Task Scans_before_and_after_a_flush_return_the_same_rows()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        for (var i = 0; i < 30; i++)
        {
            await PutMetricsAsync(shard, (i, "a" + i));
        }

        await DeleteMetricsAsync(shard, 3, 4);
        await shard.FlushAsync();
        await PutMetricsAsync(shard, (5, "updated"), (40, "late"));
        await DeleteMetricsAsync(shard, 6);

        var scans = new[]
        {
            SegmentScan.All,
            new SegmentScan { Keys = new KeyRange(MetricKey(4), MetricKey(12)) },
            new SegmentScan { Time = new TimeRange(1_000_010, 1_000_025) },
            new SegmentScan { Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 30.0)] },
            new SegmentScan { Predicates = [ColumnPredicate.Compare("name", CompareOp.Equal, "updated")] },
            new SegmentScan { Columns = ["name", "id"], Keys = new KeyRange(null, MetricKey(8)) },
        };
        var before = new List<List<(long, string?)>>();
        foreach (var scan in scans)
        {
            before.Add(await ScanMetricsAsync(shard, ulong.MaxValue, scan));
        }

        Assert.Equal(30 - 3 + 1, before[0].Count);
        Assert.Equal([0L, 1, 2, 5, 7], before[5].Select(r => r.Item1));
        Assert.Equal([(5L, "updated")], before[4]);

        await shard.FlushAsync();
        Assert.Equal(2, shard.Segments.Count);
        for (var i = 0; i < scans.Length; i++)
        {
            Assert.Equal(before[i], await ScanMetricsAsync(shard, ulong.MaxValue, scans[i]));
        }
    }

    [Fact]
    public async Task A_flush_of_many_batches_in_two_tables_keeps_every_row_its_nulls_and_its_tombstones()
    {
        // Far more rows than one flush batch, so the segment writer copies batch after batch built in the same
        // reused buffers, with text, nulls, booleans, bytes and deletes in each of them.
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        const int Rows = 11_000;
        var batch = new WriteBatch();
        for (var i = 0; i < Rows; i++)
        {
            batch.Put(Metrics, Metric(i, i % 7 == 0 ? null : "name-" + i, i % 5 == 0 ? null : i * 0.5, 1_000_000 + i));
            batch.Put(Tags, Tag("tenant-" + (i % 3), i, i % 4 == 0 ? null : i % 2 == 0, i % 6 == 0 ? null : [(byte)i, (byte)(i >> 8)]));
        }

        await shard.CommitAsync(batch);
        var deletes = new WriteBatch();
        for (var i = 0; i < Rows; i += 97)
        {
            deletes.Delete(Metrics, MetricKey(i));
        }

        await shard.CommitAsync(deletes);
        var metricsBefore = await ScanMetricsAsync(shard);
        var tagsBefore = await ScanTagsAsync(shard);
        Assert.Equal(Rows - ((Rows + 96) / 97), metricsBefore.Count);
        Assert.Equal(Rows, tagsBefore.Count);

        await shard.FlushAsync();
        Assert.Equal(2, shard.Segments.Count);
        Assert.Equal(metricsBefore, await ScanMetricsAsync(shard));
        Assert.Equal(tagsBefore, await ScanTagsAsync(shard));
        var metric = await shard.GetAsync(Metrics, MetricKey(Rows - 1), ulong.MaxValue);
        Assert.Equal((Rows - 1) * 0.5, Metrics.Codec.GetFloat64(metric, 2));
        Assert.Equal(1_000_000 + Rows - 1, Metrics.Codec.GetInt64(metric, 3));
    }

    private static async Task<List<string>> ScanTagsAsync(Shard shard)
    {
        var rows = new List<string>();
        await foreach (var b in shard.ScanAsync(Tags, null, ulong.MaxValue))
        {
            var tenants = (StringArray)b.Column(0);
            var ids = (Int32Array)b.Column(1);
            var flags = (BooleanArray)b.Column(2);
            var data = (BinaryArray)b.Column(3);
            for (var i = 0; i < b.Length; i++)
            {
                var bytes = data.IsNull(i) ? "null" : Convert.ToHexString(data.GetBytes(i));
                rows.Add($"{tenants.GetString(i)}/{ids.Values[i]}/{flags.GetValue(i)?.ToString() ?? "null"}/{bytes}");
            }
        }

        return rows;
    }

    [Fact]
    public async Task A_filter_never_lets_an_older_version_show_through_a_newer_one()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        await PutMetricsAsync(shard, (1, "match"));
        await shard.FlushAsync();
        await PutMetricsAsync(shard, (1, "other"));

        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("name", CompareOp.Equal, "match")] };
        Assert.Empty(await ScanMetricsAsync(shard, ulong.MaxValue, scan));
    }

    [Fact]
    public async Task A_batch_across_tables_lands_whole_and_flushes_to_one_segment_per_table()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        var batch = new WriteBatch()
            .Put(Metrics, Metric(1, "m", 2.5, 10))
            .Put(Tags, Tag("acme", 2, flag: true, data: [0, 1, 0]))
            .Put(Tags, Tag("acme", 1, flag: null, data: null))
            .Put(Tags, Tag("beta", 1, flag: false, data: []));
        var seq = await shard.CommitAsync(batch);
        Assert.Equal(1UL, seq);

        await shard.FlushAsync();
        Assert.Equal(2, shard.Segments.Count);

        var rows = new List<(string, int, bool?, byte[]?)>();
        await foreach (var b in shard.ScanAsync(Tags, null, ulong.MaxValue))
        {
            var tenants = (StringArray)b.Column(0);
            var ids = (Int32Array)b.Column(1);
            var flags = (BooleanArray)b.Column(2);
            var data = (BinaryArray)b.Column(3);
            for (var i = 0; i < b.Length; i++)
            {
                rows.Add((tenants.GetString(i), ids.Values[i], flags.GetValue(i), data.IsNull(i) ? null : data.GetBytes(i).ToArray()));
            }
        }

        Assert.Equal(3, rows.Count);
        Assert.Equal(("acme", 1, (bool?)null, (byte[]?)null), rows[0]);
        Assert.Equal("acme", rows[1].Item1);
        Assert.Equal(2, rows[1].Item2);
        Assert.True(rows[1].Item3);
        Assert.Equal(new byte[] { 0, 1, 0 }, rows[1].Item4);
        Assert.Equal(("beta", 1), (rows[2].Item1, rows[2].Item2));
        Assert.Equal([], rows[2].Item4!);

        var metric = await shard.GetAsync(Metrics, MetricKey(1), ulong.MaxValue);
        Assert.Equal(2.5, Metrics.Codec.GetFloat64(metric, 2));
        Assert.Equal(10, Metrics.Codec.GetInt64(metric, 3));
    }

    [Fact]
    public async Task The_last_operation_on_a_key_in_a_batch_wins()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        await shard.CommitAsync(new WriteBatch()
            .Put(Metrics, Metric(1, "first"))
            .Delete(Metrics, MetricKey(1))
            .Put(Metrics, Metric(1, "last"))
            .Put(Metrics, Metric(2, "gone"))
            .Delete(Metrics, MetricKey(2)));

        Assert.Equal([(1, "last")], await ScanMetricsAsync(shard));
    }

    [Fact]
    public async Task A_snapshot_older_than_the_last_flush_is_refused_rather_than_read_wrong()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        var old = await PutMetricsAsync(shard, (1, "v1"));
        await PutMetricsAsync(shard, (1, "v2"));
        Assert.Equal("v1", await GetNameAsync(shard, 1, old));

        await shard.FlushAsync();
        var error = await Assert.ThrowsAsync<SnapshotTooOldException>(() => GetNameAsync(shard, 1, old));
        Assert.Equal(old, error.SnapshotSeq);
        Assert.Equal("v2", await GetNameAsync(shard, 1));
    }

    [Fact]
    public async Task Segment_key_bounds_are_the_shard_keys_of_text_keyed_rows()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path));
        await shard.CommitAsync(new WriteBatch().Put(Tags, Tag("a\0z", 1, null, null)).Put(Tags, Tag("b", 9, null, null)));
        await shard.FlushAsync();

        var descriptor = Assert.Single(shard.Segments).Descriptor;
        Assert.Equal([.. Tags.KeyPrefix, .. TagKey("a\0z", 1)], descriptor.MinKey);
        Assert.Equal([.. Tags.KeyPrefix, .. TagKey("b", 9)], descriptor.MaxKey);
        Assert.NotNull(await shard.GetAsync(Tags, TagKey("a\0z", 1), ulong.MaxValue));
        Assert.Null(await shard.GetAsync(Tags, TagKey("a", 1), ulong.MaxValue));
    }
}
