using LumaDB.Engine.Hosting;
using LumaDB.Query.Tests.Sql.Sessions;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// Scans read only the columns a query refers to (EXPLAIN shows the list), and queries that reach columns in
/// every way (names, stars, USING, NATURAL, correlated subqueries, GROUP BY) still see them. Also the decoded
/// column cache: results equal with it off, and writes after a cached read are seen.
/// </summary>
public sealed class ScanProjectionTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE t (id bigint PRIMARY KEY, name text, v int, w float8, note text)");
        await _db.RunAsync("INSERT INTO t SELECT g, 'n' || (g % 5), g % 7, g * 0.5, 'x' || g FROM generate_series(1, 300) g");
        await _db.RunAsync("CREATE TABLE u (id bigint PRIMARY KEY, v int, label text)");
        await _db.RunAsync("INSERT INTO u SELECT g, g % 7, 'l' || g FROM generate_series(1, 50) g");
        await _db.Database.FlushAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> PlanAsync(string sql) => string.Join('\n', await _db.LinesAsync("EXPLAIN " + sql));

    [Fact]
    public async Task Explain_lists_only_the_referenced_columns_and_the_key_when_rows_are_locked()
    {
        Assert.Contains("Columns: name, v\n", await PlanAsync("SELECT name FROM t WHERE v = 3") + "\n", StringComparison.Ordinal);
        Assert.Contains("Columns: id, name, v\n", await PlanAsync("SELECT name FROM t WHERE v = 3 FOR UPDATE") + "\n", StringComparison.Ordinal);
        Assert.Contains("Columns: id\n", (await PlanAsync("SELECT count(*) FROM t")) + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_over_a_text_keyed_table_reads_a_fixed_width_column_and_counts_every_row()
    {
        await _db.RunAsync("CREATE TABLE k (name text PRIMARY KEY, label text, v int, w float8)");
        await _db.RunAsync("INSERT INTO k SELECT 'k' || g, 'l' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE g END, g FROM generate_series(1, 120) g");

        // The first fixed-width column, v, though some of its values are null: a row counts whatever it holds.
        Assert.Contains("Columns: v\n", await PlanAsync("SELECT count(*) FROM k") + "\n", StringComparison.Ordinal);
        Assert.Equal(["120"], await _db.LinesAsync("SELECT count(*) FROM k"));
        await _db.Database.FlushAsync();
        Assert.Equal(["120"], await _db.LinesAsync("SELECT count(*) FROM k"));

        // With only text columns the first key column still proves the rows.
        await _db.RunAsync("CREATE TABLE only_text (name text PRIMARY KEY, label text)");
        await _db.RunAsync("INSERT INTO only_text SELECT 'k' || g, NULL FROM generate_series(1, 7) g");
        Assert.Contains("Columns: name\n", await PlanAsync("SELECT count(*) FROM only_text") + "\n", StringComparison.Ordinal);
        Assert.Equal(["7"], await _db.LinesAsync("SELECT count(*) FROM only_text"));
    }

    [Fact]
    public async Task A_star_reads_every_column()
    {
        Assert.DoesNotContain("Columns:", await PlanAsync("SELECT * FROM t WHERE v = 3"), StringComparison.Ordinal);
        Assert.DoesNotContain("Columns:", await PlanAsync("SELECT s.* FROM (SELECT * FROM t) s"), StringComparison.Ordinal);
        Assert.Equal(["7|n2|0|3.5|x7"], await _db.LinesAsync("SELECT * FROM t WHERE id = 7 + 0 * v"));
    }

    [Fact]
    public async Task Pruned_scans_give_the_same_rows_as_full_ones()
    {
        Assert.Equal(["n0|60|9150"], await _db.LinesAsync("SELECT name, count(*), sum(v * 0 + id) FROM t WHERE name = 'n0' GROUP BY name"));
        Assert.Equal(["300|150"], await _db.LinesAsync("SELECT id, w FROM t ORDER BY w DESC LIMIT 1"));
        Assert.Equal(["l3|n3"], await _db.LinesAsync("SELECT label, name FROM t JOIN u USING (id) WHERE t.id = 3 + 0 * t.v"));
        Assert.Equal(["50"], await _db.LinesAsync("SELECT count(*) FROM t NATURAL JOIN u"));
        Assert.Equal(["1|x1"], await _db.LinesAsync("SELECT u.id, (SELECT note FROM t WHERE t.id = u.id) FROM u WHERE u.id = 1 + 0 * u.v"));
        Assert.Equal(["3"], await _db.LinesAsync("SELECT count(*) FROM u WHERE EXISTS (SELECT 1 FROM t WHERE t.note = 'x' || u.label::text OR t.note = 'x' || u.id) AND u.id < 4"));
    }

    [Fact]
    public async Task Where_conjuncts_on_one_side_of_a_join_filter_that_side_below_the_join()
    {
        const string sql = "SELECT u.label, t.name FROM t JOIN u ON t.id = u.id WHERE u.v < 2 AND t.w > 20 AND t.v + u.v > 1";
        var plan = await PlanAsync(sql);
        var join = plan.IndexOf("Hash Join", StringComparison.Ordinal);
        Assert.True(join > 0, plan);
        Assert.True(plan.IndexOf("Storage Filter: v Less 2", StringComparison.Ordinal) > join, plan);
        Assert.True(plan.IndexOf("w > 20", StringComparison.Ordinal) > join, plan);
        Assert.InRange(plan.IndexOf("t.v + u.v", StringComparison.Ordinal), 0, join);
        Assert.Equal(["l43|n3", "l50|n0"], await _db.LinesAsync(sql + " ORDER BY 1"));

        // A left join keeps its unmatched rows: only conjuncts on the preserved side move down.
        const string left = "SELECT t.id, u.label FROM t LEFT JOIN u ON t.id = u.id + 100 WHERE t.id < 103 AND u.label IS NULL";
        Assert.Equal(["1|NULL", "2|NULL", "3|NULL", "4|NULL"], (await _db.LinesAsync(left + " ORDER BY 1")).Take(4));
        Assert.Equal(100, (await _db.LinesAsync(left)).Length);
    }

    [Fact]
    public async Task Insert_select_and_create_table_as_copy_pruned_scans_correctly()
    {
        await _db.RunAsync("CREATE TABLE c AS SELECT id, note FROM t WHERE v = 1");
        Assert.Equal(["43|x1|x99"], await _db.LinesAsync("SELECT count(*), min(note), max(note) FROM c"));
        await _db.RunAsync("INSERT INTO c SELECT id + 1000, name FROM t WHERE id <= 2");
        Assert.Equal(["1001|n1", "1002|n2"], await _db.LinesAsync("SELECT id, note FROM c WHERE id > 1000 ORDER BY id"));
    }

    [Fact]
    public async Task Updates_and_deletes_after_a_cached_read_are_seen()
    {
        const string query = "SELECT count(*), sum(v), max(note) FROM t WHERE w >= 0";
        Assert.Equal(["300|903|x99"], await _db.LinesAsync(query));
        Assert.Equal(["300|903|x99"], await _db.LinesAsync(query));
        await _db.RunAsync("UPDATE t SET v = 100, note = 'z' WHERE id = 10");
        await _db.RunAsync("DELETE FROM t WHERE id > 290");
        Assert.Equal(["290|964|z"], await _db.LinesAsync(query));

        // Once flushed, the new versions sit in a newer segment beside the cached older one.
        await _db.Database.FlushAsync();
        Assert.Equal(["290|964|z"], await _db.LinesAsync(query));

        // A snapshot taken before the writes keeps seeing the old rows through the same cached columns.
        var reader = _db.NewSession();
        await SqlTestDatabase.RunAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal(["290|964|z"], (await SqlTestDatabase.RunAsync(reader, query)).Rows.Select(r => string.Join('|', r)));
        await _db.RunAsync("UPDATE t SET v = v + 1 WHERE id <= 5");
        Assert.Equal(["290|964|z"], (await SqlTestDatabase.RunAsync(reader, query)).Rows.Select(r => string.Join('|', r)));
        await SqlTestDatabase.RunAsync(reader, "COMMIT");
        Assert.Equal(["290|969|z"], await _db.LinesAsync(query));
    }

    [Fact]
    public async Task Results_with_and_without_the_column_cache_are_equal()
    {
        var directory = Path.Combine(Path.GetTempPath(), "luma-sql-" + Guid.NewGuid().ToString("N"));
        var uncached = new Database(directory, new DatabaseOptions { FsyncMode = WalFsyncMode.Never, ColumnCacheBytes = 0 }, NullLogger<Database>.Instance);
        await uncached.RecoverAsync(CancellationToken.None);
        try
        {
            var session = new LumaDB.Query.Sql.Sessions.SqlSession(uncached);
            await SqlTestDatabase.RunAsync(session, "CREATE TABLE t (id bigint PRIMARY KEY, name text, v int, w float8, note text)");
            await SqlTestDatabase.RunAsync(session, "INSERT INTO t SELECT g, 'n' || (g % 5), g % 7, g * 0.5, 'x' || g FROM generate_series(1, 300) g");
            await uncached.FlushAsync();
            string[] queries =
            [
                "SELECT name, count(*), sum(w), min(v), max(id) FROM t GROUP BY name ORDER BY name",
                "SELECT id, w FROM t ORDER BY w DESC, id LIMIT 5",
                "SELECT id, note FROM t WHERE v = 4 AND w < 40 ORDER BY id",
            ];
            foreach (var sql in queries)
            {
                var expected = (await SqlTestDatabase.RunAsync(session, sql)).Rows.Select(r => string.Join('|', r)).ToArray();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, await _db.LinesAsync(sql));
                Assert.Equal(expected, await _db.LinesAsync(sql));
            }
        }
        finally
        {
            await uncached.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
