using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>
/// A scan with a time range skips the segments and row groups whose times all lie outside it when the time column
/// is part of the primary key (every version of a key then has the same time, so nothing outside can hide a row
/// inside): the results equal the full scan filtered by time across updates, deletes, memtable rows and older
/// snapshots, and a segment outside the range is never opened. Without the time in the key every segment takes
/// part, since a newer version outside the range may hide an older one inside it.
/// </summary>
public sealed class ShardTimePruningTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Hour <paramref name="hour"/> of the test's clock, in microseconds.</summary>
    private static long Hour(int hour) => 1_800_000_000_000_000L + (hour * 3_600_000_000L);

    private string[] SegmentFiles() => Directory.GetFiles(_temp.Path, "*.parquet", SearchOption.AllDirectories);

    [Fact]
    public async Task Time_ranges_over_updates_deletes_memtable_rows_and_old_snapshots_match_the_filtered_full_scan()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        var random = new Random(20261128);
        var snapshots = new List<ShardSnapshot>();
        try
        {
            // Each round writes one hour of readings; later rounds also update and delete earlier hours' rows.
            for (var round = 0; round < 8; round++)
            {
                var batch = new WriteBatch();
                for (var i = 0; i < 60; i++)
                {
                    batch.Put(Readings, Reading(i % 6, Hour(round) + (i * 60_000_000L), random.Next(0, 100)));
                }

                for (var i = 0; round > 0 && i < 15; i++)
                {
                    var hour = random.Next(0, round);
                    var at = Hour(hour) + (random.Next(0, 60) * 60_000_000L);
                    var device = random.Next(0, 6);
                    if (random.Next(3) == 0)
                    {
                        batch.Delete(Readings, ReadingKey(device, at));
                    }
                    else
                    {
                        batch.Put(Readings, Reading(device, at, 1000 + round));
                    }
                }

                await shard.CommitAsync(batch);
                if (round % 3 == 1)
                {
                    snapshots.Add(shard.AcquireSnapshot());
                }

                if (round != 7)
                {
                    await shard.FlushAsync();
                }
            }

            var ranges = new[]
            {
                new TimeRange(Hour(2), Hour(3)),
                new TimeRange(Hour(0) + 1, Hour(1) + 600_000_000L),
                new TimeRange(Hour(5) + 123, Hour(8)),
                new TimeRange(Hour(9), Hour(10)),
                new TimeRange(Hour(-5), Hour(-4)),
            };
            foreach (var snapshot in snapshots.Select(s => s.Seq).Append(ulong.MaxValue))
            {
                var all = await ReadReadingsAsync(shard, SegmentScan.All, snapshot);
                foreach (var range in ranges)
                {
                    var expected = all.Where(r => r.Ts >= range.FromMicros && r.Ts < range.ToMicros).ToList();
                    Assert.Equal(expected, await ReadReadingsAsync(shard, new SegmentScan { Time = range }, snapshot));
                    Assert.Equal(expected, await ReadReadingsAsync(shard, new SegmentScan { Time = range, Columns = ["ts", "device", "value"] }, snapshot));
                }
            }
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
    public async Task A_segment_outside_the_time_range_is_never_opened_when_the_time_is_in_the_key()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        var old = await WriteTwoHoursAsync(shard, (device, ts) => Reading(device, ts, 1.5), Readings);
        File.Delete(old);

        var recent = await ReadReadingsAsync(shard, new SegmentScan { Time = new TimeRange(Hour(10), Hour(11)) }, ulong.MaxValue);
        Assert.Equal(40, recent.Count);
        Assert.All(recent, r => Assert.InRange(r.Ts, Hour(10), Hour(11) - 1));

        // The file is gone, so a scan that does need it fails.
        await Assert.ThrowsAnyAsync<IOException>(() => ReadReadingsAsync(shard, SegmentScan.All, ulong.MaxValue));
    }

    [Fact]
    public async Task Without_the_time_in_the_key_every_segment_takes_part_in_a_time_ranged_scan()
    {
        await using var shard = await Shard.OpenAsync(SmallGroupOptions(_temp.Path));
        var old = await WriteTwoHoursAsync(shard, (id, ts) => Metric(id, "n", 1.5, ts), Metrics);
        File.Delete(old);

        // The old segment could hold a newer version of a key whose older version lies in the range.
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var batch in shard.ScanAsync(Metrics, new SegmentScan { Time = new TimeRange(Hour(10), Hour(11)) }, ulong.MaxValue))
            {
                batch.Dispose();
            }
        });
    }

    /// <summary>
    /// Flushes 40 rows of hour 0 into one segment, then 40 rows of hour 10 (other keys) into another; returns the
    /// first segment's file. No scan has opened either.
    /// </summary>
    private async Task<string> WriteTwoHoursAsync(Shard shard, Func<int, long, byte[]> row, TableLayout table)
    {
        var before = SegmentFiles();
        var batch = new WriteBatch();
        for (var i = 0; i < 40; i++)
        {
            batch.Put(table, row(i, Hour(0) + i));
        }

        await shard.CommitAsync(batch);
        await shard.FlushAsync();
        var old = SegmentFiles().Except(before).Single();

        batch = new WriteBatch();
        for (var i = 0; i < 40; i++)
        {
            batch.Put(table, row(100 + i, Hour(10) + i));
        }

        await shard.CommitAsync(batch);
        await shard.FlushAsync();
        return old;
    }
}
