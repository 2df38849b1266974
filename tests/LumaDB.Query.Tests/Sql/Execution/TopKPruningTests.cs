using System.Globalization;
using System.Text.RegularExpressions;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// ORDER BY ... LIMIT k prunes with the k-th kept key (in the operator, and in storage by row-group statistics
/// and per row) and still returns exactly what a full sort would: both directions, NULLS FIRST/LAST, ties on the
/// first key broken by the second, rows split between flushed segments and the memtable, rows updated and
/// deleted after the flush, and an older snapshot that must still see the versions the flush kept for it.
/// </summary>
public sealed partial class TopKPruningTests : IAsyncLifetime
{
    private const int Chunks = 6;
    private const int ChunkRows = 700;
    private SqlTestDatabase _db = null!;
    private Dictionary<long, Row> _rows = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE tk (id bigint PRIMARY KEY, v float8, n int, s smallint, ts timestamptz)");

        // Key-ordered chunks, one segment each: the scan reads them as self-contained row groups with statistics.
        for (var c = 0; c < Chunks; c++)
        {
            var from = (c * ChunkRows) + 1;
            await _db.RunAsync(
                "INSERT INTO tk SELECT g, CASE WHEN g % 37 = 0 THEN NULL ELSE ((g * 7919) % 300) * 0.5 END, "
                + "CASE WHEN g % 41 = 0 THEN NULL ELSE (g * 31) % 200 - 100 END, ((g * 13) % 50)::smallint, to_timestamp((g * 17) % 900) "
                + $"FROM generate_series({from}, {from + ChunkRows - 1}) g");
            await _db.Database.FlushAsync();
        }

        _rows = Enumerable.Range(1, Chunks * ChunkRows).Select(g => (long)g).ToDictionary(g => g, Generated);

        // Rows only the memtable holds, some beating every flushed row, and updates and deletes of flushed rows.
        await _db.RunAsync("INSERT INTO tk VALUES (5000, 150.5, 101, 51, to_timestamp(950)), (5001, -3, -101, -1, to_timestamp(-5)), (5002, NULL, NULL, NULL, NULL)");
        _rows[5000] = new Row(5000, 150.5, 101, 51, 950);
        _rows[5001] = new Row(5001, -3, -101, -1, -5);
        _rows[5002] = new Row(5002, null, null, null, null);
        await _db.RunAsync("UPDATE tk SET v = 149.5, n = -100 WHERE id IN (17, 1403, 4199)");
        foreach (var id in new long[] { 17, 1403, 4199 })
        {
            _rows[id] = _rows[id] with { V = 149.5, N = -100 };
        }

