using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>What a shard leaves in its WAL directory when it closes.</summary>
public sealed class ShardCloseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private long WalBytes() => Directory.GetFiles(Path.Combine(_temp.Path, "wal"), "*.wal").Sum(f => new FileInfo(f).Length);

    [Fact]
    public async Task Closing_after_a_flush_of_every_commit_empties_the_wal_and_the_shard_reopens_with_its_rows()
    {
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path, walSegment: 1024)))
        {
            for (var i = 0; i < 50; i++)
            {
                await PutMetricsAsync(shard, (i, $"n{i}"));
            }

            await shard.FlushAsync();
        }

        Assert.Equal(0, WalBytes());

        ulong seq;
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path, walSegment: 1024)))
        {
            Assert.Equal(0, shard.ReplayedRecords);
            Assert.Equal(50, (await ScanMetricsAsync(shard)).Count);

            // Commits after the reopen continue the seqs and survive a close without a flush.
            seq = await PutMetricsAsync(shard, (100, "after"));
            Assert.True(seq > 50);
        }

        Assert.True(WalBytes() > 0);
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path, walSegment: 1024)))
        {
            Assert.Equal(1, shard.ReplayedRecords);
            Assert.Equal(seq, shard.LastCommittedSeq);
            Assert.Equal("after", await GetNameAsync(shard, 100));
            Assert.Equal("n7", await GetNameAsync(shard, 7));
        }
    }

    [Fact]
    public async Task Closing_with_unflushed_commits_keeps_them_in_the_wal()
    {
        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            await PutMetricsAsync(shard, (1, "flushed"));
            await shard.FlushAsync();
            await PutMetricsAsync(shard, (2, "only-in-wal"));
        }

        await using (var shard = await Shard.OpenAsync(Options(_temp.Path)))
        {
            Assert.Equal(1, shard.ReplayedRecords);
            Assert.Equal("flushed", await GetNameAsync(shard, 1));
            Assert.Equal("only-in-wal", await GetNameAsync(shard, 2));
        }
    }
}
