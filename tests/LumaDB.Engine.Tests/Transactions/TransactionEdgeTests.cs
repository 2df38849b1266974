using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Tests.Transactions;

public sealed class TransactionEdgeTests
{
    [Fact]
    public async Task Appended_batches_are_visible_and_conflict_with_a_transaction_that_wrote_the_key_earlier()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        tx.Put(table, EngineFixture.Row(table, 1, "from transaction"));
        await engine.Database.AppendAsync(new WriteBatch()
            .Put(table.Layout, EngineFixture.Row(table, 1, "appended"))
            .Put(table.Layout, EngineFixture.Row(table, 2, "appended too")));
        await Assert.ThrowsAsync<TransactionConflictException>(() => tx.CommitAsync().AsTask());
        Assert.Equal([(1L, "appended"), (2L, "appended too")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Scans_with_projection_and_predicates_apply_them_to_own_writes_too()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "b"), (2, "z"), (3, "c"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        tx.Put(table, EngineFixture.Row(table, 2, "a"));
        tx.Put(table, EngineFixture.Row(table, 3, "zz"));
        tx.Put(table, EngineFixture.Row(table, 4, "d"));
        var scan = new SegmentScan { Columns = ["id"], Predicates = [ColumnPredicate.Compare("name", CompareOp.Less, "m")] };
        var ids = new List<long>();
        await foreach (var batch in tx.ScanAsync(table, scan))
        {
            Assert.Equal(1, batch.ColumnCount);
            ids.AddRange(((Int64Array)batch.Column(0)).Values.ToArray());
        }

        Assert.Equal([1L, 2, 4], ids);
    }

    [Fact]
    public async Task Concurrent_ddl_lets_the_first_commit_and_refuses_the_second()
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using var first = engine.Database.BeginTransaction();
        await using var second = engine.Database.BeginTransaction();
        first.CreateTable(EngineFixture.People("a"));
        second.CreateTable(EngineFixture.People("b"));
        await first.CommitAsync();
        await Assert.ThrowsAsync<TransactionConflictException>(() => second.CommitAsync().AsTask());
        Assert.NotNull(engine.Database.Catalog.FindTable("public", "a"));
        Assert.Null(engine.Database.Catalog.FindTable("public", "b"));
    }

    [Fact]
    public async Task Dropping_and_recreating_a_table_in_one_transaction_starts_it_empty()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "old"));
        await using var _ = engine;
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.DropTable(table);
            var fresh = tx.CreateTable(EngineFixture.People());
            Assert.NotEqual(table.Id, fresh.Id);
            Assert.Empty(await EngineFixture.ScanAsync(tx, fresh));
            tx.Put(fresh, EngineFixture.Row(fresh, 2, "new"));
            await tx.CommitAsync();
        }

        await engine.ReopenAsync();
        Assert.Equal([(2L, "new")], await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Catalog_version_changes_with_ddl_and_a_transactions_own_ddl_has_its_own_version()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var before = engine.Database.Catalog.Version;
        await using (var tx = engine.Database.BeginTransaction())
        {
            Assert.Equal(before, tx.Catalog.Version);
            tx.CreateTable(EngineFixture.People());
            Assert.NotEqual(before, tx.Catalog.Version);
            await tx.CommitAsync();
        }

        var afterDdl = engine.Database.Catalog.Version;
        Assert.NotEqual(before, afterDdl);
        await using (var tx = engine.Database.BeginTransaction())
        {
            var table = tx.Catalog.FindTable("public", "people")!;
            tx.Put(table, EngineFixture.Row(table, 1, "data only"));
            await tx.CommitAsync();
        }

        Assert.Equal(afterDdl, engine.Database.Catalog.Version);
    }

    [Fact]
    public async Task Drop_schema_refuses_without_cascade_and_drops_its_tables_with_it()
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.CreateSchema("app");
            var p = EngineFixture.People();
            tx.CreateTable(new TableDefinition(0, "app", "users", p.Columns, p.PrimaryKey));
            await tx.CommitAsync();
        }

        await using (var tx = engine.Database.BeginTransaction())
        {
            var error = Assert.Throws<CatalogException>(() => tx.DropSchema("app", cascade: false));
            Assert.Equal(CatalogErrorKind.HasDependents, error.Kind);
            tx.DropSchema("app", cascade: true);
            await tx.CommitAsync();
        }

        await engine.ReopenAsync();
        Assert.DoesNotContain("app", engine.Database.Catalog.Schemas);
        Assert.Empty(engine.Database.Catalog.Tables);
    }

    [Fact]
    public async Task An_alter_that_cannot_convert_a_column_is_refused_and_changes_nothing()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"));
        await using var _ = engine;
        await using var tx = engine.Database.BeginTransaction();
        var error = Assert.Throws<CatalogException>(() => tx.AlterTable(table, new TableDefinition(
            table.Id, table.Schema, table.Name,
            [table.Columns[0], new ColumnDefinition("name", "integer", SegmentColumnKind.Int32)],
            table.PrimaryKey)));
        Assert.Equal(CatalogErrorKind.Invalid, error.Kind);
        Assert.Same(engine.Database.Catalog.FindTable(table.Id), tx.Catalog.FindTable(table.Id));
    }

    [Fact]
    public async Task A_transaction_cannot_be_used_after_it_ended()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync();
        await using var _ = engine;
        var tx = engine.Database.BeginTransaction();
        tx.Rollback();
        Assert.False(tx.IsActive);
        Assert.Throws<InvalidOperationException>(() => tx.Put(table, EngineFixture.Row(table, 1, "late")));
    }

    [Fact]
    public async Task Truncate_and_alter_commit_after_a_flush_passed_the_snapshot()
    {
        var (engine, table) = await EngineFixture.WithPeopleAsync((1, "one"), (2, "two"));
        await using var _ = engine;
        TableDefinition other;
        await using (var tx = engine.Database.BeginTransaction())
        {
            other = tx.CreateTable(EngineFixture.People("other"));
            await tx.CommitAsync();
        }

        // A commit to another table, then a flush: the flush passes the snapshot of the open transaction.
        async Task CommitElsewhereAndFlushAsync(long id)
        {
            await using var elsewhere = engine.Database.BeginTransaction();
            elsewhere.Put(other, EngineFixture.Row(other, id, "elsewhere"));
            await elsewhere.CommitAsync();
            await engine.Database.FlushAsync();
        }

        await using (var tx = engine.Database.BeginTransaction())
        {
            await CommitElsewhereAndFlushAsync(1);
            tx.Truncate(table);
            await tx.CommitAsync();
        }

        Assert.Empty(await engine.ReadAllAsync("people"));
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.Put(table, EngineFixture.Row(table, 3, "three"));
            await tx.CommitAsync();
        }

        await using (var tx = engine.Database.BeginTransaction())
        {
            await CommitElsewhereAndFlushAsync(2);
            tx.AlterTable(table, new TableDefinition(
                table.Id, table.Schema, table.Name, [.. table.Columns, new ColumnDefinition("extra", "text", SegmentColumnKind.Utf8)], table.PrimaryKey));
            await tx.CommitAsync();
        }

        Assert.Equal([(3L, "three")], await engine.ReadAllAsync("people"));
    }
}
