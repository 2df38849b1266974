using LumaDB.Query.Sql.Catalog;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>CHECK constraints: declared, named, enforced and altered as in PostgreSQL 15 (messages and names are its own).</summary>
public sealed class SqlCheckConstraintTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await _db.RunAsync("CREATE TABLE ck (a int, b int CHECK (b > 0), CHECK (a < b), CHECK (1 < 2), CONSTRAINT named CHECK (b < 100), CHECK (b > 0))");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Unnamed_constraints_are_named_after_the_one_column_they_read_or_the_table() =>
        Assert.Equal(
            ["ck_b_check|CHECK ((b > 0))", "ck_b_check1|CHECK ((b > 0))", "ck_check|CHECK ((a < b))", "ck_check1|CHECK ((1 < 2))", "named|CHECK ((b < 100))"],
            await _db.LinesAsync("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'ck'::regclass AND contype = 'c' ORDER BY 1"));

    [Fact]
    public async Task A_row_that_makes_a_condition_false_is_refused_and_null_passes()
    {
        var error = await _db.ErrorAsync("INSERT INTO ck VALUES (5, 1)");
        Assert.Equal(("23514", "new row for relation \"ck\" violates check constraint \"ck_check\"", "Failing row contains (5, 1)."), (error.SqlState, error.Message, error.Detail));

        await _db.RunAsync("INSERT INTO ck VALUES (NULL, NULL), (1, 2)");
        error = await _db.ErrorAsync("INSERT INTO ck VALUES (2, 3), (3, 200)");
        Assert.Equal("new row for relation \"ck\" violates check constraint \"named\"", error.Message);
        Assert.Equal(["1|2", "NULL|NULL"], await _db.LinesAsync("SELECT * FROM ck ORDER BY a"));
    }

    [Fact]
    public async Task Updates_and_upserts_are_checked_on_the_new_row()
    {
        await _db.RunAsync("CREATE TABLE kv (k int PRIMARY KEY, v int CHECK (v >= 0))");
        await _db.RunAsync("INSERT INTO kv VALUES (1, 5)");

        var error = await _db.ErrorAsync("UPDATE kv SET v = v - 10");
        Assert.Equal("new row for relation \"kv\" violates check constraint \"kv_v_check\"", error.Message);
        error = await _db.ErrorAsync("INSERT INTO kv VALUES (1, 0) ON CONFLICT (k) DO UPDATE SET v = -1");
        Assert.Equal(("23514", "Failing row contains (1, -1)."), (error.SqlState, error.Detail));
        Assert.Equal(["1|5"], await _db.LinesAsync("SELECT * FROM kv"));
    }

    [Fact]
    public async Task Adding_a_constraint_checks_the_rows_already_there()
    {
        await _db.RunAsync("INSERT INTO ck VALUES (1, 2), (5, 9)");

        var error = await _db.ErrorAsync("ALTER TABLE ck ADD CONSTRAINT small_a CHECK (a < 3)");
        Assert.Equal(("23514", "check constraint \"small_a\" of relation \"ck\" is violated by some row"), (error.SqlState, error.Message));
        await _db.RunAsync("ALTER TABLE ck ADD CONSTRAINT small_a CHECK (a < 10)");
        Assert.Equal("new row for relation \"ck\" violates check constraint \"small_a\"", (await _db.ErrorAsync("INSERT INTO ck VALUES (20, 30)")).Message);

        error = await _db.ErrorAsync("ALTER TABLE ck ADD CONSTRAINT named CHECK (a > 0)");
        Assert.Equal(("42710", "constraint \"named\" for relation \"ck\" already exists"), (error.SqlState, error.Message));
    }

    [Fact]
    public async Task Dropping_a_constraint_or_its_column_lifts_it_and_renaming_a_column_keeps_it()
    {
        await _db.RunAsync("ALTER TABLE ck DROP CONSTRAINT named");
        Assert.Equal(("42704", "constraint \"nosuch\" of relation \"ck\" does not exist"), await ErrorOf("ALTER TABLE ck DROP CONSTRAINT nosuch"));
        await _db.RunAsync("ALTER TABLE ck DROP CONSTRAINT IF EXISTS nosuch");
        await _db.RunAsync("CREATE TABLE keyed (id int PRIMARY KEY)");
        Assert.Equal(("0A000", "dropping a primary key is not supported"), await ErrorOf("ALTER TABLE keyed DROP CONSTRAINT keyed_pkey"));
        await _db.RunAsync("INSERT INTO ck VALUES (1, 150)");

        await _db.RunAsync("ALTER TABLE ck RENAME COLUMN a TO aa");
        Assert.Equal("new row for relation \"ck\" violates check constraint \"ck_check\"", (await _db.ErrorAsync("INSERT INTO ck VALUES (200, 150)")).Message);

        // Every constraint that reads the dropped column goes with it.
        await _db.RunAsync("ALTER TABLE ck DROP COLUMN aa");
        Assert.Equal(
            ["ck_b_check", "ck_b_check1", "ck_check1"],
            await _db.LinesAsync("SELECT conname FROM pg_constraint WHERE conrelid = 'ck'::regclass AND contype = 'c' ORDER BY 1"));
    }

    [Theory]
    [InlineData("CREATE TABLE bad (a int CHECK (a + 1))", "42804", "argument of CHECK must be type boolean, not type integer")]
    [InlineData("CREATE TABLE bad (a int CHECK (zz > 1))", "42703", "column \"zz\" does not exist")]
    [InlineData("CREATE TABLE bad (a int CHECK (a > (SELECT 1)))", "0A000", "cannot use subquery in check constraint")]
    [InlineData("CREATE TABLE bad (a int CHECK (a > 0), CONSTRAINT bad_a_check CHECK (a < 9))", "42710", "check constraint \"bad_a_check\" already exists")]
    public async Task A_bad_condition_is_refused_when_the_table_is_created(string sql, string state, string message)
    {
        Assert.Equal((state, message), await ErrorOf(sql));
        Assert.Empty(await _db.LinesAsync("SELECT relname FROM pg_class WHERE relname = 'bad'"));
    }

    [Fact]
    public async Task Add_column_with_a_check_is_refused_rather_than_left_unchecked()
    {
        var error = await _db.ErrorAsync("ALTER TABLE ck ADD COLUMN c int CHECK (c > 0)");
        Assert.Equal(("0A000", "Add the column, then ADD CONSTRAINT ... CHECK (...)."), (error.SqlState, error.Hint));
        Assert.Empty(await _db.LinesAsync("SELECT attname FROM pg_attribute WHERE attrelid = 'ck'::regclass AND attname = 'c'"));
    }

    [Fact]
    public async Task A_non_boolean_condition_points_at_itself() =>
        Assert.Equal(32, (await _db.ErrorAsync("CREATE TABLE bad (a int CHECK (a + 1))")).Position);

    private async Task<(string, string)> ErrorOf(string sql) => (await _db.ErrorAsync(sql)) is var e ? (e.SqlState, e.Message) : default;
}
