namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>
/// Errors found while a statement is analysed point at the syntax they arose from (the 'P' field psql shows as a
/// LINE with a caret). Expected messages and 1-based positions are PostgreSQL 15's for the same statements.
/// </summary>
public sealed class SqlErrorPositionTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE t (a int, b text, c timestamptz)");
        await _db.RunAsync("CREATE TABLE u (a int, d text)");
        await _db.RunAsync("CREATE VIEW v AS SELECT a, b FROM t");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("SELECT nosuch FROM t", "42703", "column \"nosuch\" does not exist", 8)]
    [InlineData("SELECT a, b FROM nosuch", "42P01", "relation \"nosuch\" does not exist", 18)]
    [InlineData("SELECT t.a FROM t JOIN nosuch ON true", "42P01", "relation \"nosuch\" does not exist", 24)]
    [InlineData("SELECT lower(b) FROM public.nosuch", "42P01", "relation \"public.nosuch\" does not exist", 22)]
    [InlineData("SELECT * FROM unnest('{1,2}')", "42725", "function unnest(unknown) is not unique", 15)]
    [InlineData("SELECT * FROM t, nosuchfn(t.a)", "42883", "function nosuchfn(integer) does not exist", 18)]
    [InlineData("SELECT * FROM count(*)", "42803", "aggregate functions are not allowed in functions in FROM", 15)]
    [InlineData("SELECT a FROM t, u", "42702", "column reference \"a\" is ambiguous", 8)]
    [InlineData("SELECT t.zz FROM t", "42703", "column t.zz does not exist", 8)]
    [InlineData("SELECT q.a FROM t", "42P01", "missing FROM-clause entry for table \"q\"", 8)]
    [InlineData("SELECT nosuchfn(a) FROM t", "42883", "function nosuchfn(integer) does not exist", 8)]
    [InlineData("SELECT a FROM t WHERE a ~~ 1", "42883", "operator does not exist: integer ~~ integer", 25)]
    [InlineData("SELECT 'abc'::int", "22P02", "invalid input syntax for type integer: \"abc\"", 8)]
    [InlineData("SELECT 1 FROM t WHERE a = 'x'", "22P02", "invalid input syntax for type integer: \"x\"", 27)]
    [InlineData("SELECT coalesce(a, 'x') FROM t", "22P02", "invalid input syntax for type integer: \"x\"", 20)]
    [InlineData("SELECT a::nosuchtype FROM t", "42704", "type \"nosuchtype\" does not exist", 11)]
    [InlineData("SELECT a FROM t WHERE b", "42804", "argument of WHERE must be type boolean, not type text", 23)]
    [InlineData("SELECT a FROM t WHERE a > 1 AND b", "42804", "argument of AND must be type boolean, not type text", 33)]
    [InlineData("SELECT CASE WHEN a THEN 1 END FROM t", "42804", "argument of CASE/WHEN must be type boolean, not type integer", 18)]
    [InlineData("SELECT a FROM t JOIN u USING (a) JOIN u w ON t.a", "42804", "argument of JOIN/ON must be type boolean, not type integer", 46)]
    [InlineData("SELECT sum(a) FILTER (WHERE b) FROM t", "42804", "argument of FILTER must be type boolean, not type text", 29)]
    [InlineData("SELECT a, count(*) FROM t", "42803", "column \"t.a\" must appear in the GROUP BY clause or be used in an aggregate function", 8)]
    [InlineData("SELECT row_number() FROM t", "42809", "window function row_number requires an OVER clause", 8)]
    [InlineData("SELECT a FROM t\n  WHERE b = 'x' AND nosuch = 1", "42703", "column \"nosuch\" does not exist", 37)]
    [InlineData("UPDATE t SET a = 1 WHERE nosuch = 2", "42703", "column \"nosuch\" does not exist", 26)]
    [InlineData("INSERT INTO public.nosuch VALUES (1)", "42P01", "relation \"public.nosuch\" does not exist", 13)]
    [InlineData("UPDATE nosuch SET a = 1", "42P01", "relation \"nosuch\" does not exist", 8)]
    [InlineData("DELETE FROM nosuch", "42P01", "relation \"nosuch\" does not exist", 13)]
    public async Task An_analysis_error_points_where_postgresql_points(string sql, string state, string message, int position)
    {
        var error = await _db.ErrorAsync(sql);
        Assert.Equal((state, message, position), (error.SqlState, error.Message, error.Position));
    }

    [Fact]
    public async Task An_operator_error_points_at_the_operator()
    {
        var error = await _db.ErrorAsync("SELECT a + b FROM t");
        Assert.Equal(("operator does not exist: integer + text", 10), (error.Message, error.Position));
    }

    [Theory]
    [InlineData("SELECT 1/0")]
    [InlineData("SELECT a FROM v WHERE a / 0 = 1")]
    public async Task A_run_time_error_points_at_nothing(string sql)
    {
        await _db.RunAsync("INSERT INTO t VALUES (1, 'x', now())");
        var error = await _db.ErrorAsync(sql);
        Assert.Equal(("22012", null), (error.SqlState, error.Position));
    }
}
