using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Commits that outrun the flush wait for it instead of growing the memtable without bound.</summary>
public sealed class ShardWriteStallTests : IDisposable
{
    private const long Budget = 256 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<Shard> OpenAsync(Func<CancellationToken, ValueTask> beforeManifestCommit)
    {
        var options = Options(_temp.Path, budget: Budget);
        return Shard.OpenAsync(new ShardOptions
        {
            Directory = options.Directory,
            Tables = options.Tables,
            MemtableBudgetBytes = Budget,
            BeforeManifestCommit = beforeManifestCommit,
        });
    }

    [Fact]
    public async Task Commits_past_twice_the_budget_wait_for_the_running_flush_and_then_all_land()
    {
        var flushing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var shard = await OpenAsync(async cancellationToken =>
        {
            // The first background flush holds here until the test lets it go: a flush slower than the writers.
            flushing.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
        });

        var written = 0;
        async Task PutBatchAsync()
        {
            var rows = Enumerable.Range(written, 100).Select(i => ((long)i, (string?)$"name-{i}")).ToArray();
            written += rows.Length;
            await PutMetricsAsync(shard, rows).WaitAsync(Patience);
        }

        try
        {
            // Fill past the budget: the commit that crosses it starts a background flush, which then hangs.
            while (!flushing.Task.IsCompleted)
            {
                Assert.True(written < 100_000, "no background flush started");
                await PutBatchAsync();
            }

            // Below the stall size the writers carry on into the new memtable while the flush runs.
            while (shard.ActiveMemtableBytes < Shard.MemtableStallFactor * Budget)
            {
                await PutBatchAsync();
            }

            Assert.Equal(0, shard.WriteStalls);
            var stalledRows = Enumerable.Range(written, 100).Select(i => ((long)i, (string?)$"name-{i}")).ToArray();
            written += stalledRows.Length;
            var stalled = PutMetricsAsync(shard, stalledRows);
            await Task.Delay(300);
            Assert.False(stalled.IsCompleted, "a commit past twice the budget went on while the flush was running");
            Assert.Equal(1, shard.WriteStalls);
            Assert.True(shard.ActiveMemtableBytes < (Shard.MemtableStallFactor + 1) * Budget);

            release.SetResult();
            await stalled.WaitAsync(Patience);
        }
        finally
        {
            // A failed assertion must not leave the flush hanging: disposing the shard waits for it.
            release.TrySetResult();
        }

        var rows = await ScanMetricsAsync(shard);
        Assert.Equal(written, rows.Count);
        Assert.Equal(Enumerable.Range(0, written).Select(i => ((long)i, (string?)$"name-{i}")), rows);
    }
    [Fact]
    public async Task A_stalled_commit_lands_even_when_the_flush_it_waited_for_fails()
    {
        var flushing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = false;
        var shard = await OpenAsync(async cancellationToken =>
        {
            flushing.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
            if (!failed)
            {
                // A failure the background flush does not expect, so its task ends faulted.
                failed = true;
                throw new NotSupportedException("flush broke");
            }
        });

        var written = 0;
        try
        {
            while (!flushing.Task.IsCompleted || shard.ActiveMemtableBytes < Shard.MemtableStallFactor * Budget)
            {
                Assert.True(written < 100_000, "the memtable never reached the stall size");
                var rows = Enumerable.Range(written, 100).Select(i => ((long)i, (string?)$"name-{i}")).ToArray();
                written += rows.Length;
                await PutMetricsAsync(shard, rows).WaitAsync(Patience);
            }

            var stalledRows = Enumerable.Range(written, 100).Select(i => ((long)i, (string?)$"name-{i}")).ToArray();
            written += stalledRows.Length;
            var stalled = PutMetricsAsync(shard, stalledRows);
            await Task.Delay(300);
            Assert.False(stalled.IsCompleted);

            release.SetResult();
            await stalled.WaitAsync(Patience);
            Assert.Equal(written, (await ScanMetricsAsync(shard)).Count);
        }
        finally
        {
            release.TrySetResult();
        }

        // The stalled commit's own end started the next flush, which wrote what the broken one had not.
        await shard.DisposeAsync();
        await using var reopened = await Shard.OpenAsync(Options(_temp.Path, budget: Budget));
        Assert.Equal(written, (await ScanMetricsAsync(reopened)).Count);
    }
}
