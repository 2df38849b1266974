using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>FOREIGN KEY constraints: checked when a statement's rows are written, with PostgreSQL's messages, actions and locking.</summary>
public sealed class SqlForeignKeyTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await _db.RunAsync("CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE)");
        await _db.RunAsync("CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent, code text REFERENCES parent (code))");
        await _db.RunAsync("INSERT INTO parent VALUES (1, 'a'), (2, 'b')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Task<(List<string?[]> Rows, string Tag)> Run(SqlSession session, string sql) => SqlTestDatabase.RunAsync(session, sql);

    [Fact]
    public async Task A_reference_to_a_missing_key_is_refused_and_a_null_reference_passes()
    {
        var error = await _db.ErrorAsync("INSERT INTO child VALUES (10, 3, NULL)");
        Assert.Equal(
            ("23503", "insert or update on table \"child\" violates foreign key constraint \"child_parent_id_fkey\"", "Key (parent_id)=(3) is not present in table \"parent\"."),
            (error.SqlState, error.Message, error.Detail));
        Assert.Equal("child_code_fkey", (await _db.ErrorAsync("INSERT INTO child VALUES (10, 1, 'zz')")).Constraint);

        await _db.RunAsync("INSERT INTO child VALUES (10, NULL, NULL), (11, 1, 'b')");
        Assert.Equal("23503", (await _db.ErrorAsync("UPDATE child SET parent_id = 9 WHERE id = 11")).SqlState);
        Assert.Equal(["10|NULL|NULL", "11|1|b"], await _db.LinesAsync("SELECT * FROM child ORDER BY id"));
    }

    [Fact]
    public async Task Rows_are_checked_when_the_statement_has_written_them_all()
    {
        await _db.RunAsync("CREATE TABLE node (id int PRIMARY KEY, up int REFERENCES node)");
        await _db.RunAsync("INSERT INTO node VALUES (2, 1), (1, NULL), (3, 2)");

        // NO ACTION looks at the end of the statement: deleting a row with everything referencing it passes.
        await _db.RunAsync("DELETE FROM node");
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM node"));
    }

    [Fact]
    public async Task A_referenced_row_cannot_go_while_referenced_and_its_key_cannot_change()
    {
        await _db.RunAsync("INSERT INTO child VALUES (10, 1, 'b')");
        var error = await _db.ErrorAsync("DELETE FROM parent WHERE id = 1");
        Assert.Equal(
            ("23503", "update or delete on table \"parent\" violates foreign key constraint \"child_parent_id_fkey\" on table \"child\"", "Key (id)=(1) is still referenced from table \"child\"."),
            (error.SqlState, error.Message, error.Detail));
        Assert.Equal("child_code_fkey", (await _db.ErrorAsync("UPDATE parent SET code = 'c' WHERE id = 2")).Constraint);

        // Changing other columns, or keys nobody references, is fine.
        await _db.RunAsync("UPDATE parent SET code = 'z' WHERE id = 1");
        await _db.RunAsync("DELETE FROM child");
        await _db.RunAsync("DELETE FROM parent");
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM parent"));
    }

    [Fact]
    public async Task Cascades_set_null_and_set_default_act_on_the_referencing_rows_down_a_chain()
    {
        await _db.RunAsync("CREATE TABLE a (id int PRIMARY KEY)");
        await _db.RunAsync("CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a ON DELETE CASCADE ON UPDATE CASCADE)");
        await _db.RunAsync("CREATE TABLE c (id int PRIMARY KEY, b_id int DEFAULT 0 REFERENCES b ON DELETE SET DEFAULT, b_too int REFERENCES b ON DELETE SET NULL)");
        await _db.RunAsync("INSERT INTO a VALUES (1), (2)");
        await _db.RunAsync("INSERT INTO b VALUES (0, NULL), (10, 1), (20, 2)");
        await _db.RunAsync("INSERT INTO c VALUES (100, 10, 10), (200, 20, 20)");

        await _db.RunAsync("UPDATE a SET id = 5 WHERE id = 2");
        Assert.Equal(["0|NULL", "10|1", "20|5"], await _db.LinesAsync("SELECT * FROM b ORDER BY id"));
        await _db.RunAsync("DELETE FROM a WHERE id = 1");
        Assert.Equal(["0|NULL", "20|5"], await _db.LinesAsync("SELECT * FROM b ORDER BY id"));
        Assert.Equal(["100|0|NULL", "200|20|20"], await _db.LinesAsync("SELECT * FROM c ORDER BY id"));
    }

    [Fact]
    public async Task Deleting_a_row_waits_for_a_transaction_that_referenced_it_and_then_sees_its_reference()
    {
        await using var other = _db.NewSession();
        await Run(other, "BEGIN");
        await Run(other, "INSERT INTO child VALUES (10, 1, NULL)");
        var deleting = _db.RunAsync("DELETE FROM parent WHERE id = 1");
        await Task.Delay(100);
        Assert.False(deleting.IsCompleted);
        await Run(other, "COMMIT");
        var error = await Assert.ThrowsAsync<SqlException>(() => deleting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SqlState.ForeignKeyViolation, error.SqlState);
        Assert.Equal(0, _db.Database.HeldRowLocks);
    }

    [Fact]
    public async Task Referencing_waits_for_a_transaction_deleting_the_row_and_fails_if_it_commits()
    {
        await using var other = _db.NewSession();
        await Run(other, "BEGIN");
        await Run(other, "DELETE FROM parent WHERE id = 2");
        var referencing = _db.RunAsync("INSERT INTO child VALUES (10, 2, NULL)");
        await Task.Delay(100);
        Assert.False(referencing.IsCompleted);
        await Run(other, "COMMIT");
        Assert.Equal(SqlState.ForeignKeyViolation, (await Assert.ThrowsAsync<SqlException>(() => referencing.WaitAsync(TimeSpan.FromSeconds(10)))).SqlState);

        await Run(other, "BEGIN");
        await Run(other, "DELETE FROM parent WHERE id = 1");
        referencing = _db.RunAsync("INSERT INTO child VALUES (11, 1, NULL)");
        await Task.Delay(100);
        Assert.False(referencing.IsCompleted);
        await Run(other, "ROLLBACK");
        Assert.Equal("INSERT 0 1", (await referencing.WaitAsync(TimeSpan.FromSeconds(10))).Tag);
    }

    [Fact]
    public async Task Two_transactions_referencing_one_row_do_not_wait_for_each_other()
    {
        await using var first = _db.NewSession();
        await using var second = _db.NewSession();
        await Run(first, "BEGIN");
        await Run(second, "BEGIN");
        await Run(first, "INSERT INTO child VALUES (10, 1, 'a')");
        await Run(second, "INSERT INTO child VALUES (11, 1, 'a')").WaitAsync(TimeSpan.FromSeconds(5));
        await Run(first, "COMMIT");
        await Run(second, "COMMIT");
        Assert.Equal(["2"], await _db.LinesAsync("SELECT count(*) FROM child"));
    }

    [Fact]
    public async Task The_unique_constraint_a_reference_finds_its_rows_by_cannot_be_dropped()
    {
        var error = await _db.ErrorAsync("ALTER TABLE parent DROP CONSTRAINT parent_code_key");
        Assert.Equal(("2BP01", "cannot drop constraint parent_code_key on table parent because other objects depend on it"), (error.SqlState, error.Message));
        Assert.Equal("2BP01", (await _db.ErrorAsync("DROP INDEX parent_code_key")).SqlState);
        await _db.RunAsync("ALTER TABLE child DROP CONSTRAINT child_code_fkey");
        await _db.RunAsync("ALTER TABLE parent DROP CONSTRAINT parent_code_key");
        await _db.RunAsync("INSERT INTO child VALUES (10, 1, 'anything')");
    }

    [Fact]
    public async Task Truncate_and_drop_of_a_referenced_table_are_refused_unless_cascaded()
    {
        var error = await _db.ErrorAsync("TRUNCATE parent");
        Assert.Equal(("0A000", "cannot truncate a table referenced in a foreign key constraint"), (error.SqlState, error.Message));
        await _db.RunAsync("TRUNCATE parent, child");
        Assert.Equal("2BP01", (await _db.ErrorAsync("DROP TABLE parent")).SqlState);
        await _db.RunAsync("DROP TABLE parent CASCADE");
        await _db.RunAsync("INSERT INTO child VALUES (10, 99, 'zz')");
        Assert.Empty(await _db.LinesAsync("SELECT conname FROM pg_constraint WHERE contype = 'f'"));
    }

    [Fact]
    public async Task Declaring_checks_the_referenced_key_and_types_as_postgresql_does()
    {
        await _db.RunAsync("CREATE TABLE plain (id int, v text)");
        Assert.Equal(("42830", "there is no primary key for referenced table \"plain\""), await ErrorOf("CREATE TABLE x (p int REFERENCES plain)"));
        Assert.Equal(("42830", "there is no unique constraint matching given keys for referenced table \"plain\""), await ErrorOf("CREATE TABLE x (p int REFERENCES plain (id))"));
        Assert.Equal(("42830", "number of referencing and referenced columns for foreign key disagree"), await ErrorOf("CREATE TABLE x (p int, q int, FOREIGN KEY (p, q) REFERENCES parent (id))"));
        Assert.Equal(("42804", "foreign key constraint \"x_p_fkey\" cannot be implemented"), await ErrorOf("CREATE TABLE x (p text REFERENCES parent)"));
        Assert.Equal(("42P01", "relation \"nosuch\" does not exist"), await ErrorOf("CREATE TABLE x (p int REFERENCES nosuch)"));
        await _db.RunAsync("CREATE TABLE expiring (id int, ts timestamp, PRIMARY KEY (id, ts)) WITH (time_index = 'ts', ttl = '7d')");
        Assert.Equal("0A000", (await ErrorOf("CREATE TABLE x (p int, t timestamp, FOREIGN KEY (p, t) REFERENCES expiring)")).Item1);

        // An integer column may reference a bigint key.
        await _db.RunAsync("CREATE TABLE wide (id bigint PRIMARY KEY)");
        await _db.RunAsync("INSERT INTO wide VALUES (7)");
        await _db.RunAsync("CREATE TABLE narrow (w smallint REFERENCES wide)");
        await _db.RunAsync("INSERT INTO narrow VALUES (7)");
        Assert.Equal("Key (w)=(8) is not present in table \"wide\".", (await _db.ErrorAsync("INSERT INTO narrow VALUES (8)")).Detail);

        async Task<(string, string)> ErrorOf(string sql) => (await _db.ErrorAsync(sql)) is var e ? (e.SqlState, e.Message) : default;
    }
}