        var top = _rows.Values.Where(r => r.V is not null).OrderByDescending(r => r.V).ThenBy(r => r.Id).Take(4).Select(r => r.Id).ToArray();
        await _db.RunAsync($"DELETE FROM tk WHERE id IN ({string.Join(", ", top)})");
        foreach (var id in top)
        {
            _rows.Remove(id);
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private sealed record Row(long Id, double? V, int? N, short? S, long? Ts);

    private static Row Generated(long g) => new(
        g,
        g % 37 == 0 ? null : (g * 7919 % 300) * 0.5,
        g % 41 == 0 ? null : (int)((g * 31 % 200) - 100),
        (short)(g * 13 % 50),
        g * 17 % 900);

    public static TheoryData<string, bool, bool?, int> Orders()
    {
        var data = new TheoryData<string, bool, bool?, int>();
        foreach (var column in new[] { "v", "n", "s", "ts" })
        {
            foreach (var descending in new[] { true, false })
            {
                foreach (var nullsFirst in new bool?[] { null, true, false })
                {
                    foreach (var k in new[] { 1, 7, 40 })
                    {
                        data.Add(column, descending, nullsFirst, k);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Top_k_equals_the_head_of_a_full_sort(string column, bool descending, bool? nullsFirst, int k)
    {
        var order = $"{column} {(descending ? "DESC" : "ASC")}{(nullsFirst is { } first ? (first ? " NULLS FIRST" : " NULLS LAST") : string.Empty)}";
        var expected = Sorted(_rows.Values, column, descending, nullsFirst ?? descending).Take(k).Select(r => $"{r.Id}|{Key(r, column)}").ToArray();

        // Timestamps come out as epoch seconds; the sort key is then a hidden column of the projection.
        var selected = column == "ts" ? "extract(epoch from ts)" : column;
        var topK = await _db.LinesAsync($"SELECT id, {selected} FROM tk ORDER BY {order}, id LIMIT {k}");
        var full = (await _db.LinesAsync($"SELECT id, {selected} FROM tk ORDER BY {order}, id")).Take(k).ToArray();

        Assert.Equal(expected, Normalised(topK));
        Assert.Equal(expected, Normalised(full));
    }

    [Fact]
    public async Task Ties_on_the_first_key_are_broken_by_the_second_in_either_direction()
    {
        // Many rows share each v: the cut falls inside a run of equal values, where only id decides.
        foreach (var idOrder in new[] { "id", "id DESC" })
        {
            var rows = Sorted(_rows.Values, "v", descending: true, nullsFirst: false);
            var expected = (idOrder == "id" ? rows : rows.GroupBy(r => r.V).SelectMany(g => g.OrderByDescending(r => r.Id)))
                .Take(25).Select(r => $"{r.Id}|{Key(r, "v")}").ToArray();
            var actual = await _db.LinesAsync($"SELECT id, v FROM tk ORDER BY v DESC NULLS LAST, {idOrder} LIMIT 25");
            Assert.Equal(expected, Normalised(actual));
        }
    }

    [Fact]
    public async Task Top_k_with_an_offset_a_filter_and_a_projection_skips_nothing_it_needs()
    {
        var expected = Sorted(_rows.Values.Where(r => r.N is > 0), "v", descending: false, nullsFirst: false)
            .Skip(5).Take(10).Select(r => $"{r.Id}|{Key(r, "v")}|{r.N * 2}").ToArray();
        var actual = await _db.LinesAsync("SELECT id, v, n * 2 FROM (SELECT * FROM tk WHERE n > 0) x ORDER BY v, id LIMIT 10 OFFSET 5");
        Assert.Equal(expected, Normalised(actual));
    }

    [Theory]
    [InlineData("v DESC")]
    [InlineData("n")]
    public async Task The_scan_under_a_top_k_skips_what_cannot_beat_the_kth_row(string order)
    {
        // Flushed key-ordered chunks (compaction may merge some) with the best values first and nothing in the
        // memtable: once the first row group read fills k rows, the later groups cannot beat the k-th value and
        // storage skips them, so the scan hands up far fewer rows than a full sort reads.
        const int Total = Chunks * ChunkRows;
        await _db.RunAsync("CREATE TABLE tp (id bigint PRIMARY KEY, v float8, n bigint)");
        for (var c = 0; c < Chunks; c++)
        {
            var from = (c * ChunkRows) + 1;
            await _db.RunAsync($"INSERT INTO tp SELECT g, (10000 - g) * 0.5, g FROM generate_series({from}, {from + ChunkRows - 1}) g");
            await _db.Database.FlushAsync();
        }

        var plan = string.Join('\n', await _db.LinesAsync($"EXPLAIN ANALYZE SELECT id FROM tp ORDER BY {order}, id LIMIT 3"));
        var scanned = ScanRows(plan);
        Assert.True(scanned <= Total - (2 * ChunkRows), $"the scan returned {scanned} of {Total} rows:\n{plan}");
        Assert.Equal(["1", "2", "3"], await _db.LinesAsync($"SELECT id FROM tp ORDER BY {order}, id LIMIT 3"));

        var fullPlan = string.Join('\n', await _db.LinesAsync($"EXPLAIN ANALYZE SELECT id FROM tp ORDER BY {order}, id"));
        Assert.Equal(Total, ScanRows(fullPlan));
    }

    [Fact]
    public async Task An_older_snapshot_sees_its_versions_while_a_newer_write_would_beat_them()
    {
        await using var reader = _db.NewSession();
        await SqlTestDatabase.RunAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        var before = (await SqlTestDatabase.RunAsync(reader, "SELECT id, v FROM tk ORDER BY v DESC NULLS LAST, id LIMIT 5")).Rows
            .Select(r => $"{r[0]}|{r[1]}").ToArray();
        var expected = Sorted(_rows.Values, "v", descending: true, nullsFirst: false).Take(5).Select(r => $"{r.Id}|{Key(r, "v")}").ToArray();
        Assert.Equal(expected, Normalised(before));

        // Newer versions that beat every old value and a delete of the old best, flushed: the segments now hold
        // both versions, the newer ones above the reader's snapshot.
        var best = Sorted(_rows.Values, "v", descending: true, nullsFirst: false).First().Id;
        await _db.RunAsync("UPDATE tk SET v = 1000 + id WHERE id IN (3, 2001, 4000)");
        await _db.RunAsync($"DELETE FROM tk WHERE id = {best}");
        await _db.Database.FlushAsync();

        var again = (await SqlTestDatabase.RunAsync(reader, "SELECT id, v FROM tk ORDER BY v DESC NULLS LAST, id LIMIT 5")).Rows
            .Select(r => $"{r[0]}|{r[1]}").ToArray();
        Assert.Equal(before, again);
        await SqlTestDatabase.RunAsync(reader, "COMMIT");

        var now = await _db.LinesAsync("SELECT id, v FROM tk ORDER BY v DESC NULLS LAST, id LIMIT 5");
        Assert.Equal(["4000|5000", "2001|3001", "3|1003"], now.Take(3));
        Assert.DoesNotContain(now, line => line.StartsWith(best.ToString(CultureInfo.InvariantCulture) + "|", StringComparison.Ordinal));
    }

    private static int ScanRows(string plan)
    {
        var match = ScanLine().Match(plan);
        Assert.True(match.Success, plan);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Seq Scan on tp.*?actual rows=(\d+)")]
    private static partial Regex ScanLine();

    /// <summary>The rows in the order the query asks for, then by id (NaN-free data, so numeric order suffices).</summary>
    private static IEnumerable<Row> Sorted(IEnumerable<Row> rows, string column, bool descending, bool nullsFirst)
    {
        var nulls = rows.Where(r => Value(r, column) is null).OrderBy(r => r.Id);
        var values = descending
            ? rows.Where(r => Value(r, column) is not null).OrderByDescending(r => Value(r, column)).ThenBy(r => r.Id)
            : rows.Where(r => Value(r, column) is not null).OrderBy(r => Value(r, column)).ThenBy(r => r.Id);
        return nullsFirst ? nulls.Concat(values) : values.Concat(nulls);
    }

    private static double? Value(Row row, string column) => column switch
    {
        "v" => row.V,
        "n" => row.N,
        "s" => row.S,
        _ => row.Ts,
    };

    private static string Key(Row row, string column) =>
        Value(row, column) is { } value ? value.ToString("R", CultureInfo.InvariantCulture) : "NULL";

    /// <summary>Query output with the key column as a plain number, to compare with the model.</summary>
    private static string[] Normalised(IEnumerable<string> lines) => [.. lines.Select(line =>
    {
        var parts = line.Split('|');
        if (parts[1] != "NULL")
        {
            parts[1] = double.Parse(parts[1], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        }

        return string.Join('|', parts);
    })];
}
