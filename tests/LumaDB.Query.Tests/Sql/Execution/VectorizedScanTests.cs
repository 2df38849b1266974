using System.Globalization;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// The columnar fast paths (dictionary-coded text from cached row groups, shared numeric columns, typed grouped
/// aggregates, the dense-key join table) give the same answers as the rules say, including NULLs, rows updated or
/// deleted in the memtable over flushed ones, own writes in a transaction and an older snapshot.
/// </summary>
public sealed class VectorizedScanTests : IAsyncLifetime
{
    private const int Rows = 3000;
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE f (id bigint PRIMARY KEY, cat text, v float8, q int, ts timestamptz, dev int)");
        await _db.RunAsync(
            "INSERT INTO f SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE 'c' || (g % 7) END, CASE WHEN g % 13 = 0 THEN NULL ELSE g * 0.25 END, "
            + "CASE WHEN g % 17 = 0 THEN NULL ELSE g % 50 END, to_timestamp(g), g % 40 FROM generate_series(1, 2000) g");
        await _db.Database.FlushAsync();
        await _db.RunAsync(
            "INSERT INTO f SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE 'c' || (g % 7) END, CASE WHEN g % 13 = 0 THEN NULL ELSE g * 0.25 END, "
            + $"CASE WHEN g % 17 = 0 THEN NULL ELSE g % 50 END, to_timestamp(g), g % 40 FROM generate_series(2001, {Rows}) g");
        await _db.Database.FlushAsync();
        await _db.RunAsync("CREATE TABLE d (dev int PRIMARY KEY, region text)");
        await _db.RunAsync("INSERT INTO d SELECT g, 'r' || (g % 3) FROM generate_series(0, 29) g");
        await _db.Database.FlushAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private sealed record Row(long Id, string? Cat, double? V, int? Q, long Ts, int Dev);

