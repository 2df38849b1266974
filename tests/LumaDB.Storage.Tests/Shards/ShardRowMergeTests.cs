using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>
/// The row-by-row merge of overlapping segments drops segment rows that fail the filter's key-column part (a
/// time range with the time in the key, predicates on key columns) before merging, since every version of a key
/// shares those values, while the part on other columns still waits until versions are resolved: results equal
/// the full scan filtered afterwards.
/// </summary>
public sealed class ShardRowMergeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static long Minute(int minute) => 1_800_000_000_000_000L + (minute * 60_000_000L);

    [Fact]
    public async Task Key_column_filters_over_updates_deletes_and_old_snapshots_match_the_full_scan_filtered_afterwards()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        var random = new Random(112826);
        var snapshots = new List<ShardSnapshot>();
        try
        {
            // Every round rewrites and deletes rows of all devices and minutes, so segments overlap everywhere.
            for (var round = 0; round < 6; round++)
            {
                var batch = new WriteBatch();
                for (var i = 0; i < 120; i++)
                {
                    var device = random.Next(0, 8);
                    var minute = random.Next(0, 50);
                    if (round > 0 && random.Next(4) == 0)
                    {
                        batch.Delete(Readings, ReadingKey(device, Minute(minute)));
                    }
                    else
                    {
                        batch.Put(Readings, Reading(device, Minute(minute), random.Next(0, 100)));
                    }
                }

                await shard.CommitAsync(batch);
                if (round % 2 == 1)
                {
                    snapshots.Add(shard.AcquireSnapshot());
                }

                if (round != 5)
                {
                    await shard.FlushAsync();
                }
            }

            var filters = new (TimeRange? Time, ColumnPredicate[] Predicates, Func<(long Device, long Ts, double? Value), bool> Expected)[]
            {
                (new TimeRange(Minute(10), Minute(20)), [], r => r.Ts >= Minute(10) && r.Ts < Minute(20)),
                (null, [ColumnPredicate.Compare("device", CompareOp.Equal, 3L)], r => r.Device == 3),
                (new TimeRange(Minute(5), Minute(40)), [ColumnPredicate.Compare("device", CompareOp.GreaterOrEqual, 6L)],
                    r => r.Ts >= Minute(5) && r.Ts < Minute(40) && r.Device >= 6),
                (null, [ColumnPredicate.Compare("device", CompareOp.Less, 2L), ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 50.0)],
                    r => r.Device < 2 && r.Value >= 50),
            };
            foreach (var columnar in new[] { true, false })
            {
                shard.ColumnarScans = columnar;
                foreach (var snapshot in snapshots.Select(s => s.Seq).Append(ulong.MaxValue))
                {
                    var all = await ReadReadingsAsync(shard, SegmentScan.All, snapshot);
                    foreach (var (time, predicates, expected) in filters)
                    {
                        Assert.Equal(all.Where(expected).ToList(), await ReadReadingsAsync(shard, new SegmentScan { Time = time, Predicates = predicates }, snapshot));
                        Assert.Equal(
                            all.Where(expected).ToList(),
                            await ReadReadingsAsync(shard, new SegmentScan { Time = time, Predicates = predicates, Columns = ["value", "device", "ts"] }, snapshot));
                    }
                }
            }

            Assert.True(shard.RowsFilteredBeforeMerge > 0);
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
    public async Task A_predicate_on_a_column_outside_the_key_still_sees_only_the_newest_version()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        shard.ColumnarScans = false;
        await CommitAsync(shard, Reading(1, Minute(1), 80), Reading(2, Minute(1), 80));
        await shard.FlushAsync();
        await CommitAsync(shard, Reading(1, Minute(1), 5));
        await shard.FlushAsync();

        // The old version of device 1 passes value >= 50, but the newest does not: only device 2 comes back.
        var rows = await ReadReadingsAsync(shard, new SegmentScan { Predicates = [ColumnPredicate.Compare("value", CompareOp.GreaterOrEqual, 50.0)] }, ulong.MaxValue);
        Assert.Equal([(2L, Minute(1), (double?)80)], rows);
        Assert.Equal(0, shard.RowsFilteredBeforeMerge);

        // On the key column, both versions of device 1 are dropped before the merge.
        rows = await ReadReadingsAsync(shard, new SegmentScan { Predicates = [ColumnPredicate.Compare("device", CompareOp.Equal, 2L)] }, ulong.MaxValue);
        Assert.Equal([(2L, Minute(1), (double?)80)], rows);
        Assert.Equal(2, shard.RowsFilteredBeforeMerge);
    }

    private static async Task CommitAsync(Shard shard, params byte[][] rows)
    {
        var batch = new WriteBatch();
        foreach (var row in rows)
        {
            batch.Put(Readings, row);
        }

        await shard.CommitAsync(batch);
    }
}
