using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;

namespace LumaDB.Engine.Tests.Transactions;

public sealed class IsolationTests
{
    [Fact]
    public async Task An_old_snapshot_reads_exactly_its_rows_after_flush_and_compaction_then_loses_the_conflict()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"), (3, "three"));
        await using var _ = engine;
        await using var old = engine.Database.BeginTransaction(TransactionIsolation.RepeatableRead);
        for (var round = 0; round < 3; round++)
        {
            await using var writer = engine.Database.BeginTransaction();
            writer.Put(table, EngineFixture.Row(table, 1, $"one-{round}"));
            writer.Put(table, EngineFixture.Row(table, 3, $"three-{round}"));
            writer.Put(table, EngineFixture.Row(table, 4, $"four-{round}"));
            await writer.CommitAsync();
            await engine.Database.FlushAsync();
        }

        await using (var deleter = engine.Database.BeginTransaction())
        {
            deleter.Delete(table, EngineFixture.Key(2));
            await deleter.CommitAsync();
            await engine.Database.FlushAsync();
        }

        // A major compaction; background compaction may already have merged the flushes, then this has nothing left.
        await engine.Database.Shard.CompactAsync(table.Layout);
        Assert.Equal([(1L, "one"), (2L, "two"), (3L, "three")], await EngineFixture.ScanAsync(old, table));
        Assert.Equal("two", EngineFixture.NameOf(table, await old.GetAsync(table, EngineFixture.Key(2))));
        Assert.Null(await old.GetAsync(table, EngineFixture.Key(4)));

        old.Put(table, EngineFixture.Row(table, 3, "old writer"));
        await Assert.ThrowsAsync<TransactionConflictException>(() => old.CommitAsync().AsTask());
        Assert.Equal([(1L, "one-2"), (3L, "three-2"), (4L, "four-2")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Read_committed_takes_a_fresh_snapshot_per_statement()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var reader = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        reader.BeginStatement();
        Assert.Equal("one", EngineFixture.NameOf(table, await reader.GetAsync(table, EngineFixture.Key(1))));
        await using (var writer = engine.Database.BeginTransaction())
        {
            writer.Put(table, EngineFixture.Row(table, 1, "changed"));
            await writer.CommitAsync();
        }

        Assert.Equal("one", EngineFixture.NameOf(table, await reader.GetAsync(table, EngineFixture.Key(1))));
        reader.BeginStatement();
        Assert.Equal("changed", EngineFixture.NameOf(table, await reader.GetAsync(table, EngineFixture.Key(1))));
    }

    [Fact]
    public async Task A_second_locker_waits_then_updates_the_newest_committed_row_without_a_conflict()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var first = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var second = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        Assert.False((await first.LockRowAsync(table, EngineFixture.Key(1))).Changed);
        first.Put(table, EngineFixture.Row(table, 1, "first"));

        var waiting = second.LockRowAsync(table, EngineFixture.Key(1)).AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        await first.CommitAsync();

        var locked = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(locked.Changed);
        Assert.Equal("first", EngineFixture.NameOf(table, locked.Row));
        second.Put(table, EngineFixture.Row(table, 1, EngineFixture.NameOf(table, locked.Row) + "+second"));
        await second.CommitAsync();
        Assert.Equal([(1L, "first+second")], await engine.ReadAllAsync("people"));
        Assert.Equal(0, engine.Database.HeldRowLocks);
    }

