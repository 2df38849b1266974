using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// Aggregates whose input is split among parallel workers give the rows the one-thread plan gives: every mergeable
/// aggregate, NULL keys and values, empty input, joins filtered on both sides, data in several segments with updated
/// and deleted rows in the memtable, own writes and an older snapshot. Small inputs and parallel_workers = 1 stay on
/// one thread; cancellation and the memory limit end a parallel query cleanly. Float values are multiples of 0.25,
/// so their sums are exact in any order and the comparisons cannot depend on how rows met the workers.
/// </summary>
public sealed class ParallelAggregationTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private SqlTestDatabase _db = null!;
    private SqlSession _serial = null!;
    private SqlSession _parallel = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE f (id bigint PRIMARY KEY, cat text, v float8, q int, ts timestamptz, dev int)");
        const string Values = "SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE 'c' || (g % 7) END, CASE WHEN g % 13 = 0 THEN NULL ELSE g * 0.25 END, "
            + "CASE WHEN g % 17 = 0 THEN NULL ELSE g % 50 END, to_timestamp(g), g % 40 FROM generate_series";
        await _db.RunAsync($"INSERT INTO f {Values}(1, 12000) g");
        await _db.Database.FlushAsync();
        await _db.RunAsync($"INSERT INTO f {Values}(12001, {Rows}) g");
        await _db.Database.FlushAsync();

        // Memtable rows over flushed ones: updates, deletes and new keys, read through the row merge.
        await _db.RunAsync("UPDATE f SET v = v + 1, cat = 'upd' WHERE id % 97 = 0");
        await _db.RunAsync("DELETE FROM f WHERE id % 89 = 0");
        await _db.RunAsync($"INSERT INTO f SELECT g, NULL::text, 0.5, NULL::int, to_timestamp(g), g % 40 FROM generate_series({Rows + 1}, {Rows + 500}) g");
        await _db.RunAsync("CREATE TABLE d (dev int PRIMARY KEY, region text, weight float8)");
        await _db.RunAsync("INSERT INTO d SELECT g, 'r' || (g % 3), (g % 10) * 0.125 FROM generate_series(0, 34) g");
        await _db.Database.FlushAsync();

        _serial = new SqlSession(_db.Database) { ParallelWorkers = 1 };
        _parallel = new SqlSession(_db.Database) { ParallelWorkers = 3, ParallelMinRows = 1 };
    }

    public async Task DisposeAsync()
    {
        await _serial.DisposeAsync();
        await _parallel.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static async Task<string[]> LinesAsync(SqlSession session, string sql, CancellationToken cancellation = default)
    {
        var result = await session.ExecuteAsync(session.Prepare(sql), [], cancellation);
        var lines = new List<string>();
        await foreach (var batch in result.Rows!)
        {
            for (var r = 0; r < batch.RowCount; r++)
            {
                lines.Add(string.Join('|', batch.Columns.Select(c => c.GetValue(r) is { } v ? SqlText.Format(v, c.Type) : "NULL")));
            }
        }

        return [.. lines];
    }

    private async Task AssertSameAsSerialAsync(string sql, int expectedRows = -1)
    {
        var serial = await LinesAsync(_serial, sql);
        var parallel = await LinesAsync(_parallel, sql);
        Assert.Equal(serial, parallel);
        if (expectedRows >= 0)
        {
            Assert.Equal(expectedRows, serial.Length);
        }

        // The parallel session did split the input.
        var plan = await LinesAsync(_parallel, "EXPLAIN ANALYZE " + sql);
        Assert.Contains("Workers Planned: 3", string.Join('\n', plan));
        Assert.Contains("Workers Launched: 2", string.Join('\n', plan));

        // And the scan's key range was split, so the row merge ran in parts on the workers too.
        Assert.True(ScanParts(plan) > 1, string.Join('\n', plan));
    }

    private static int ScanParts(string[] plan) =>
        plan.Select(l => l.Trim()).Where(l => l.StartsWith("Scan Parts: ", StringComparison.Ordinal)).Select(l => int.Parse(l["Scan Parts: ".Length..], System.Globalization.CultureInfo.InvariantCulture)).Single();

    [Fact]
    public async Task Group_by_text_with_every_mergeable_aggregate_matches_the_serial_plan() => await AssertSameAsSerialAsync(
        "SELECT cat, count(*), count(v), sum(v), avg(v), min(q), max(q), sum(q), avg(q), min(ts), max(ts), min(id), max(id) "
        + "FROM f GROUP BY cat ORDER BY cat NULLS LAST", expectedRows: 9);

    [Fact]
    public async Task Group_by_integer_keys_with_null_groups_matches_the_serial_plan()
    {
        await AssertSameAsSerialAsync("SELECT q, count(*), sum(v), max(ts) FROM f GROUP BY q ORDER BY q NULLS FIRST", expectedRows: 51);
        await AssertSameAsSerialAsync("SELECT id % 1000, count(*), avg(v), min(q) FROM f WHERE v > 100 GROUP BY id % 1000 ORDER BY 1");
    }

    [Fact]
    public async Task Aggregate_without_group_by_and_over_empty_input_matches_the_serial_plan()
    {
        await AssertSameAsSerialAsync("SELECT count(*), count(q), sum(v), avg(q), min(ts), max(id) FROM f", expectedRows: 1);

        // The table is large enough to split, so the workers start however few rows the filter lets through.
        await AssertSameAsSerialAsync("SELECT count(*), sum(v), min(q) FROM f WHERE v < 0", expectedRows: 1);
        await AssertSameAsSerialAsync("SELECT cat, count(*) FROM f WHERE v < 0 GROUP BY cat", expectedRows: 0);
        Assert.Equal(["0|NULL|NULL"], await LinesAsync(_parallel, "SELECT count(*), sum(v), min(q) FROM f WHERE v < 0"));
    }

    [Fact]
    public async Task Bigint_sums_and_averages_are_the_exact_numerics_of_the_general_accumulator()
    {
        // Sums past the bigint range come out as numeric. FILTER (WHERE true) sends every aggregate of the query
        // through the general accumulator, the reference the typed per-group sums must match.
        const string Typed = "SELECT cat, sum(id * 400000000000000), avg(id * 3), sum(id), avg(-id) FROM f GROUP BY cat ORDER BY cat NULLS LAST";
        const string General = "SELECT cat, sum(id * 400000000000000) FILTER (WHERE true), avg(id * 3) FILTER (WHERE true), "
            + "sum(id) FILTER (WHERE true), avg(-id) FILTER (WHERE true) FROM f GROUP BY cat ORDER BY cat NULLS LAST";
        await AssertSameAsSerialAsync(Typed, expectedRows: 9);
        var reference = await LinesAsync(_serial, General);
        Assert.Equal(reference, await LinesAsync(_serial, Typed));
        Assert.Equal(reference, await LinesAsync(_parallel, Typed));
        Assert.Contains(reference, l => l.Split('|')[1].Length > 19);
    }

    [Fact]
    public async Task Two_to_four_grouping_keys_with_null_keys_match_the_general_accumulator_serial_and_parallel()
    {
        // Text (dictionary-coded) with an integer expression, a time bucket with text as dashboards group, and more keys.
        // FILTER (WHERE true) sends the query down the general path, the reference for the typed pairs.
        string[][] queries =
        [
            ["SELECT cat, q % 3, count(*), sum(v), min(ts), max(id) FROM f GROUP BY cat, q % 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST",
             "SELECT cat, q % 3, count(*) FILTER (WHERE true), sum(v) FILTER (WHERE true), min(ts) FILTER (WHERE true), max(id) FILTER (WHERE true) "
             + "FROM f GROUP BY cat, q % 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST"],
            ["SELECT date_trunc('hour', ts), cat, count(*), avg(q) FROM f GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST",
             "SELECT date_trunc('hour', ts), cat, count(*) FILTER (WHERE true), avg(q) FILTER (WHERE true) FROM f GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST"],

            // Three and four keys pair up level by level.
            ["SELECT cat, q % 3, dev % 4, count(*), max(q) FROM f GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3",
             "SELECT cat, q % 3, dev % 4, count(*) FILTER (WHERE true), max(q) FILTER (WHERE true) FROM f GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3"],
            ["SELECT date_trunc('day', ts), cat, q % 2, dev % 3, sum(id), min(q) FROM f GROUP BY 1, 2, 3, 4 ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4",
             "SELECT date_trunc('day', ts), cat, q % 2, dev % 3, sum(id) FILTER (WHERE true), min(q) FILTER (WHERE true) FROM f GROUP BY 1, 2, 3, 4 "
             + "ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST, 4"],
        ];
        foreach (var pair in queries)
        {
            await AssertSameAsSerialAsync(pair[0]);
            var reference = await LinesAsync(_serial, pair[1]);
            Assert.True(reference.Length > 20, pair[0]);
            Assert.Contains(reference, l => l.Contains("NULL", StringComparison.Ordinal));
            Assert.Equal(reference, await LinesAsync(_serial, pair[0]));
            Assert.Equal(reference, await LinesAsync(_parallel, pair[0]));
        }

        await AssertSameAsSerialAsync(
            "SELECT d.region, f.cat, count(*), sum(f.v) FROM f JOIN d ON f.dev = d.dev GROUP BY d.region, f.cat ORDER BY 1, 2 NULLS LAST", expectedRows: 27);

        // Numeric keys (Grafana's floor(extract(epoch ...)) buckets): 1.0 and 1.00 are one group, as in PostgreSQL.
        // Which of the two spellings a group shows depends on which row came first, so the key is left out.
        const string Numeric = "SELECT floor(extract(epoch from ts) / 60) * 60, count(*), sum(q) FROM f "
            + "GROUP BY CASE WHEN id % 2 = 0 THEN 1.0 ELSE 1.00 END, floor(extract(epoch from ts) / 60) * 60 ORDER BY 1";
        await AssertSameAsSerialAsync(Numeric, expectedRows: 342);
        var general = await LinesAsync(_serial, Numeric.Replace("count(*), sum(q)", "count(*) FILTER (WHERE true), sum(q) FILTER (WHERE true)", StringComparison.Ordinal));
        Assert.Equal(general, await LinesAsync(_parallel, Numeric));
    }

    [Fact]
    public async Task Joins_filtered_on_both_sides_match_the_serial_plan()
    {
        await AssertSameAsSerialAsync(
            "SELECT d.region, count(*), sum(f.v), min(f.q) FROM f JOIN d ON f.dev = d.dev WHERE d.weight < 0.5 AND f.q > 10 GROUP BY d.region ORDER BY 1",
            expectedRows: 3);
        await AssertSameAsSerialAsync(
            "SELECT d.region, count(*), count(d.dev), sum(f.v) FROM f LEFT JOIN d ON f.dev = d.dev AND d.weight > 0.3 GROUP BY d.region ORDER BY 1 NULLS LAST");
        await AssertSameAsSerialAsync(
            "SELECT d.region, count(*), max(f.ts) FROM f JOIN d ON f.cat = d.region || 'x' GROUP BY d.region ORDER BY 1");
    }

    [Fact]
    public async Task Own_writes_and_an_older_snapshot_are_seen_by_every_worker()
    {
        const string Query = "SELECT cat, count(*), sum(v), max(q) FROM f GROUP BY cat ORDER BY cat NULLS LAST";
        await SqlTestDatabase.RunAsync(_parallel, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        var before = await LinesAsync(_parallel, Query);
        Assert.Equal(await LinesAsync(_serial, Query), before);

        // Another session's commit after the snapshot stays invisible.
        await SqlTestDatabase.RunAsync(_serial, "DELETE FROM f WHERE id % 5 = 0");
        Assert.Equal(before, await LinesAsync(_parallel, Query));
        await SqlTestDatabase.RunAsync(_parallel, "ROLLBACK");

        // The transaction's own writes are visible, to the parallel and the serial plan alike.
        await SqlTestDatabase.RunAsync(_parallel, "BEGIN");
        await SqlTestDatabase.RunAsync(_parallel, "UPDATE f SET cat = 'own', v = 2 WHERE id % 3 = 0");
        await SqlTestDatabase.RunAsync(_parallel, "DELETE FROM f WHERE id % 7 = 0");
        var own = await LinesAsync(_parallel, Query);
        Assert.Contains(own, l => l.StartsWith("own|", StringComparison.Ordinal));
        _parallel.ParallelWorkers = 1;
        Assert.Equal(own, await LinesAsync(_parallel, Query));
        _parallel.ParallelWorkers = 3;
        await SqlTestDatabase.RunAsync(_parallel, "ROLLBACK");

        // Committed state now: the other session's delete.
        Assert.Equal(await LinesAsync(_serial, Query), await LinesAsync(_parallel, Query));
    }

    [Fact]
    public async Task A_small_input_stays_on_one_thread()
    {
        await using var session = new SqlSession(_db.Database) { ParallelWorkers = 3 };
        var plan = string.Join('\n', await LinesAsync(session, "EXPLAIN ANALYZE SELECT cat, count(*), sum(v) FROM f GROUP BY cat"));
        Assert.Contains("Workers Planned: 3", plan);
        Assert.Contains("Workers Launched: 0", plan);
    }

    [Fact]
    public async Task One_parallel_worker_turns_parallel_execution_off()
    {
        await using var session = new SqlSession(_db.Database) { ParallelWorkers = 1, ParallelMinRows = 1 };
        var plan = string.Join('\n', await LinesAsync(session, "EXPLAIN ANALYZE SELECT cat, count(*), sum(v) FROM f GROUP BY cat"));
        Assert.Contains("HashAggregate", plan);
        Assert.DoesNotContain("Workers", plan);
    }

    [Fact]
    public async Task Aggregates_that_do_not_merge_stay_on_one_thread()
    {
        var plan = string.Join('\n', await LinesAsync(_parallel, "EXPLAIN ANALYZE SELECT cat, count(DISTINCT q), string_agg(cat, ',') FROM f GROUP BY cat"));
        Assert.DoesNotContain("Workers", plan);
        Assert.Equal(
            await LinesAsync(_serial, "SELECT cat, count(DISTINCT q), stddev(q) FROM f GROUP BY cat ORDER BY cat NULLS LAST"),
            await LinesAsync(_parallel, "SELECT cat, count(DISTINCT q), stddev(q) FROM f GROUP BY cat ORDER BY cat NULLS LAST"));
    }

    [Fact]
    public async Task Cancelling_a_parallel_query_fails_it_cleanly()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SqlException>(() =>
            LinesAsync(_parallel, "SELECT cat, count(*) FROM f WHERE pg_sleep(0.001) IS NULL GROUP BY cat", cancel.Token));
        Assert.Equal(SqlState.QueryCanceled, error.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the query ran {clock.Elapsed} after its cancel");

        // The session serves the next statement.
        Assert.Equal(await LinesAsync(_serial, "SELECT count(*) FROM f"), await LinesAsync(_parallel, "SELECT count(*) FROM f"));
    }

    [Fact]
    public async Task The_memory_limit_fails_a_parallel_query_with_53200()
    {
        _parallel.WorkMemoryBytes = 64L * 1024;
        try
        {
            var error = await Assert.ThrowsAsync<SqlException>(() => LinesAsync(_parallel, "SELECT id, count(*), sum(v) FROM f GROUP BY id"));
            Assert.Equal(SqlState.OutOfMemory, error.SqlState);
        }
        finally
        {
            _parallel.WorkMemoryBytes = 256L * 1024 * 1024;
        }

        // The session serves the next statement.
        const string Next = "SELECT cat, count(*) FROM f WHERE cat = 'c0' GROUP BY cat";
        Assert.Equal(await LinesAsync(_serial, Next), await LinesAsync(_parallel, Next));
    }
}
