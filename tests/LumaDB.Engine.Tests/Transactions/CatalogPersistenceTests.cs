using LumaDB.Engine.Catalog;

namespace LumaDB.Engine.Tests.Transactions;

public sealed class CatalogPersistenceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tables_and_rows_come_back_after_reopen(bool cleanClose)
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using (var tx = engine.Database.BeginTransaction())
        {
            var table = tx.CreateTable(EngineFixture.People());
            tx.Put(table, EngineFixture.Row(table, 1, "ada"));
            tx.Put(table, EngineFixture.Row(table, 2, "grace"));
            await tx.CommitAsync();
        }

        await using (var tx = engine.Database.BeginTransaction())
        {
            var table = tx.Catalog.FindTable("public", "people")!;
            tx.Put(table, EngineFixture.Row(table, 3, "edsger"));
            await tx.CommitAsync();
        }

        EngineFixture reopened;
        if (cleanClose)
        {
            await engine.ReopenAsync();
            reopened = engine;
        }
        else
        {
            reopened = await engine.CrashCopyAsync();
        }

        try
        {
            var table = reopened.Database.Catalog.FindTable("public", "people");
            Assert.NotNull(table);
            Assert.Equal(["id", "name"], table.Columns.Select(c => c.Name));
            Assert.Equal([0], table.PrimaryKey);
            Assert.Equal([(1L, "ada"), (2L, "grace"), (3L, "edsger")], await reopened.ReadAllAsync("people"));
        }
        finally
        {
            if (!cleanClose)
            {
                await reopened.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Rows_written_after_a_flush_and_before_a_crash_come_back_with_the_flushed_ones()
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using (var tx = engine.Database.BeginTransaction())
        {
            var table = tx.CreateTable(EngineFixture.People());
            tx.Put(table, EngineFixture.Row(table, 1, "flushed"));
            await tx.CommitAsync();
        }

        await engine.Database.FlushAsync();
        await using (var tx = engine.Database.BeginTransaction())
        {
            var table = tx.Catalog.FindTable("public", "people")!;
            tx.Put(table, EngineFixture.Row(table, 2, "in the wal"));
            await tx.CommitAsync();
        }

        await using var crashed = await engine.CrashCopyAsync();
        Assert.Equal([(1L, "flushed"), (2L, "in the wal")], await crashed.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Ddl_rolled_back_leaves_nothing_and_its_ids_are_not_reused()
    {
        await using var engine = await EngineFixture.OpenAsync();
        ulong rolledBackId;
        await using (var tx = engine.Database.BeginTransaction())
        {
            rolledBackId = tx.CreateTable(EngineFixture.People()).Id;
            tx.CreateSchema("scratch");
            tx.Rollback();
        }

        Assert.Null(engine.Database.Catalog.FindTable("public", "people"));
        Assert.DoesNotContain("scratch", engine.Database.Catalog.Schemas);

        ulong firstId;
        await using (var tx = engine.Database.BeginTransaction())
        {
            firstId = tx.CreateTable(EngineFixture.People()).Id;
            await tx.CommitAsync();
        }

        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.DropTable(tx.Catalog.FindTable("public", "people")!);
            await tx.CommitAsync();
        }

        await engine.ReopenAsync();
        Assert.Null(engine.Database.Catalog.FindTable("public", "people"));
        await using (var tx = engine.Database.BeginTransaction())
        {
            var again = tx.CreateTable(EngineFixture.People());
            Assert.NotEqual(firstId, again.Id);
            Assert.NotEqual(rolledBackId, again.Id);
            Assert.True(again.Id > firstId);
            await tx.CommitAsync();
        }

        Assert.Empty(await engine.ReadAllAsync("people"));
    }

    [Fact]
    public async Task Schemas_views_indexes_and_roles_survive_reopen()
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using (var tx = engine.Database.BeginTransaction())
        {
            tx.CreateSchema("ops");
            var table = tx.CreateTable(EngineFixture.People() is var p
                ? new TableDefinition(0, "ops", "hosts", p.Columns, p.PrimaryKey, options: new Dictionary<string, string> { ["ttl"] = "7d" })
                : null!);
            tx.CreateIndex(new IndexDefinition(0, "ops", "hosts_name", table.Id, ["name"], "btree", false, new Dictionary<string, string>()));
            tx.CreateView(new ViewDefinition(0, "ops", "host_names", "SELECT name FROM ops.hosts", ["name"]), orReplace: false);
            tx.PutRole(new RoleDefinition("reader", CanLogin: true, IsSuperuser: false, ScramVerifier: "SCRAM-SHA-256$4096:c2FsdA==$a:b", Md5Hash: null));
            await tx.CommitAsync();
        }

        var before = engine.Database.Catalog.Version;
        await engine.ReopenAsync();
        var catalog = engine.Database.Catalog;
        Assert.Contains("ops", catalog.Schemas);
        var hosts = catalog.FindTable("ops", "hosts");
        Assert.NotNull(hosts);
        Assert.Equal("7d", hosts.Options["ttl"]);
        var index = Assert.Single(catalog.Indexes);
        Assert.Equal(hosts.Id, index.TableId);
        Assert.Equal(["name"], index.Columns);
        Assert.Equal("SELECT name FROM ops.hosts", catalog.FindView("ops", "host_names")?.QueryText);
        Assert.Equal("SCRAM-SHA-256$4096:c2FsdA==$a:b", catalog.FindRole("reader")?.ScramVerifier);
        Assert.True(before > 0);
    }

    [Fact]
    public async Task Creating_a_table_twice_is_refused()
    {
        await using var engine = await EngineFixture.OpenAsync();
        await using var tx = engine.Database.BeginTransaction();
        tx.CreateTable(EngineFixture.People());
        var error = Assert.Throws<CatalogException>(() => tx.CreateTable(EngineFixture.People()));
        Assert.Equal(CatalogErrorKind.AlreadyExists, error.Kind);
    }
}