    [Fact]
    public async Task Repeatable_read_fails_with_a_conflict_when_the_locked_row_changed_after_its_snapshot()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var first = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var second = engine.Database.BeginTransaction(TransactionIsolation.RepeatableRead);
        await first.LockRowAsync(table, EngineFixture.Key(1));
        first.Put(table, EngineFixture.Row(table, 1, "first"));
        var waiting = second.LockRowAsync(table, EngineFixture.Key(1)).AsTask();
        await first.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(() => waiting);
    }

    [Fact]
    public async Task A_wait_that_closes_a_cycle_fails_as_a_deadlock_and_the_other_goes_on()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"));
        await using var _ = engine;
        await using var a = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var b = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await a.LockRowAsync(table, EngineFixture.Key(1));
        await b.LockRowAsync(table, EngineFixture.Key(2));
        var aWaits = a.LockRowAsync(table, EngineFixture.Key(2)).AsTask();
        await Task.Delay(50);
        await Assert.ThrowsAsync<DeadlockDetectedException>(() => b.LockRowAsync(table, EngineFixture.Key(1)).AsTask());
        b.Rollback();
        await aWaits.WaitAsync(TimeSpan.FromSeconds(10));
        await a.CommitAsync();
        Assert.Equal(0, engine.Database.HeldRowLocks);
    }

    [Fact]
    public async Task Shared_holders_go_on_together_and_a_writer_waits_for_all_of_them()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var a = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var b = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var writer = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        Assert.Equal("one", EngineFixture.NameOf(table, await a.LockRowSharedAsync(table, EngineFixture.Key(1))));
        Assert.Equal("one", EngineFixture.NameOf(table, await b.LockRowSharedAsync(table, EngineFixture.Key(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(5))));

        var writing = writer.LockRowAsync(table, EngineFixture.Key(1)).AsTask();
        await Task.Delay(100);
        Assert.False(writing.IsCompleted);
        await a.CommitAsync();
        await Task.Delay(50);
        Assert.False(writing.IsCompleted);
        await b.CommitAsync();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        writer.Delete(table, EngineFixture.Key(1));

        // A shared request queued behind the writer sees the row gone once the writer commits.
        await using var late = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        var reading = late.LockRowSharedAsync(table, EngineFixture.Key(1)).AsTask();
        await Task.Delay(100);
        Assert.False(reading.IsCompleted);
        await writer.CommitAsync();
        Assert.Null(await reading.WaitAsync(TimeSpan.FromSeconds(10)));
        await late.CommitAsync();
        Assert.Equal(0, engine.Database.HeldRowLocks);
    }

    [Fact]
    public async Task Two_shared_holders_both_asking_to_write_the_row_is_a_deadlock_for_the_second()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var a = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var b = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await a.LockRowSharedAsync(table, EngineFixture.Key(1));
        await b.LockRowSharedAsync(table, EngineFixture.Key(1));
        var aUpgrades = a.LockRowAsync(table, EngineFixture.Key(1)).AsTask();
        await Task.Delay(50);
        Assert.False(aUpgrades.IsCompleted);
        await Assert.ThrowsAsync<DeadlockDetectedException>(() => b.LockRowAsync(table, EngineFixture.Key(1)).AsTask());
        b.Rollback();
        await aUpgrades.WaitAsync(TimeSpan.FromSeconds(10));
        await a.CommitAsync();
        Assert.Equal(0, engine.Database.HeldRowLocks);
    }

    [Fact]
    public async Task A_lock_wait_past_the_lock_timeout_fails_and_leaves_the_holder_alone()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var holder = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        await using var waiter = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
        waiter.LockTimeout = TimeSpan.FromMilliseconds(100);
        await holder.LockRowAsync(table, EngineFixture.Key(1));
        await Assert.ThrowsAsync<LockNotAvailableException>(() => waiter.LockRowAsync(table, EngineFixture.Key(1)).AsTask());
        using var cancel = new CancellationTokenSource(50);
        waiter.LockTimeout = TimeSpan.Zero;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.LockRowAsync(table, EngineFixture.Key(1), cancellationToken: cancel.Token).AsTask());
        holder.Put(table, EngineFixture.Row(table, 1, "holder"));
        await holder.CommitAsync();
        Assert.Equal([(1L, "holder")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Eight_read_committed_writers_incrementing_ten_rows_lose_no_update_and_fail_none()
    {
        var engine = await EngineFixture.OpenAsync();
        await using var _ = engine;
        TableDefinition table;
        await using (var setup = engine.Database.BeginTransaction())
        {
            table = setup.CreateTable(EngineFixture.People("counters"));
            for (var id = 0; id < 10; id++)
            {
                setup.Put(table, EngineFixture.Row(table, id, "0"));
            }

            await setup.CommitAsync();
        }

        const int Workers = 8, Rounds = 100;
        var flushes = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < Rounds; i++)
            {
                await using var tx = engine.Database.BeginTransaction(TransactionIsolation.ReadCommitted);
                tx.BeginStatement();
                var id = random.Next(10);
                var locked = await tx.LockRowAsync(table, EngineFixture.Key(id));
                var value = long.Parse(EngineFixture.NameOf(table, locked.Row)!, System.Globalization.CultureInfo.InvariantCulture);
                tx.Put(table, EngineFixture.Row(table, id, (value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                await tx.CommitAsync();
                if (worker == 0 && i % 25 == 0)
                {
                    await engine.Database.FlushAsync();
                    Interlocked.Increment(ref flushes);
                }
            }
        })));

        var rows = await engine.ReadAllAsync("counters");
        Assert.Equal(Workers * Rounds, rows.Sum(r => long.Parse(r.Name!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(flushes > 0);
        Assert.Equal(0, engine.Database.HeldRowLocks);
    }
}
