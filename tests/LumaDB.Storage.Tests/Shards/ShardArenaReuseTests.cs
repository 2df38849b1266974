using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Memtables of a shard that fill arena chunks their flushed predecessors handed back.</summary>
public sealed class ShardArenaReuseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Memtables_after_a_flush_reuse_the_arena_and_every_version_reads_back_right()
    {
        await using var shard = await Shard.OpenAsync(Options(_temp.Path, budget: 3L * 1024 * 1024));
        const int perRound = 20_000;
        for (var round = 0; round < 4; round++)
        {
            // Every round rewrites the same ids with its own names, so a stale node of an old memtable would
            // show up as a wrong name or a wrong version.
            for (var first = 0; first < perRound; first += 1_000)
            {
                var batch = Enumerable.Range(first, 1_000).Select(i => ((long)i, (string?)$"r{round}-{i}")).ToArray();
                await PutMetricsAsync(shard, batch);
            }

            await shard.FlushAsync();

            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.True(shard.MemtableArena.ReusedChunks > 0, $"reused {shard.MemtableArena.ReusedChunks}, new {shard.MemtableArena.AllocatedChunks}");

        // Half of the last round again, into a memtable built on recycled chunks and read beside the segments. The
        // snapshot taken before keeps the versions it replaces readable, even if a background flush follows.
        using var before = shard.AcquireSnapshot();
        var last = Enumerable.Range(0, perRound / 2).Select(i => ((long)i, (string?)$"new-{i}")).ToArray();
        await PutMetricsAsync(shard, last);
        var rows = await ScanMetricsAsync(shard);
        Assert.Equal(perRound, rows.Count);
        for (var i = 0; i < perRound; i++)
        {
            Assert.Equal(((long)i, i < perRound / 2 ? $"new-{i}" : $"r3-{i}"), rows[i]);
        }

        Assert.Equal("r3-5", await GetNameAsync(shard, 5, before.Seq));
    }
}
