using System.Globalization;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>
/// Scans that read self-contained row groups as columns return exactly what the row-by-row merge returns: the
/// same rows, values and key order, across overlapping segments, memtable rows, updates, deletes, versions kept
/// for open snapshots, time ranges, predicates, projections and key ranges. The row merge itself decodes only
/// the columns a projection and its filters need, so both ways are checked with columns left out.
/// </summary>
public sealed class ShardColumnarScanTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static SegmentScan[] Scans(string? name = "n-3") =>
    [
        SegmentScan.All,
        new() { Columns = ["value", "id"] },
        new() { Time = new TimeRange(1_000_040, 1_000_400) },
        new() { Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 90.0)] },
        new() { Columns = ["name"], Predicates = [ColumnPredicate.Compare("name", CompareOp.Equal, name!)] },
        new() { Predicates = [ColumnPredicate.Compare("id", CompareOp.Less, 150L), ColumnPredicate.Compare("value", CompareOp.Greater, 3.0)] },
        new() { Keys = new KeyRange(MetricKey(37), MetricKey(301)), Columns = ["id", "ts"] },
        new() { Predicates = [ColumnPredicate.Compare("value", CompareOp.Equal, "mismatched")] },

        // Filters on columns the projection leaves out: the row merge must still decode them.
        new() { Columns = ["name"], Time = new TimeRange(1_000_040, 1_000_400), Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 20.0)] },
        new() { Columns = [] },
    ];

    [Fact]
    public async Task Disjoint_flushed_segments_are_read_as_columns_with_the_rows_of_the_merge()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        for (var part = 0; part < 4; part++)
        {
            var batch = new WriteBatch();
            for (var id = part * 100; id < (part + 1) * 100; id++)
            {
                batch.Put(Metrics, Metric(id, "n-" + (id % 7).ToString(CultureInfo.InvariantCulture), id % 5 == 0 ? null : id * 0.5, 1_000_000 + id));
            }

            await shard.CommitAsync(batch);
            await shard.FlushAsync();
        }

        var before = shard.ColumnarRowGroupsRead;
        var rows = await CompareAsync(shard, ulong.MaxValue);
        Assert.True(shard.ColumnarRowGroupsRead > before, "no row group was read as columns");
        Assert.Equal(400, rows[0].Count);
        Assert.Equal(Enumerable.Range(0, 400).Select(i => (long)i), rows[0].Select(r => long.Parse(r.Split('|')[0]["id=".Length..], CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(64L << 20)]
    [InlineData(2048L)]
    public async Task Overlapping_segments_memtable_rows_updates_deletes_and_open_snapshots_read_the_same_both_ways(long columnCacheBytes)
    {
        // With the decoded column cache on (roomy, or small enough to evict all the time), cached columns of
        // older segments must resolve versions exactly as freshly decoded ones.
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path, columnCacheBytes));
        var random = new Random(20261126);
        var snapshots = new List<ShardSnapshot>();
        try
        {
            for (var round = 0; round < 12; round++)
            {
                var batch = new WriteBatch();
                var start = random.Next(0, 400);
                for (var i = 0; i < 60; i++)
                {
                    var id = start + (round % 3 == 0 ? i : random.Next(0, 120));
                    if (random.Next(10) == 0)
                    {
                        batch.Delete(Metrics, MetricKey(id));
                    }
                    else
                    {
                        var value = random.Next(8) == 0 ? (double?)null : random.Next(0, 100);
                        batch.Put(Metrics, Metric(id, "n-" + random.Next(0, 6).ToString(CultureInfo.InvariantCulture), value, 1_000_000 + random.Next(0, 500)));
                    }
                }

                await shard.CommitAsync(batch);
                if (round % 2 == 1)
                {
                    snapshots.Add(shard.AcquireSnapshot());
                }

                if (round % 3 != 2)
                {
                    await shard.FlushAsync();
                }

                foreach (var snapshot in snapshots)
                {
                    await CompareAsync(shard, snapshot.Seq);
                }

                await CompareAsync(shard, ulong.MaxValue);
            }

            await shard.CompactAsync();
            foreach (var snapshot in snapshots)
            {
                await CompareAsync(shard, snapshot.Seq);
            }

            var before = shard.ColumnarRowGroupsRead;
            await CompareAsync(shard, ulong.MaxValue);
            Assert.True(shard.ColumnarRowGroupsRead > before, "no row group was read as columns after compaction");
            Assert.Equal(columnCacheBytes > 0, shard.ColumnCacheHits > 0);
        }
        finally
        {
            foreach (var snapshot in snapshots)
            {
                snapshot.Dispose();
            }
        }
    }

    [Fact]
    public async Task Versions_of_one_key_spanning_two_row_groups_resolve_to_the_newest_the_snapshot_sees()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        using var first = shard.AcquireSnapshot();
        await PutMetricsAsync(shard, (5, "v0"));
        var snapshots = new List<ShardSnapshot>();
        try
        {
            // 40 versions of key 5 kept by open snapshots: a flush writes them over three 16-row groups.
            for (var v = 1; v <= 40; v++)
            {
                snapshots.Add(shard.AcquireSnapshot());
                await PutMetricsAsync(shard, (5, "v" + v.ToString(CultureInfo.InvariantCulture)), (v + 10, "other"));
            }

            await DeleteMetricsAsync(shard, 12);
            await shard.FlushAsync();
            foreach (var snapshot in snapshots)
            {
                await CompareAsync(shard, snapshot.Seq);
            }

            Assert.Equal("v40", (await ScanMetricsAsync(shard)).Single(r => r.Id == 5).Name);
            Assert.Equal("v7", (await ScanMetricsAsync(shard, snapshots[7].Seq)).Single(r => r.Id == 5).Name);
            Assert.DoesNotContain(await ScanMetricsAsync(shard), r => r.Id == 12);
            Assert.Empty(await ScanMetricsAsync(shard, first.Seq));
        }
        finally
        {
            foreach (var snapshot in snapshots)
            {
                snapshot.Dispose();
            }
        }
    }

    /// <summary>Runs every scan both ways at <paramref name="snapshot"/>, asserts equal output, returns the columnar rows.</summary>
    private static async Task<List<List<string>>> CompareAsync(Shard shard, ulong snapshot)
    {
        var results = new List<List<string>>();
        foreach (var scan in Scans())
        {
            shard.ColumnarScans = false;
            var rows = await ScanTextAsync(shard, scan, snapshot);
            shard.ColumnarScans = true;
            var columnar = await ScanTextAsync(shard, scan, snapshot);
            Assert.Equal(rows, columnar);
            results.Add(columnar);
        }

        return results;
    }
}
