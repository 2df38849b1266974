namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Primary-key point and range access, streamed scans: the plans chosen, EXPLAIN, and results equal to a full scan.</summary>
public sealed class SqlAccessPathTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE k (id bigint PRIMARY KEY, name text, v int)");
        await _db.RunAsync("INSERT INTO k SELECT g, 'n' || g, g % 7 FROM generate_series(-20, 80) g");
        await _db.RunAsync("CREATE TABLE readings (device text, ts timestamptz, value float8, PRIMARY KEY (device, ts))");
        await _db.RunAsync("INSERT INTO readings SELECT d, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute', g * 1.5 FROM generate_series(0, 29) g, (VALUES ('a'), ('b'), ('c')) AS devices(d)");

        // Half of each table is in segments, half in the memtable, so both read paths are covered.
        await _db.Database.FlushAsync();
        await _db.RunAsync("INSERT INTO k SELECT g, 'n' || g, g % 7 FROM generate_series(81, 120) g");
        await _db.RunAsync("INSERT INTO readings VALUES ('b', '2026-01-02 00:00:00+00', 99), ('bb', '2026-01-01 00:00:00+00', 7)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> PlanAsync(string sql, params object?[] parameters) =>
        string.Join('\n', await _db.LinesAsync("EXPLAIN " + sql, parameters));

    [Fact]
    public async Task Equality_on_the_key_is_an_index_scan_with_its_condition()
    {
        var plan = await PlanAsync("SELECT name FROM k WHERE id = 42");
        Assert.Contains("Index Scan using k_pkey on k", plan, StringComparison.Ordinal);
        Assert.Contains("Index Cond: (id = 42)", plan, StringComparison.Ordinal);
        Assert.Equal(["n42"], await _db.LinesAsync("SELECT name FROM k WHERE id = 42"));
        Assert.Equal(["n100"], await _db.LinesAsync("SELECT name FROM k WHERE 100 = id"));
    }

    [Fact]
    public async Task A_filter_on_another_column_is_a_seq_scan() =>
        Assert.Contains("Seq Scan on k", await PlanAsync("SELECT name FROM k WHERE v = 3"), StringComparison.Ordinal);

    [Fact]
    public async Task A_parameterised_key_is_looked_up_per_execution()
    {
        Assert.Contains("Index Cond: (id = $1)", await PlanAsync("SELECT name FROM k WHERE id = $1", 5L), StringComparison.Ordinal);
        var session = _db.Session;
        var prepared = session.Prepare("SELECT name, v FROM k WHERE id = $1");
        foreach (var id in new long[] { -20, 0, 7, 80, 81, 120 })
        {
            var result = await session.ExecuteAsync(prepared, [id]);
            var rows = new List<string>();
            await foreach (var batch in result.Rows!)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    rows.Add($"{batch.Columns[0].GetValue(r)}|{batch.Columns[1].GetValue(r)}");
                }
            }

            Assert.Equal([$"n{id}|{id % 7}"], rows);
        }

        Assert.Empty(await _db.LinesAsync("SELECT name FROM k WHERE id = $1", 121L));
        Assert.Empty(await _db.LinesAsync("SELECT name FROM k WHERE id = $1", [null]));
    }

    [Fact]
    public async Task In_list_on_the_key_looks_up_each_key_once()
    {
        var plan = await PlanAsync("SELECT id FROM k WHERE id IN (3, 90, 3, 500)");
        Assert.Contains("Index Scan using k_pkey on k", plan, StringComparison.Ordinal);
        Assert.Contains("Index Cond: (id = ANY ('{3,90,3,500}'))", plan, StringComparison.Ordinal);
        Assert.Equal(["3", "90"], await _db.LinesAsync("SELECT id FROM k WHERE id IN (3, 90, 3, 500) ORDER BY id"));
    }

    [Theory]
    [InlineData("id BETWEEN -5 AND 10")]
    [InlineData("id > 70 AND id <= 85")]
    [InlineData("id >= 115")]
    [InlineData("id < -18")]
    [InlineData("id > 200")]
    [InlineData("10 > id AND id >= 5")]
    [InlineData("id >= 5 AND id < 60 AND v = 2")]
    public async Task Key_ranges_return_what_a_full_scan_returns(string condition)
    {
        var plan = await PlanAsync($"SELECT id, name, v FROM k WHERE {condition}");
        Assert.Contains("Index Scan using k_pkey on k", plan, StringComparison.Ordinal);

        // id + 0 hides the key from the planner, so this is the full-scan path.
        var fullScan = condition.Replace("id", "(id + 0)", StringComparison.Ordinal);
        Assert.Contains("Seq Scan on k", await PlanAsync($"SELECT id FROM k WHERE {fullScan}"), StringComparison.Ordinal);
        var expected = await _db.LinesAsync($"SELECT id, name, v FROM k WHERE {fullScan} ORDER BY id");
        Assert.Equal(expected, await _db.LinesAsync($"SELECT id, name, v FROM k WHERE {condition} ORDER BY id"));
    }

    [Fact]
    public async Task A_composite_key_prefix_is_a_key_range()
    {
        var plan = await PlanAsync("SELECT ts, value FROM readings WHERE device = 'b'");
        Assert.Contains("Index Scan using readings_pkey on readings", plan, StringComparison.Ordinal);
        Assert.Contains("Index Cond: (device = 'b')", plan, StringComparison.Ordinal);

        // 'bb' shares the prefix "b" as text but is another key value: it must not show up.
        Assert.Equal(31, (await _db.LinesAsync("SELECT ts FROM readings WHERE device = 'b'")).Length);
        Assert.Equal(
            await _db.LinesAsync("SELECT device, ts, value FROM readings WHERE device || '' = 'b' ORDER BY ts"),
            await _db.LinesAsync("SELECT device, ts, value FROM readings WHERE device = 'b' ORDER BY ts"));
    }

    [Fact]
    public async Task A_composite_key_prefix_and_a_bound_on_the_next_column_is_a_narrower_range()
    {
        const string Condition = "device = 'a' AND ts >= '2026-01-01 00:10:00+00' AND ts < '2026-01-01 00:15:00+00'";
        var plan = await PlanAsync($"SELECT value FROM readings WHERE {Condition}");
        Assert.Contains("Index Cond: (device = 'a') AND (ts >= ", plan, StringComparison.Ordinal);
        Assert.Equal(["15", "16.5", "18", "19.5", "21"], await _db.LinesAsync($"SELECT value FROM readings WHERE {Condition} ORDER BY ts"));
    }

    [Fact]
    public async Task A_full_composite_key_is_a_point_lookup()
    {
        var plan = await PlanAsync("SELECT value FROM readings WHERE device = 'c' AND ts = '2026-01-01 00:02:00+00'");
        Assert.Contains("Index Cond: (device = 'c') AND (ts = ", plan, StringComparison.Ordinal);
        Assert.Equal(["3"], await _db.LinesAsync("SELECT value FROM readings WHERE ts = '2026-01-01 00:02:00+00' AND device = 'c'"));
    }

    [Fact]
    public async Task A_bound_only_on_the_second_key_column_is_not_a_key_range() =>
        Assert.Contains("Seq Scan on readings", await PlanAsync("SELECT value FROM readings WHERE ts = '2026-01-01 00:02:00+00'"), StringComparison.Ordinal);

    [Fact]
    public async Task Update_and_delete_by_key_use_the_index_and_change_only_those_rows()
    {
        var update = await PlanAsync("UPDATE k SET v = 100 WHERE id = 12");
        Assert.Contains("Index Scan using k_pkey on k", update, StringComparison.Ordinal);
        Assert.Contains("Index Cond: (id = 12)", update, StringComparison.Ordinal);
        Assert.Contains("Index Scan using k_pkey on k", await PlanAsync("DELETE FROM k WHERE id BETWEEN 30 AND 32"), StringComparison.Ordinal);

        Assert.Equal("UPDATE 1", (await _db.RunAsync("UPDATE k SET v = 100 WHERE id = 12")).Tag);
        Assert.Equal("DELETE 3", (await _db.RunAsync("DELETE FROM k WHERE id BETWEEN 30 AND 32")).Tag);
        Assert.Equal("UPDATE 0", (await _db.RunAsync("UPDATE k SET v = 1 WHERE id = $1", 31L)).Tag);
        Assert.Equal(["11|4", "12|100", "13|6"], await _db.LinesAsync("SELECT id, v FROM k WHERE id + 0 BETWEEN 11 AND 13 ORDER BY id"));
        Assert.Equal(["29", "33"], await _db.LinesAsync("SELECT id FROM k WHERE id + 0 BETWEEN 29 AND 33 ORDER BY id"));
    }

    [Fact]
    public async Task Point_lookups_see_the_transactions_own_writes()
    {
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO k VALUES (1000, 'mine', 1)");
        await _db.RunAsync("DELETE FROM k WHERE id = 5");
        Assert.Equal(["mine"], await _db.LinesAsync("SELECT name FROM k WHERE id = 1000"));
        Assert.Empty(await _db.LinesAsync("SELECT name FROM k WHERE id = 5"));
        Assert.Equal(["4", "6", "1000"], await _db.LinesAsync("SELECT id FROM k WHERE id IN (4, 5, 6, 1000) ORDER BY id"));
        await _db.RunAsync("ROLLBACK");
        Assert.Empty(await _db.LinesAsync("SELECT name FROM k WHERE id = 1000"));
    }

    [Fact]
    public async Task A_key_compared_with_another_column_is_not_used_for_access() =>
        Assert.Equal(
            await _db.LinesAsync("SELECT a.id FROM k a JOIN k b ON a.id + 0 = b.v WHERE a.id < 3 ORDER BY 1"),
            await _db.LinesAsync("SELECT a.id FROM k a JOIN k b ON a.id = b.v WHERE a.id < 3 ORDER BY 1"));

    [Fact]
    public async Task Correlated_subqueries_over_a_streamed_scan_see_every_row_each_time() =>
        Assert.Equal(
            ["0|20", "1|18", "2|17"],
            await _db.LinesAsync("SELECT v, (SELECT count(*) FROM k i WHERE i.v = o.v) FROM k o WHERE o.id BETWEEN 0 AND 2 ORDER BY v"));
}
