using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// PostgreSQL treats NaN as equal to itself and greater than every non-NaN value (docs 8.1.3, Floating-Point
/// Types): in comparisons, ORDER BY (with and without LIMIT), min/max, GROUP BY/DISTINCT and joins, for float8 and
/// real, with the rows in the memtable or flushed to segments (where filters and top-k bounds run in storage).
/// </summary>
public sealed class NaNSemanticsTests
{
    private const int Bulk = 3000;

    /// <summary>The bulk rows' x: g % 100, except NaN for every 97th.</summary>
    private static double BulkValue(long g) => g % 97 == 0 ? double.NaN : g % 100;

    private static async Task<SqlTestDatabase> OpenAsync(bool flushed)
    {
        var db = await SqlTestDatabase.OpenAsync();
        await db.RunAsync("CREATE TABLE f (id bigint PRIMARY KEY, x float8, r real)");
        await db.RunAsync("INSERT INTO f VALUES (1, 1.5, 1.5), (2, 'NaN'::float8, 'NaN'::real), (3, -2, -2), (4, NULL, NULL), (5, 'NaN'::float8, 'NaN'::real), (6, '1e308'::float8, '3e38'::real)");
        await db.RunAsync($"INSERT INTO f SELECT g, CASE WHEN g % 97 = 0 THEN 'NaN'::float8 ELSE g % 100 END, NULL::real FROM generate_series(10, {Bulk + 9}) g");
        if (flushed)
        {
            await db.Database.FlushAsync();
        }

        return db;
    }

    private static async Task<string> IdsAsync(SqlTestDatabase db, string sql) => string.Join(",", await db.LinesAsync(sql));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Order_by_puts_NaN_after_every_number_and_before_default_NULLs(bool flushed)
    {
        await using var db = await OpenAsync(flushed);

        Assert.Equal("3,1,6,2,5,4", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY x, id"));
        Assert.Equal("4,2,5,6,1,3", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY x DESC, id"));
        Assert.Equal("2,5,6,1,3,4", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY x DESC NULLS LAST, id"));
        Assert.Equal("4,3,1,6,2,5", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY x NULLS FIRST, id"));
        Assert.Equal("3,1,6,2,5,4", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY r, id"));
        Assert.Equal("2,5,6,1,3,4", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 ORDER BY r DESC NULLS LAST, id"));
    }

    [Theory]
    [InlineData(false, true, 5)]
    [InlineData(false, false, 40)]
    [InlineData(true, true, 5)]
    [InlineData(true, true, 40)]
    [InlineData(true, false, 5)]
    [InlineData(true, false, 60)]
    public async Task Top_k_returns_what_a_full_sort_in_PostgreSQL_order_returns(bool flushed, bool descending, int k)
    {
        await using var db = await OpenAsync(flushed);
        var small = new Dictionary<long, double?> { [1] = 1.5, [2] = double.NaN, [3] = -2, [4] = null, [5] = double.NaN, [6] = 1e308 };
        var all = small.Concat(Enumerable.Range(10, Bulk).Select(g => KeyValuePair.Create((long)g, (double?)BulkValue(g)))).ToList();
        var pg = Comparer<double>.Create((a, b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b));
        var values = all.Where(p => p.Value is not null);
        var sorted = descending
            ? values.OrderByDescending(p => p.Value!.Value, pg).ThenBy(p => p.Key)
            : values.OrderBy(p => p.Value!.Value, pg).ThenBy(p => p.Key);
        var expected = string.Join(",", sorted.Take(k).Select(p => p.Key));

        var direction = descending ? "DESC NULLS LAST" : "ASC";
        Assert.Equal(expected, await IdsAsync(db, $"SELECT id FROM f ORDER BY x {direction}, id LIMIT {k}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Comparisons_treat_NaN_as_equal_to_itself_and_above_every_number(bool flushed)
    {
        await using var db = await OpenAsync(flushed);
        var bulkNaN = Enumerable.Range(10, Bulk).Count(g => g % 97 == 0);

        Assert.Equal(["t|t|f|t|f"], await db.LinesAsync(
            "SELECT 'NaN'::float8 = 'NaN'::float8, 'NaN'::float8 > '1e308'::float8, 'NaN'::float8 < 'Infinity'::float8, 'NaN'::real >= 'NaN'::real, 'NaN'::float8 <> 'NaN'::float8"));
        Assert.Equal("2,5,6", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x > '1e300'::float8 ORDER BY id"));
        Assert.Equal("2,5,6", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x >= '1e308'::float8 ORDER BY id"));
        Assert.Equal("1,3", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x < '1e300'::float8 ORDER BY id"));
        Assert.Equal("1,3,6", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x <= '1e308'::float8 ORDER BY id"));
        Assert.Equal("2,5", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x = 'NaN' ORDER BY id"));
        Assert.Equal("1,3,6", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND x < 'NaN' ORDER BY id"));
        Assert.Equal("2,5,6", await IdsAsync(db, "SELECT id FROM f WHERE id < 10 AND r > 1 AND r >= '3e38'::real ORDER BY id"));
        Assert.Equal([(2 + bulkNaN).ToString(System.Globalization.CultureInfo.InvariantCulture)], await db.LinesAsync("SELECT count(*) FROM f WHERE x = 'NaN'::float8"));

        // Every bulk row above 98.5 is NaN (values stop at 99): the predicate must select NaN rows, not skip them.
        var above = Enumerable.Range(10, Bulk).Count(g => double.IsNaN(BulkValue(g)) || BulkValue(g) > 98.5) + 3;
        Assert.Equal([above.ToString(System.Globalization.CultureInfo.InvariantCulture)], await db.LinesAsync("SELECT count(*) FROM f WHERE x > 98.5"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Max_is_NaN_when_any_value_is_NaN_and_min_ignores_it(bool flushed)
    {
        await using var db = await OpenAsync(flushed);

        Assert.Equal(["NaN|-2|NaN|-2"], await db.LinesAsync("SELECT max(x), min(x), max(r), min(r) FROM f"));
        Assert.Equal(["NaN|-2"], await db.LinesAsync("SELECT max(x), min(x) FROM f WHERE id < 10"));
        Assert.Equal(["1.5|1.5"], await db.LinesAsync("SELECT max(x), min(x) FROM f WHERE id = 1"));
        Assert.Equal(["NaN|NaN"], await db.LinesAsync("SELECT max(x), min(x) FROM f WHERE id IN (2, 4, 5)"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Group_by_distinct_and_joins_put_every_NaN_together(bool flushed)
    {
        await using var db = await OpenAsync(flushed);

        Assert.Equal(["5"], await db.LinesAsync("SELECT count(*) FROM (SELECT x FROM f WHERE id < 10 GROUP BY x) s"));
        Assert.Equal(["2"], await db.LinesAsync("SELECT count(*) FROM f WHERE id < 10 GROUP BY x HAVING count(*) > 1"));
        Assert.Equal(["4|5"], await db.LinesAsync("SELECT count(DISTINCT x), (SELECT count(*) FROM (SELECT DISTINCT x FROM f WHERE id < 10) d) FROM f WHERE id < 10"));
        Assert.Equal(
            ["1|1", "2|2", "2|5", "3|3", "5|2", "5|5", "6|6"],
            await db.LinesAsync("SELECT a.id, b.id FROM f a JOIN f b ON a.x = b.x WHERE a.id < 10 AND b.id < 10 ORDER BY 1, 2"));
    }
}
