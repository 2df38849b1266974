namespace LumaDB.Engine.Tests.Transactions;

/// <summary>
/// A transaction's buffered writes appended in key order (bulk loads), then in any order: reads, scans, savepoint
/// rollback and commit see the same rows either way.
/// </summary>
public sealed class WriteSetTests
{
    [Fact]
    public async Task Writes_in_ascending_then_descending_key_order_read_and_scan_in_key_order_with_the_last_write_winning()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync();
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        for (var id = 1; id <= 1000; id++)
        {
            tx.PutOwned(table, EngineFixture.Row(table, id, "v" + id));
        }

        // Overwrite in the middle while still ascending at the end, then go backwards.
        tx.Put(table, EngineFixture.Row(table, 500, "again"));
        tx.Put(table, EngineFixture.Row(table, 0, "zero"));
        tx.Delete(table, EngineFixture.Key(7));
        tx.Put(table, EngineFixture.Row(table, -5, "negative"));

        Assert.NotNull(await tx.GetAsync(table, EngineFixture.Key(1000)));
        Assert.Null(await tx.GetAsync(table, EngineFixture.Key(7)));
        var rows = await EngineFixture.ScanAsync(tx, table);
        Assert.Equal(1001, rows.Count);
        Assert.Equal([-5L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 8L], rows.Take(9).Select(r => r.Id));
        Assert.Equal("again", rows.Single(r => r.Id == 500).Name);
        await tx.CommitAsync();
        Assert.Equal(rows, await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Rolling_back_to_a_savepoint_undoes_appended_and_reordered_writes_alike()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((2, "committed"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        tx.Put(table, EngineFixture.Row(table, 10, "ten"));
        var savepoint = tx.Savepoint();
        tx.Put(table, EngineFixture.Row(table, 20, "twenty"));
        tx.Put(table, EngineFixture.Row(table, 10, "ten again"));
        tx.Put(table, EngineFixture.Row(table, 1, "one"));
        tx.RollbackToSavepoint(savepoint);
        tx.Put(table, EngineFixture.Row(table, 30, "thirty"));
        await tx.CommitAsync();

        Assert.Equal([(2L, "committed"), (10L, "ten"), (30L, "thirty")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task A_rolled_back_bulk_load_leaves_nothing()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "kept"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            for (var id = 100; id < 200; id++)
            {
                tx.PutOwned(table, EngineFixture.Row(table, id, "loaded"));
            }

            tx.Rollback();
        }

        Assert.Equal([(1L, "kept")], await engine.ReadAllAsync("people"));
    }
}
