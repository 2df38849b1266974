using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Queries over real tables: one test per construct.</summary>
public sealed class SqlQueryTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE t (id int PRIMARY KEY, grp text, v int, f float8)");
        await _db.RunAsync("INSERT INTO t VALUES (1, 'a', 10, 1.5), (2, 'a', 20, 2.5), (3, 'b', NULL, 3.5), (4, 'b', 40, NULL), (5, 'c', 50, 5.5)");
        await _db.RunAsync("CREATE TABLE u (id int, label text)");
        await _db.RunAsync("INSERT INTO u VALUES (1, 'one'), (2, 'two'), (2, 'two again'), (9, 'nine')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Regex_operators_match_as_postgres_does() =>
        Assert.Equal(
            ["1|t|f|t|f", "3|f|t|t|f"],
            await _db.LinesAsync("SELECT id, grp ~ '^a$', grp !~ 'a', upper(grp) ~* '[ab]', grp !~* '[AB]' FROM t WHERE id IN (1, 3) ORDER BY id"));

    [Fact]
    public async Task Regex_with_a_bad_pattern_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.LinesAsync("SELECT grp ~ '(' FROM t"));
        Assert.Equal("2201B", error.SqlState);
    }

    [Fact]
    public async Task Collate_accepts_the_byte_order_collations_and_refuses_others()
    {
        Assert.Equal(["1"], await _db.LinesAsync("SELECT id FROM t WHERE grp = 'a' COLLATE \"C\" AND grp ~ '^(a)$' COLLATE pg_catalog.\"default\" AND id < 2"));
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.LinesAsync("SELECT grp COLLATE \"de_DE\" FROM t"));
        Assert.Equal("0A000", error.SqlState);
    }

    [Fact]
    public async Task Where_filters_rows() =>
        Assert.Equal(["2", "4"], await _db.LinesAsync("SELECT id FROM t WHERE v > 15 AND v < 45 ORDER BY id"));

    [Fact]
    public async Task Group_by_with_having_and_aggregates() =>
        Assert.Equal(
            ["a|2|30|15.0000000000000000|10|20", "b|2|40|40.0000000000000000|40|40"],
            await _db.LinesAsync("SELECT grp, count(*), sum(v), avg(v), min(v), max(v) FROM t GROUP BY grp HAVING count(*) > 1 ORDER BY grp"));

    [Fact]
    public async Task Aggregates_over_no_rows_give_one_row() =>
        Assert.Equal(["0|NULL"], await _db.LinesAsync("SELECT count(*), sum(v) FROM t WHERE id > 100"));

    [Fact]
    public async Task Statistical_and_text_aggregates() =>
        Assert.Equal(
            ["a,a,b,b,c|{10,20,NULL,40,50}|t|f|3"],
            await _db.LinesAsync("SELECT string_agg(grp, ',' ORDER BY id), array_agg(v ORDER BY id), bool_or(v > 45), bool_and(v > 15), count(DISTINCT grp) FROM t"));

    [Fact]
    public async Task Stddev_and_variance() =>
        Assert.Equal(["15.275252316519467|233.33333333333334"], await _db.LinesAsync("SELECT stddev(v::float8), variance(v::float8) FROM t WHERE id <= 4"));

    [Fact]
    public async Task Percentiles_within_group() =>
        Assert.Equal(["30|20"], await _db.LinesAsync("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_disc(0.5) WITHIN GROUP (ORDER BY v) FROM t"));

    [Fact]
    public async Task Order_by_nulls_first_and_last()
    {
        Assert.Equal(["1", "2", "4", "5", "3"], await _db.LinesAsync("SELECT id FROM t ORDER BY v"));
        Assert.Equal(["3", "5", "4", "2", "1"], await _db.LinesAsync("SELECT id FROM t ORDER BY v DESC"));
        Assert.Equal(["3", "1", "2", "4", "5"], await _db.LinesAsync("SELECT id FROM t ORDER BY v NULLS FIRST"));
        Assert.Equal(["5", "4", "2", "1", "3"], await _db.LinesAsync("SELECT id FROM t ORDER BY v DESC NULLS LAST"));
    }

    [Fact]
    public async Task Limit_offset_and_top_k() =>
        Assert.Equal(["4", "2"], await _db.LinesAsync("SELECT id FROM t WHERE v IS NOT NULL ORDER BY v DESC LIMIT 2 OFFSET 1"));

    [Fact]
    public async Task Distinct_and_distinct_on()
    {
        Assert.Equal(["a", "b", "c"], await _db.LinesAsync("SELECT DISTINCT grp FROM t ORDER BY grp"));
        Assert.Equal(["a|2", "b|4", "c|5"], await _db.LinesAsync("SELECT DISTINCT ON (grp) grp, id FROM t ORDER BY grp, id DESC"));
    }

    [Fact]
    public async Task Join_kinds()
    {
        Assert.Equal(["1|one", "2|two", "2|two again"], await _db.LinesAsync("SELECT t.id, u.label FROM t JOIN u ON t.id = u.id ORDER BY 1, 2"));
        Assert.Equal(6, (await _db.LinesAsync("SELECT t.id, u.label FROM t LEFT JOIN u ON t.id = u.id")).Length);
        Assert.Equal(["NULL|nine"], await _db.LinesAsync("SELECT t.id, u.label FROM t RIGHT JOIN u ON t.id = u.id WHERE t.id IS NULL"));
        Assert.Equal(7, (await _db.LinesAsync("SELECT * FROM t FULL JOIN u ON t.id = u.id")).Length);
        Assert.Equal(20, (await _db.LinesAsync("SELECT * FROM t CROSS JOIN u")).Length);
        Assert.Equal(["1|a|one"], await _db.LinesAsync("SELECT id, grp, label FROM t JOIN u USING (id) WHERE id = 1"));
        Assert.Equal(["3|1", "4|1", "4|2", "4|2", "5|1", "5|2", "5|2"], await _db.LinesAsync("SELECT t.id, u.id FROM t JOIN u ON t.id > u.id + 1 ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Scalar_in_and_exists_subqueries()
    {
        Assert.Equal(["4", "5"], await _db.LinesAsync("SELECT id FROM t WHERE v > (SELECT avg(v) FROM t) ORDER BY id"));
        Assert.Equal(["1", "2"], await _db.LinesAsync("SELECT id FROM t WHERE id IN (SELECT id FROM u) ORDER BY id"));
        Assert.Equal(["3", "4", "5"], await _db.LinesAsync("SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.id = t.id) ORDER BY id"));
    }

    [Fact]
    public async Task Correlated_scalar_subquery_runs_per_row() =>
        Assert.Equal(["1|0", "2|1", "3|2"], await _db.LinesAsync("SELECT id, (SELECT count(*) FROM t AS x WHERE x.id < t.id) FROM t WHERE id <= 3 ORDER BY id"));

    [Fact]
    public async Task Scalar_subquery_with_two_rows_is_an_error()
    {
        var error = await _db.ErrorAsync("SELECT (SELECT id FROM u)");
        Assert.Equal(SqlState.CardinalityViolation, error.SqlState);
    }

    [Fact]
    public async Task Ctes_and_recursive_ctes()
    {
        Assert.Equal(["30"], await _db.LinesAsync("WITH s AS (SELECT sum(v) AS total FROM t WHERE grp = 'a') SELECT total FROM s"));
        Assert.Equal(["15"], await _db.LinesAsync("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT sum(x) FROM n"));
    }

    [Fact]
    public async Task Set_operations()
    {
        Assert.Equal(["1", "2", "3", "4", "5", "9"], await _db.LinesAsync("SELECT id FROM t UNION SELECT id FROM u ORDER BY 1"));
        Assert.Equal(9, (await _db.LinesAsync("SELECT id FROM t UNION ALL SELECT id FROM u")).Length);
        Assert.Equal(["1", "2"], await _db.LinesAsync("SELECT id FROM t INTERSECT SELECT id FROM u ORDER BY 1"));
        Assert.Equal(["3", "4", "5"], await _db.LinesAsync("SELECT id FROM t EXCEPT SELECT id FROM u ORDER BY 1"));
        Assert.Equal(["2"], await _db.LinesAsync("SELECT id FROM u INTERSECT ALL SELECT 2 UNION ALL SELECT 3 EXCEPT ALL SELECT 3"));
    }

    [Fact]
    public async Task Case_and_casts() =>
        Assert.Equal(["1|small|10", "4|big|40"], await _db.LinesAsync("SELECT id, CASE WHEN v < 30 THEN 'small' ELSE 'big' END, v::text FROM t WHERE id IN (1, 4) ORDER BY id"));

    [Fact]
    public async Task Window_ranking_and_offsets() =>
        Assert.Equal(
            ["1|a|1|1|1|NULL|20", "2|a|2|2|2|10|NULL", "3|b|1|1|1|NULL|40", "4|b|2|2|2|NULL|NULL", "5|c|1|1|1|NULL|NULL"],
            await _db.LinesAsync("SELECT id, grp, row_number() OVER (PARTITION BY grp ORDER BY id), rank() OVER (PARTITION BY grp ORDER BY id), dense_rank() OVER (PARTITION BY grp ORDER BY id), lag(v) OVER (PARTITION BY grp ORDER BY id), lead(v) OVER (PARTITION BY grp ORDER BY id) FROM t ORDER BY id"));

    [Fact]
    public async Task Window_aggregates_with_frames() =>
        Assert.Equal(
            ["1|10|10|30|10", "2|30|30|30|10", "3|30|20|60|10", "4|70|40|90|10", "5|120|90|90|10"],
            await _db.LinesAsync("SELECT id, sum(v) OVER (ORDER BY id), sum(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), sum(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), first_value(v) OVER (ORDER BY id) FROM t ORDER BY id"));

    [Fact]
    public async Task Generate_series_over_integers_and_timestamps()
    {
        Assert.Equal(["1", "3", "5"], await _db.LinesAsync("SELECT * FROM generate_series(1, 5, 2)"));
        Assert.Equal(
            ["2024-01-01 00:00:00+00", "2024-01-01 12:00:00+00", "2024-01-02 00:00:00+00"],
            await _db.LinesAsync("SELECT g FROM generate_series('2024-01-01'::timestamptz, '2024-01-02'::timestamptz, '12 hours') AS g"));
    }

    [Fact]
    public async Task Values_without_tables() =>
        Assert.Equal(["1|x", "2|y"], await _db.LinesAsync("SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS v(n, s) ORDER BY n"));

    [Fact]
    public async Task Unknown_table_and_column_errors()
    {
        Assert.Equal(SqlState.UndefinedTable, (await _db.ErrorAsync("SELECT * FROM missing")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn, (await _db.ErrorAsync("SELECT nope FROM t")).SqlState);
        Assert.Equal(SqlState.GroupingError, (await _db.ErrorAsync("SELECT grp, v FROM t GROUP BY grp")).SqlState);
        Assert.Equal(SqlState.AmbiguousColumn, (await _db.ErrorAsync("SELECT id FROM t, u")).SqlState);
    }

    [Fact]
    public async Task Explain_shows_pushed_filter_and_analyze_counts_rows()
    {
        var plan = string.Join('\n', await _db.LinesAsync("EXPLAIN SELECT id FROM t WHERE v > 15 ORDER BY id LIMIT 2"));
        Assert.Contains("Seq Scan on t", plan, StringComparison.Ordinal);
        Assert.Contains("Storage Filter: v", plan, StringComparison.Ordinal);
        Assert.Contains("Top-K Sort", plan, StringComparison.Ordinal);
        var analyzed = string.Join('\n', await _db.LinesAsync("EXPLAIN ANALYZE SELECT id FROM t WHERE v > 15"));
        Assert.Contains("actual rows=3", analyzed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_are_typed_from_context_and_plans_are_cached()
    {
        var prepared = _db.Session.Prepare("SELECT id FROM t WHERE v > $1 ORDER BY id");
        Assert.Equal(SqlType.Int4, prepared.ParameterTypes[0]);
        var again = _db.Session.Prepare("SELECT id FROM t WHERE v > $1 ORDER BY id");
        Assert.Same(prepared, again);
        Assert.Equal(["4", "5"], await _db.LinesAsync("SELECT id FROM t WHERE v > $1 ORDER BY id", 30));
        await _db.RunAsync("ALTER TABLE t ADD COLUMN extra int");
        Assert.NotSame(prepared, _db.Session.Prepare("SELECT id FROM t WHERE v > $1 ORDER BY id"));
    }

    [Fact]
    public async Task Memory_limit_fails_cleanly_with_53200()
    {
        _db.Session.WorkMemoryBytes = 1000;
        var error = await _db.ErrorAsync("SELECT * FROM generate_series(1, 100000) ORDER BY 1");
        Assert.Equal(SqlState.OutOfMemory, error.SqlState);
        _db.Session.WorkMemoryBytes = 0;
        Assert.Equal(["1"], await _db.LinesAsync("SELECT 1"));
    }

    [Fact]
    public async Task Cancellation_stops_the_statement()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var prepared = _db.Session.Prepare("SELECT count(*) FROM generate_series(1, 1000000)");
        var error = await Assert.ThrowsAsync<SqlException>(async () => await _db.Session.ExecuteAsync(prepared, [], cancel.Token));
        Assert.Equal(SqlState.QueryCanceled, error.SqlState);
    }
}