    private static IEnumerable<Row> Generated(int count = Rows) => Enumerable.Range(1, count).Select(g => new Row(
        g, g % 11 == 0 ? null : "c" + (g % 7), g % 13 == 0 ? null : g * 0.25, g % 17 == 0 ? null : g % 50, g, g % 40));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string[] Expected(IEnumerable<Row> rows) => [.. rows
        .GroupBy(r => r.Cat)
        .OrderBy(g => g.Key ?? "\uffff", StringComparer.Ordinal)
        .Select(g =>
        {
            var values = g.Where(r => r.V is not null).Select(r => r.V!.Value).ToList();
            var qs = g.Where(r => r.Q is not null).Select(r => r.Q!.Value).ToList();
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += v;
            }

            return string.Join('|',
                g.Key ?? "NULL",
                g.Count().ToString(CultureInfo.InvariantCulture),
                values.Count.ToString(CultureInfo.InvariantCulture),
                values.Count == 0 ? "NULL" : Format(sum),
                qs.Count == 0 ? "NULL" : qs.Min().ToString(CultureInfo.InvariantCulture),
                qs.Count == 0 ? "NULL" : qs.Max().ToString(CultureInfo.InvariantCulture),
                qs.Count == 0 ? "NULL" : qs.Sum(x => (long)x).ToString(CultureInfo.InvariantCulture),
                g.Max(r => r.Id).ToString(CultureInfo.InvariantCulture));
        })];

    private const string GroupQuery = "SELECT cat, count(*), count(v), sum(v), min(q), max(q), sum(q), max(id) FROM f GROUP BY cat ORDER BY cat NULLS LAST";

    [Fact]
    public async Task Group_by_text_over_flushed_row_groups_matches_the_rows_with_nulls()
    {
        var first = await _db.LinesAsync(GroupQuery);
        Assert.Equal(Expected(Generated()), first);

        // Again, now from the decoded-column cache (dictionary-coded text, shared numeric columns).
        Assert.Equal(first, await _db.LinesAsync(GroupQuery));
    }

    [Fact]
    public async Task Averages_and_extremes_keep_their_types()
    {
        var rows = Generated().Where(r => r.Q is not null).ToList();
        var avg = rows.Sum(r => (decimal)r.Q!.Value) / rows.Count;
        var lines = await _db.LinesAsync("SELECT avg(q), min(ts), max(ts), avg(v) FROM f WHERE dev = 3 GROUP BY dev");
        var dev3 = Generated().Where(r => r.Dev == 3).ToList();
        var q3 = dev3.Where(r => r.Q is not null).Select(r => (decimal)r.Q!.Value).ToList();
        var v3 = dev3.Where(r => r.V is not null).Select(r => r.V!.Value).ToList();
        var vsum = 0.0;
        foreach (var v in v3)
        {
            vsum += v;
        }

        var fields = Assert.Single(lines).Split('|');
        Assert.Equal(q3.Average(), decimal.Parse(fields[0], CultureInfo.InvariantCulture), 10);
        Assert.StartsWith("1970-01-01 00:00:03", fields[1], StringComparison.Ordinal);
        Assert.Equal(Format(vsum / v3.Count), fields[3]);
        Assert.NotEqual(0m, avg);
        Assert.Equal(["3|3|2"], await _db.LinesAsync("SELECT min(q), min(dev), count(*) FROM f WHERE id IN (3, 43) GROUP BY dev"));
    }

    [Fact]
    public async Task Updated_and_deleted_rows_in_the_memtable_hide_their_flushed_versions()
    {
        await _db.LinesAsync(GroupQuery);
        await _db.RunAsync("UPDATE f SET cat = 'c9', v = 1000, q = 99 WHERE id % 100 = 1");
        await _db.RunAsync("DELETE FROM f WHERE id % 100 = 2");
        await _db.RunAsync("INSERT INTO f VALUES (5000, 'c9', NULL, 5, to_timestamp(5000), 1)");
        var rows = Generated()
            .Where(r => r.Id % 100 != 2)
            .Select(r => r.Id % 100 == 1 ? r with { Cat = "c9", V = 1000, Q = 99 } : r)
            .Append(new Row(5000, "c9", null, 5, 5000, 1));
        Assert.Equal(Expected(rows), await _db.LinesAsync(GroupQuery));
    }

    [Fact]
    public async Task An_older_snapshot_and_own_writes_see_their_own_rows()
    {
        var before = await _db.LinesAsync(GroupQuery);
        var reader = _db.NewSession();
        await SqlTestDatabase.RunAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal(before, (await SqlTestDatabase.RunAsync(reader, GroupQuery)).Rows.Select(r => string.Join('|', r.Select(v => v ?? "NULL"))).ToArray());

        await _db.RunAsync("UPDATE f SET cat = 'c8' WHERE id <= 500");
        await _db.Database.FlushAsync();

        // The reader's snapshot still sees the old categories, also from the newly flushed segment.
        Assert.Equal(before, (await SqlTestDatabase.RunAsync(reader, GroupQuery)).Rows.Select(r => string.Join('|', r.Select(v => v ?? "NULL"))).ToArray());
        await SqlTestDatabase.RunAsync(reader, "UPDATE f SET cat = 'own' WHERE id = 2900");
        var own = (await SqlTestDatabase.RunAsync(reader, "SELECT cat, count(*) FROM f WHERE cat IN ('own', 'c8') GROUP BY cat ORDER BY cat")).Rows;
        Assert.Equal(["own|1"], own.Select(r => string.Join('|', r)));
        await SqlTestDatabase.RunAsync(reader, "ROLLBACK");

        var updated = Generated().Select(r => r.Id <= 500 ? r with { Cat = "c8" } : r);
        Assert.Equal(Expected(updated), await _db.LinesAsync(GroupQuery));
    }

    [Fact]
    public async Task Join_on_a_dense_integer_key_matches_a_nested_loop_and_skips_missing_keys()
    {
        const string join = "SELECT d.region, count(*), sum(f.v) FROM f JOIN d ON f.dev = d.dev GROUP BY d.region ORDER BY 1";
        var dims = Enumerable.Range(0, 30).ToDictionary(i => i, i => "r" + (i % 3));
        var expected = Generated().Where(r => dims.ContainsKey(r.Dev)).GroupBy(r => dims[r.Dev]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sum = 0.0;
                foreach (var r in g.Where(r => r.V is not null))
                {
                    sum += r.V!.Value;
                }

                return $"{g.Key}|{g.Count()}|{Format(sum)}";
            }).ToArray();
        Assert.Contains("Hash Join", string.Join('\n', await _db.LinesAsync("EXPLAIN " + join)), StringComparison.Ordinal);
        Assert.Equal(expected, await _db.LinesAsync(join));

        // The same join through a condition the hash table does not take: identical rows.
        Assert.Equal(expected, await _db.LinesAsync("SELECT d.region, count(*), sum(f.v) FROM f JOIN d ON f.dev + 0 = d.dev + 0 GROUP BY d.region ORDER BY 1"));

        // Left join: devices 30..39 have no dimension row and come out padded with NULL.
        Assert.Equal([(Rows / 40 * 10).ToString(CultureInfo.InvariantCulture)], await _db.LinesAsync("SELECT count(*) FROM f LEFT JOIN d ON f.dev = d.dev WHERE d.region IS NULL"));
    }

    [Fact]
    public async Task Filtered_scan_and_top_k_over_shared_columns_match_the_rows()
    {
        var expected = Generated().Where(r => r.Dev == 7 && r.Q < 20).Select(r => $"{r.Id}|{(r.V is null ? "NULL" : Format(r.V.Value))}|{r.Q}").ToArray();
        Assert.Equal(expected, await _db.LinesAsync("SELECT id, v, q FROM f WHERE dev = 7 AND q < 20 ORDER BY id"));
        Assert.Equal(expected, await _db.LinesAsync("SELECT id, v, q FROM f WHERE dev = 7 AND q < 20 ORDER BY id"));
        var top = Generated().Where(r => r.V is not null).OrderByDescending(r => r.V).ThenBy(r => r.Id).Take(5).Select(r => $"{r.Id}|{Format(r.V!.Value)}").ToArray();
        Assert.Equal(top, await _db.LinesAsync("SELECT id, v FROM f WHERE v IS NOT NULL ORDER BY v DESC, id LIMIT 5"));
    }
}
