using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Tests.Transactions;

public sealed class TransactionTests
{
    [Fact]
    public async Task Second_committer_of_the_same_key_gets_a_conflict_and_none_of_its_writes_apply()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var first = engine.Database.BeginTransaction();
        await using var second = engine.Database.BeginTransaction();
        first.Put(table, EngineFixture.Row(table, 1, "first"));
        second.Put(table, EngineFixture.Row(table, 1, "second"));
        second.Put(table, EngineFixture.Row(table, 2, "second's other row"));
        await first.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(() => second.CommitAsync().AsTask());
        Assert.False(second.IsActive);
        Assert.Equal([(1L, "first")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task A_delete_after_the_snapshot_conflicts_with_an_update()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var updater = engine.Database.BeginTransaction();
        await using (var deleter = engine.Database.BeginTransaction())
        {
            deleter.Delete(table, EngineFixture.Key(1));
            await deleter.CommitAsync();
        }

        updater.Put(table, EngineFixture.Row(table, 1, "updated"));
        await Assert.ThrowsAsync<TransactionConflictException>(() => updater.CommitAsync().AsTask());
        Assert.Empty(await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task A_conflict_is_found_after_the_winner_was_flushed_to_segments()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var loser = engine.Database.BeginTransaction();
        await using (var winner = engine.Database.BeginTransaction())
        {
            winner.Put(table, EngineFixture.Row(table, 1, "winner"));
            await winner.CommitAsync();
        }

        await engine.Database.FlushAsync();
        loser.Put(table, EngineFixture.Row(table, 1, "loser"));
        await Assert.ThrowsAsync<TransactionConflictException>(() => loser.CommitAsync().AsTask());
        Assert.Equal([(1L, "winner")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Concurrent_transactions_on_different_keys_both_commit()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"));
        await using var _ = engine;
        await using var a = engine.Database.BeginTransaction();
        await using var b = engine.Database.BeginTransaction();
        a.Put(table, EngineFixture.Row(table, 1, "a"));
        b.Put(table, EngineFixture.Row(table, 2, "b"));
        b.Put(table, EngineFixture.Row(table, 3, "b3"));
        var seqs = await Task.WhenAll(a.CommitAsync().AsTask(), b.CommitAsync().AsTask());
        Assert.NotEqual(seqs[0], seqs[1]);
        Assert.Equal([(1L, "a"), (2L, "b"), (3L, "b3")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Many_concurrent_increments_of_one_key_lose_none_that_committed()
    {
        var engine = await EngineFixture.OpenAsync();
        await using var _ = engine;
        TableDefinition table;
        await using (var tx = engine.Database.BeginTransaction())
        {
            table = tx.CreateTable(EngineFixture.People());
            tx.Put(table, EngineFixture.Row(table, 1, "0"));
            await tx.CommitAsync();
        }

        var committed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 40), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            while (true)
            {
                await using var tx = engine.Database.BeginTransaction();
                var current = int.Parse(EngineFixture.NameOf(table, await tx.GetAsync(table, EngineFixture.Key(1), ct))!, System.Globalization.CultureInfo.InvariantCulture);
                tx.Put(table, EngineFixture.Row(table, 1, (current + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                try
                {
                    await tx.CommitAsync(ct);
                    Interlocked.Increment(ref committed);
                    return;
                }
                catch (TransactionConflictException)
                {
                }
            }
        });

        Assert.Equal(40, committed);
        Assert.Equal([(1L, "40")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task A_reader_does_not_see_commits_after_its_snapshot()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var reader = engine.Database.BeginTransaction();
        await using (var writer = engine.Database.BeginTransaction())
        {
            writer.Put(table, EngineFixture.Row(table, 1, "changed"));
            writer.Put(table, EngineFixture.Row(table, 2, "added"));
            await writer.CommitAsync();
        }

        Assert.Equal("one", EngineFixture.NameOf(table, await reader.GetAsync(table, EngineFixture.Key(1))));
        Assert.Null(await reader.GetAsync(table, EngineFixture.Key(2)));
        Assert.Equal([(1L, "one")], await EngineFixture.ScanAsync(reader, table));
    }

    [Fact]
    public async Task Own_writes_are_visible_to_get_and_scan_in_key_order_and_deletes_hide_rows()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (3, "three"), (5, "five"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        tx.Put(table, EngineFixture.Row(table, 4, "four"));
        tx.Put(table, EngineFixture.Row(table, 0, "zero"));
        tx.Put(table, EngineFixture.Row(table, 5, "FIVE"));
        tx.Delete(table, EngineFixture.Key(3));
        Assert.Equal("four", EngineFixture.NameOf(table, await tx.GetAsync(table, EngineFixture.Key(4))));
        Assert.Null(await tx.GetAsync(table, EngineFixture.Key(3)));
        Assert.Equal([(0L, "zero"), (1L, "one"), (4L, "four"), (5L, "FIVE")], await EngineFixture.ScanAsync(tx, table));

        var range = new SegmentScan { Keys = new KeyRange(EngineFixture.Key(1), EngineFixture.Key(5)) };
        Assert.Equal([(1L, "one"), (4L, "four")], await EngineFixture.ScanAsync(tx, table, range));

        // Nothing is visible to others before commit.
        Assert.Equal([(1L, "one"), (3L, "three"), (5L, "five")], await engine.ReadAllAsync("people"));
        await tx.CommitAsync();
        Assert.Equal([(0L, "zero"), (1L, "one"), (4L, "four"), (5L, "FIVE")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Rolling_back_to_a_savepoint_undoes_later_writes_and_ddl_only()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        tx.Put(table, EngineFixture.Row(table, 2, "before"));
        var savepoint = tx.Savepoint();
        tx.Put(table, EngineFixture.Row(table, 2, "after"));
        tx.Delete(table, EngineFixture.Key(1));
        tx.CreateTable(EngineFixture.People("later"));
        tx.Truncate(table);
        tx.RollbackToSavepoint(savepoint);
        Assert.Null(tx.Catalog.FindTable("public", "later"));
        Assert.Equal([(1L, "one"), (2L, "before")], await EngineFixture.ScanAsync(tx, table));

        tx.Put(table, EngineFixture.Row(table, 3, "again"));
        tx.RollbackToSavepoint(savepoint);
        await tx.CommitAsync();
        Assert.Equal([(1L, "one"), (2L, "before")], await engine.ReadAllAsync("people"));
        Assert.Null(engine.Database.Catalog.FindTable("public", "later"));
    }

    [Fact]
    public async Task Truncate_removes_committed_rows_and_keeps_later_own_writes()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.Put(table, EngineFixture.Row(table, 7, "dropped by truncate"));
            tx.Truncate(table);
            tx.Put(table, EngineFixture.Row(table, 2, "after truncate"));
            Assert.Equal([(2L, "after truncate")], await EngineFixture.ScanAsync(tx, table));
            Assert.Null(await tx.GetAsync(table, EngineFixture.Key(1)));
            await tx.CommitAsync();
        }

        Assert.Equal([(2L, "after truncate")], await engine.ReadAllAsync("people"));
        await engine.ReopenAsync();
        Assert.Equal([(2L, "after truncate")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Truncate_conflicts_with_a_write_committed_after_its_snapshot()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var truncating = engine.Database.BeginTransaction();
        await using (var writer = engine.Database.BeginTransaction())
        {
            writer.Put(table, EngineFixture.Row(table, 9, "new"));
            await writer.CommitAsync();
        }

        truncating.Truncate(table);
        await Assert.ThrowsAsync<TransactionConflictException>(() => truncating.CommitAsync().AsTask());
        Assert.Equal([(1L, "one"), (9L, "new")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Alter_table_adding_a_column_rewrites_rows_with_null_and_survives_reopen()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"));
        await using var _ = engine;
        TableDefinition altered;
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.Put(table, EngineFixture.Row(table, 3, "three"));
            altered = tx.AlterTable(table, new TableDefinition(
                table.Id, table.Schema, table.Name,
                [.. table.Columns, new ColumnDefinition("age", "integer", SegmentColumnKind.Int32)],
                table.PrimaryKey));
            Assert.Equal(table.Version + 1, altered.Version);
            Assert.Equal(3, (await EngineFixture.ScanAsync(tx, altered)).Count);
            var row = new LumaDB.Storage.Shards.RowBuilder(altered.Layout).SetInt64(0, 4).SetText(1, "four").SetInt32(2, 44).ToArray();
            tx.Put(altered, row);
            await tx.CommitAsync();
        }

        await engine.ReopenAsync();
        var current = engine.Database.Catalog.FindTable("public", "people")!;
        Assert.Equal(["id", "name", "age"], current.Columns.Select(c => c.Name));
        await using var reader = engine.Database.BeginTransaction();
        var rows = new List<(long, string, int?)>();
        await foreach (var batch in reader.ScanAsync(current))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((((Apache.Arrow.Int64Array)batch.Column(0)).GetValue(i)!.Value, ((Apache.Arrow.StringArray)batch.Column(1)).GetString(i),
                    ((Apache.Arrow.Int32Array)batch.Column(2)).GetValue(i)));
            }
        }

        Assert.Equal([(1L, "one", null), (2L, "two", null), (3L, "three", null), (4L, "four", 44)], rows);
    }

    [Fact]
    public async Task Alter_table_rename_keeps_the_id_and_rows()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            var renamed = tx.AlterTable(table, new TableDefinition(table.Id, table.Schema, "persons", table.Columns, table.PrimaryKey));
            Assert.Equal(table.Id, renamed.Id);
            await tx.CommitAsync();
        }

        Assert.Null(engine.Database.Catalog.FindTable("public", "people"));
        Assert.Equal([(1L, "one")], await engine.ReadAllAsync("persons"));
    }

    [Fact]
    public async Task Dropping_a_table_removes_its_rows_and_a_flush_after_it_still_works()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.DropTable(table);
            await tx.CommitAsync();
        }

        Assert.Null(engine.Database.Catalog.FindTable("public", "people"));
        await engine.Database.FlushAsync();
        await engine.ReopenAsync();
        await engine.Database.FlushAsync();
        Assert.Null(engine.Database.Catalog.FindTable("public", "people"));
    }

    [Fact]
    public async Task Writes_to_a_table_dropped_after_the_snapshot_conflict()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var writer = engine.Database.BeginTransaction();
        await using (var dropper = engine.Database.BeginTransaction())
        {
            dropper.DropTable(table);
            await dropper.CommitAsync();
        }

        writer.Put(table, EngineFixture.Row(table, 2, "late"));
        await Assert.ThrowsAsync<TransactionConflictException>(() => writer.CommitAsync().AsTask());
    }

    [Fact]
    public async Task A_commit_cut_short_in_the_wal_is_all_or_nothing_after_a_crash()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            for (var i = 100; i < 150; i++)
            {
                tx.Put(table, EngineFixture.Row(table, i, "batch " + i));
            }

            tx.CreateTable(EngineFixture.People("created_with_batch"));
            await tx.CommitAsync();
        }

        // The whole last record survives: all of it is back.
        await using (var intact = await engine.CrashCopyAsync())
        {
            Assert.Equal(51, (await intact.ReadAllAsync("people")).Count);
            Assert.NotNull(intact.Database.Catalog.FindTable("public", "created_with_batch"));
        }

        // The last record loses its tail, as a crash in the middle of its write would leave it: none of it is back.
        await using var cut = await engine.CrashCopyAsync(directory =>
        {
            var wal = Directory.GetFiles(Path.Combine(directory, "shards", "0", "wal")).OrderBy(f => f, StringComparer.Ordinal).Last();
            using var file = new FileStream(wal, FileMode.Open, FileAccess.ReadWrite);
            file.SetLength(file.Length - 100);
        });
        Assert.Equal([(1L, "one")], await cut.ReadAllAsync("people"));
        Assert.Null(cut.Database.Catalog.FindTable("public", "created_with_batch"));
    }
}
