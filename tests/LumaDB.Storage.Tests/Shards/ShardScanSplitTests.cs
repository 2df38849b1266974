using System.Globalization;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>
/// A scan's key range split into parts for parallel reading: the parts are contiguous, ordered and cover the range
/// once, their scans at one snapshot together return exactly the rows of the whole scan (overlapping segments,
/// memtable rows, updates, deletes, versions kept for open snapshots), they hold about equal row counts, and a
/// small table stays one part.
/// </summary>
public sealed class ShardScanSplitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static SegmentScan[] Scans() =>
    [
        SegmentScan.All,
        new() { Columns = ["value", "id"] },
        new() { Time = new TimeRange(1_000_040, 1_000_400) },
        new() { Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 50.0)] },
        new() { Keys = new KeyRange(MetricKey(37), MetricKey(301)), Columns = ["id", "name"] },
        new() { Keys = new KeyRange(MetricKey(100), null) },
        new() { Keys = new KeyRange(null, MetricKey(200)) },
    ];

    [Fact]
    public async Task Parts_cover_the_range_once_and_their_scans_together_return_the_whole_scan()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        var random = new Random(20261128);
        var snapshots = new List<ShardSnapshot>();
        try
        {
            // Versions of key 5 kept by open snapshots span several 16-row groups: a cut may fall among them.
            for (var v = 0; v < 40; v++)
            {
                snapshots.Add(shard.AcquireSnapshot());
                await PutMetricsAsync(shard, (5, "v" + v.ToString(CultureInfo.InvariantCulture)));
            }

            for (var round = 0; round < 12; round++)
            {
                var batch = new WriteBatch();
                var start = random.Next(0, 400);
                for (var i = 0; i < 80; i++)
                {
                    var id = start + (round % 3 == 0 ? i : random.Next(0, 150));
                    if (random.Next(10) == 0)
                    {
                        batch.Delete(Metrics, MetricKey(id));
                    }
                    else
                    {
                        batch.Put(Metrics, Metric(id, "n-" + random.Next(0, 6).ToString(CultureInfo.InvariantCulture), random.Next(0, 100), 1_000_000 + random.Next(0, 500)));
                    }
                }

                await shard.CommitAsync(batch);
                if (round % 4 == 1)
                {
                    snapshots.Add(shard.AcquireSnapshot());
                }

                // Every third round stays in the memtable.
                if (round % 3 != 2)
                {
                    await shard.FlushAsync();
                }
            }

            var split = 0;
            foreach (var snapshot in snapshots.Select(s => s.Seq).Append(ulong.MaxValue))
            {
                foreach (var scan in Scans())
                {
                    var parts = shard.SplitScanKeys(Metrics, scan.Keys, scan.Time, parts: 5, minRowsPerPart: 10);
                    AssertContiguous(scan.Keys, parts);
                    split += parts.Count > 1 ? 1 : 0;

                    var whole = await ScanTextAsync(shard, scan, snapshot);
                    var pieces = new List<string>();
                    foreach (var keys in parts)
                    {
                        pieces.AddRange(await ScanTextAsync(shard, WithKeys(scan, keys), snapshot));
                    }

                    Assert.Equal(whole, pieces);
                }
            }

            Assert.True(split > 0, "no scan was split");

            // After compaction the parts come from one segment's row groups.
            await shard.CompactAsync();
            var all = shard.SplitScanKeys(Metrics, null, null, parts: 5, minRowsPerPart: 10);
            Assert.Equal(5, all.Count);
            var rows = new List<string>();
            foreach (var keys in all)
            {
                rows.AddRange(await ScanTextAsync(shard, new SegmentScan { Keys = keys }, ulong.MaxValue));
            }

            Assert.Equal(await ScanTextAsync(shard, SegmentScan.All, ulong.MaxValue), rows);
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
    public async Task Parts_hold_about_equal_row_counts_of_flushed_segments()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));

        // Four flushes of interleaved ids: every segment spans the whole key range, as random ids make them.
        for (var flush = 0; flush < 4; flush++)
        {
            var batch = new WriteBatch();
            for (var id = flush; id < 4000; id += 4)
            {
                batch.Put(Metrics, Metric(id, "n", id, 1_000_000 + id));
            }

            await shard.CommitAsync(batch);
            await shard.FlushAsync();
        }

        var parts = shard.SplitScanKeys(Metrics, null, null, parts: 4, minRowsPerPart: 100);
        Assert.Equal(4, parts.Count);
        foreach (var keys in parts)
        {
            var count = (await ScanMetricsAsync(shard, scan: new SegmentScan { Keys = keys })).Count;
            Assert.InRange(count, 900, 1100);
        }

        // A time range weighs only the row groups it overlaps: the split follows the rows the scan reads.
        var late = new TimeRange(1_003_000, 1_004_000);
        var lateParts = shard.SplitScanKeys(Metrics, null, late, parts: 4, minRowsPerPart: 100);
        Assert.Equal(4, lateParts.Count);
        foreach (var keys in lateParts)
        {
            var count = (await ScanMetricsAsync(shard, scan: new SegmentScan { Keys = keys, Time = late })).Count;
            Assert.InRange(count, 150, 350);
        }
    }

    [Fact]
    public async Task A_table_with_fewer_rows_than_two_parts_and_a_memtable_only_table_stay_one_range()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        await PutMetricsAsync(shard, [.. Enumerable.Range(0, 300).Select(i => ((long)i, (string?)"n"))]);

        // Rows only in the memtable: the manifest has nothing to weigh them by.
        var keys = new KeyRange(MetricKey(10), MetricKey(200));
        Assert.Equal([keys], shard.SplitScanKeys(Metrics, keys, null, parts: 4, minRowsPerPart: 1));

        await shard.FlushAsync();
        Assert.Equal([keys], shard.SplitScanKeys(Metrics, keys, null, parts: 4, minRowsPerPart: 150));
        Assert.Equal([keys], shard.SplitScanKeys(Metrics, keys, null, parts: 1, minRowsPerPart: 1));
        Assert.Equal(4, shard.SplitScanKeys(Metrics, keys, null, parts: 4, minRowsPerPart: 40).Count);

        // Another table's rows do not count.
        Assert.Single(shard.SplitScanKeys(Tags, null, null, parts: 4, minRowsPerPart: 1));
    }

    private static void AssertContiguous(KeyRange? scanKeys, IReadOnlyList<KeyRange> parts)
    {
        Assert.NotEmpty(parts);
        Assert.Equal(scanKeys?.Lower, parts[0].Lower);
        Assert.Equal(scanKeys?.Upper, parts[^1].Upper);
        for (var i = 1; i < parts.Count; i++)
        {
            Assert.NotNull(parts[i].Lower);
            Assert.Equal(parts[i - 1].Upper, parts[i].Lower);
            Assert.True(parts[i - 1].Lower is null || parts[i - 1].Lower.AsSpan().SequenceCompareTo(parts[i].Lower) < 0, "parts out of order");
        }
    }

    private static SegmentScan WithKeys(SegmentScan scan, KeyRange keys) =>
        new() { Columns = scan.Columns, Time = scan.Time, Predicates = scan.Predicates, Keys = keys };
}
