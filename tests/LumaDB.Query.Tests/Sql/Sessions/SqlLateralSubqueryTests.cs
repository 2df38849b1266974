namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary><c>LATERAL (subquery)</c> in FROM: the subquery runs per row of the items before it. Expected rows are PostgreSQL 15's.</summary>
public sealed class SqlLateralSubqueryTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE sales (id int PRIMARY KEY, region text, amount int)");
        await _db.RunAsync("INSERT INTO sales VALUES (1, 'n', 5), (2, 'n', 9), (3, 'n', 7), (4, 's', 3), (5, 's', 8), (6, 'e', 1)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Top_n_per_group_reads_the_left_row() =>
        Assert.Equal(
            ["e|1", "n|9", "n|7", "s|8", "s|3"],
            await _db.LinesAsync(
                "SELECT r.region, t.amount FROM (SELECT DISTINCT region FROM sales) r, " +
                "LATERAL (SELECT amount FROM sales s WHERE s.region = r.region ORDER BY amount DESC LIMIT 2) t ORDER BY 1, 2 DESC"));

    [Fact]
    public async Task Cross_join_lateral_drops_and_left_join_lateral_keeps_rows_without_matches()
    {
        const string Best = "(SELECT amount FROM sales s WHERE s.region = r.region AND amount > 4 ORDER BY amount DESC LIMIT 1) t";
        Assert.Equal(["n|9", "s|8"], await _db.LinesAsync($"SELECT r.region, t.amount FROM (SELECT DISTINCT region FROM sales) r CROSS JOIN LATERAL {Best} ORDER BY 1"));
        Assert.Equal(["e|NULL", "n|9", "s|8"], await _db.LinesAsync($"SELECT r.region, t.amount FROM (SELECT DISTINCT region FROM sales) r LEFT JOIN LATERAL {Best} ON true ORDER BY 1"));
    }

    [Fact]
    public async Task Join_lateral_filters_with_its_condition() =>
        Assert.Equal(
            ["n|3", "s|2"],
            await _db.LinesAsync("SELECT r.region, t.c FROM (SELECT DISTINCT region FROM sales) r JOIN LATERAL (SELECT count(*) c FROM sales s WHERE s.region = r.region) t ON t.c > 1 ORDER BY 1"));

    [Fact]
    public async Task A_lateral_subquery_inside_a_correlated_subquery_sees_both_rows() =>
        Assert.Equal(
            ["1|2", "2|3"],
            await _db.LinesAsync("SELECT x, (SELECT y FROM (VALUES (1)) z(q), LATERAL (SELECT q + x AS y) w) FROM (VALUES (1), (2)) v(x)"));

    [Fact]
    public async Task A_lateral_subquery_first_in_from_is_a_plain_subquery() =>
        Assert.Equal(["1"], await _db.LinesAsync("SELECT * FROM LATERAL (SELECT 1 AS a) s"));

    [Fact]
    public async Task A_left_join_lateral_condition_decides_which_subquery_rows_match() =>
        Assert.Equal(
            ["e|NULL", "n|7", "n|9", "s|8"],
            await _db.LinesAsync(
                "SELECT r.region, t.a FROM (SELECT DISTINCT region FROM sales) r " +
                "LEFT JOIN LATERAL (SELECT amount a FROM sales s WHERE s.region = r.region) t ON t.a > 6 ORDER BY 1, 2"));

    [Fact]
    public async Task A_table_too_large_to_keep_for_every_run_is_read_again_instead_of_failing()
    {
        await _db.RunAsync("CREATE TABLE big (id int PRIMARY KEY, g int, v int)");
        await _db.RunAsync("INSERT INTO big SELECT n, n % 3, n FROM generate_series(1, 5000) n");
        var session = _db.NewSession();
        session.WorkMemoryBytes = 64 * 1024;
        var (rows, _) = await SqlTestDatabase.RunAsync(session, "SELECT g, (SELECT max(v) FROM big b WHERE b.g = k.g) FROM (VALUES (0), (1), (2)) k(g) ORDER BY g");
        Assert.Equal(["0|4998", "1|4999", "2|5000"], rows.Select(r => string.Join('|', r)));
        (rows, _) = await SqlTestDatabase.RunAsync(session, "SELECT k.g, t.v FROM (VALUES (0), (1)) k(g), LATERAL (SELECT v FROM big b WHERE b.g = k.g ORDER BY v DESC LIMIT 1) t ORDER BY 1");
        Assert.Equal(["0|4998", "1|4999"], rows.Select(r => string.Join('|', r)));
    }

    [Fact]
    public async Task Scalar_and_exists_subqueries_are_named_for_their_column()
    {
        var result = await _db.Session.ExecuteAsync(_db.Session.Prepare("SELECT (SELECT count(*) FROM sales), (SELECT 1 AS a), EXISTS (SELECT 1)"), []);
        Assert.Equal(["count", "a", "exists"], result.Columns.Select(c => c.Name).ToArray());
    }
}
