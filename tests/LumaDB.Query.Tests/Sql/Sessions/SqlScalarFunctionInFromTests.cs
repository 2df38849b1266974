namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>An ordinary function called in FROM is one row of one column. Expected rows are PostgreSQL 15's.</summary>
public sealed class SqlScalarFunctionInFromTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE t (a int, b text)");
        await _db.RunAsync("INSERT INTO t VALUES (1, 'x'), (5, 'y'), (7, NULL)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("SELECT * FROM lower('ABC')", "lower", "abc")]
    [InlineData("SELECT * FROM lower('ABC') f", "f", "abc")]
    [InlineData("SELECT * FROM lower('ABC') f(c)", "c", "abc")]
    [InlineData("SELECT f.c FROM lower('ABC') AS f(c)", "c", "abc")]
    public async Task The_alias_names_the_one_column(string sql, string column, string value)
    {
        var name = _db.Session.Prepare(sql).Columns.Single().Name;
        Assert.Equal((column, value), (name, (await _db.LinesAsync(sql)).Single()));
    }

    [Fact]
    public async Task A_call_reads_the_from_items_before_it() =>
        Assert.Equal(["1|4", "5|0", "7|2"], await _db.LinesAsync("SELECT t.a, x FROM t, abs(t.a - 5) x ORDER BY 1"));

    [Fact]
    public async Task Join_conditions_and_left_joins_apply_to_the_call_row()
    {
        Assert.Equal(["1|4", "7|2"], await _db.LinesAsync("SELECT t.a, x FROM t JOIN abs(t.a - 5) x ON x > 0 ORDER BY 1"));
        Assert.Equal(["1|X", "5|Y", "7|NULL"], await _db.LinesAsync("SELECT t.a, y FROM t LEFT JOIN LATERAL upper(t.b) y ON true ORDER BY 1"));
    }

    [Fact]
    public async Task Several_calls_cross_join() =>
        Assert.Equal(["3|x"], await _db.LinesAsync("SELECT * FROM length('abc'), lower('X')"));
}
