using System.Globalization;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// Grouping on dictionary codes: text keys with many distinct values per row group, build sides of joins coded
/// for the aggregate above, and joins that gather only the columns the aggregate reads. Every answer is checked
/// against the rows computed here, with NULL keys and values.
/// </summary>
public sealed class CodedGroupingTests : IAsyncLifetime
{
    private const int Rows = 9000;
    private const int Categories = 1500;
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE t (id bigint PRIMARY KEY, cat text, q int, k int)");
        await _db.RunAsync(
            $"INSERT INTO t SELECT g, CASE WHEN g % 97 = 0 THEN NULL ELSE 'k' || (g % {Categories}) END, "
            + $"CASE WHEN g % 13 = 0 THEN NULL ELSE g % 50 END, g % 60 FROM generate_series(1, {Rows}) g");
        await _db.Database.FlushAsync();

        // 50 dimension rows for keys 0..49 (keys 50..59 of t have none): a coded region (NULL for every 7th), and a
        // label distinct per row that stays plain text.
        await _db.RunAsync("CREATE TABLE dm (k int PRIMARY KEY, region text, label text)");
        await _db.RunAsync("INSERT INTO dm SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'r' || (g % 4) END, 'l' || g FROM generate_series(0, 49) g");
        await _db.Database.FlushAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private sealed record Row(long Id, string? Cat, int? Q, int K);

    private static IEnumerable<Row> Generated() => Enumerable.Range(1, Rows).Select(g => new Row(
        g, g % 97 == 0 ? null : "k" + (g % Categories), g % 13 == 0 ? null : g % 50, g % 60));

    private static string? Region(int k) => k % 7 == 0 ? null : "r" + (k % 4);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string[] Sorted(IEnumerable<string> lines) => [.. lines.Order(StringComparer.Ordinal)];

    private static string Aggregates<T>(string? key, IEnumerable<T> rows, Func<T, int?> q, Func<T, long> id)
    {
        var list = rows.ToList();
        var qs = list.Select(q).Where(v => v is not null).Select(v => v!.Value).ToList();
        return string.Join('|',
            key ?? "NULL",
            Text(list.Count),
            Text(qs.Count),
            qs.Count == 0 ? "NULL" : Text(qs.Sum(v => (long)v)),
            qs.Count == 0 ? "NULL" : Text(qs.Min()),
            Text(list.Max(id)));
    }

    [Fact]
    public async Task Group_by_a_text_key_with_more_distinct_values_than_an_eighth_of_a_row_group_matches_the_rows()
    {
        const string query = "SELECT cat, count(*), count(q), sum(q), min(q), max(id) FROM t GROUP BY cat";
        var expected = Sorted(Generated().GroupBy(r => r.Cat).Select(g => Aggregates(g.Key, g, r => r.Q, r => r.Id)));
        Assert.Equal(Categories + 1, expected.Length);
        Assert.Equal(expected, Sorted(await _db.LinesAsync(query)));

        // Again from the decoded-column cache, where the row groups' text is dictionary-coded.
        Assert.Equal(expected, Sorted(await _db.LinesAsync(query)));

        // HAVING filters the coded groups like any other.
        var having = Sorted(Generated().GroupBy(r => r.Cat).Where(g => g.Count() > 6).Select(g => Aggregates(g.Key, g, r => r.Q, r => r.Id)));
        Assert.NotEmpty(having);
        Assert.NotEqual(expected.Length, having.Length);
        Assert.Equal(having, Sorted(await _db.LinesAsync(query + " HAVING count(*) > 6")));
    }

    [Fact]
    public async Task Group_by_a_coded_build_side_column_of_a_join_matches_the_rows_with_null_regions()
    {
        var expected = Sorted(Generated().Where(r => r.K < 50).GroupBy(r => Region(r.K)).Select(g => Aggregates(g.Key, g, r => r.Q, r => r.Id)));
        Assert.Equal(5, expected.Length);
        Assert.Equal(expected, Sorted(await _db.LinesAsync("SELECT d.region, count(*), count(f.q), sum(f.q), min(f.q), max(f.id) FROM t f JOIN dm d ON f.k = d.k GROUP BY d.region")));

        // A build-side column with a distinct value per row stays plain text and groups the same way.
        var byLabel = Sorted(Generated().Where(r => r.K < 50).GroupBy(r => "l" + r.K).Select(g => Aggregates(g.Key, g, r => r.Q, r => r.Id)));
        Assert.Equal(byLabel, Sorted(await _db.LinesAsync("SELECT d.label, count(*), count(f.q), sum(f.q), min(f.q), max(f.id) FROM t f JOIN dm d ON f.k = d.k GROUP BY d.label")));

        // Left join: keys without a dimension row group under a NULL region along with the NULL regions.
        var left = Sorted(Generated().GroupBy(r => r.K < 50 ? Region(r.K) : null).Select(g => Aggregates(g.Key, g, r => r.Q, r => r.Id)));
        Assert.Equal(left, Sorted(await _db.LinesAsync("SELECT d.region, count(*), count(f.q), sum(f.q), min(f.q), max(f.id) FROM t f LEFT JOIN dm d ON f.k = d.k GROUP BY d.region")));
    }

    [Fact]
    public async Task An_aggregate_over_a_join_reads_every_column_its_expressions_and_subqueries_use()
    {
        // Arguments mixing both sides: the join must gather each column they read.
        var matched = Generated().Where(r => r.K < 50).ToList();
        var mixed = Sorted(matched.GroupBy(r => Region(r.K)).Select(g =>
            $"{g.Key ?? "NULL"}|{Text(g.Where(r => r.Q is not null).Sum(r => (long)(r.Q!.Value + r.K)))}|{Text(g.Max(r => r.Id * 100 + r.K))}"));
        Assert.Equal(mixed, Sorted(await _db.LinesAsync("SELECT d.region, sum(f.q + d.k), max(f.id * 100 + d.k) FROM t f JOIN dm d ON f.k = d.k GROUP BY d.region")));

        // A correlated subquery reads the row's columns through an outer reference: nothing may be left out.
        var correlated = Sorted(matched.GroupBy(r => Region(r.K)).Select(g => $"{g.Key ?? "NULL"}|{Text(g.Sum(r => (long)r.K))}"));
        Assert.Equal(correlated, Sorted(await _db.LinesAsync("SELECT d.region, sum((SELECT f.k)) FROM t f JOIN dm d ON f.k = d.k GROUP BY d.region")));
    }

    [Fact]
    public void Build_side_text_with_few_distinct_values_is_coded_and_keeps_its_values_and_nulls()
    {
        string?[] regions = [.. Enumerable.Range(0, 200).Select(i => i % 9 == 0 ? null : "r" + (i % 5))];
        string?[] labels = [.. Enumerable.Range(0, 200).Select(i => "l" + i)];
        var batch = new ResultBatch(
            [
                ColumnVector.FromValues(SqlType.Text, regions),
                ColumnVector.FromValues(SqlType.Text, labels),
                ColumnVector.FromValues(SqlType.Int4, [.. Enumerable.Range(0, 200).Select(i => (object?)i)]),
            ],
            200);

        var coded = JoinNode.CodeText(batch);

        var region = coded.Columns[0];
        Assert.NotNull(region.DictionaryCodes);
        Assert.Equal(5, region.DictionaryValues!.Length);
        Assert.Equal(regions, Enumerable.Range(0, 200).Select(i => (string?)region.GetValue(i)));

        // A gather keeps the codes, and the values.
        int[] rows = [0, 3, 9, 199, 3];
        var gathered = region.Gather(rows);
        Assert.NotNull(gathered.DictionaryCodes);
        Assert.Equal(rows.Select(r => regions[r]), Enumerable.Range(0, rows.Length).Select(i => (string?)gathered.GetValue(i)));

        // Distinct per row: left as it was, like the non-text column.
        Assert.Null(coded.Columns[1].DictionaryCodes);
        Assert.Same(batch.Columns[1], coded.Columns[1]);
        Assert.Same(batch.Columns[2], coded.Columns[2]);
    }

    [Fact]
    public void Dense_key_probe_appends_one_pair_per_matching_row_and_skips_nulls_and_keys_out_of_range()
    {
        // Build keys 10..19 at build rows 0..9, with build row 4 (key 14) NULL.
        object?[] build = [.. Enumerable.Range(10, 10).Select(k => k == 14 ? null : (object?)k)];
        var table = DenseKeyTable.TryBuild(ColumnVector.FromValues(SqlType.Int4, build), build.Length);
        Assert.NotNull(table);

        object?[] probe = [9, 10, null, 14, 19, 20, 15, -5, 10];
        var probeRows = new List<int> { 100 };
        var buildRows = new List<int> { 200 };
        Assert.True(table.Probe(ColumnVector.FromValues(SqlType.Int4, probe), probe.Length, probeRows, buildRows));

        // Earlier entries stay; then (probe row, build row) for keys 10, 19, 15 and 10 again.
        Assert.Equal([100, 1, 4, 6, 8], probeRows);
        Assert.Equal([200, 0, 9, 5, 0], buildRows);

        // A probe column of text is not the table's representation.
        Assert.False(table.Probe(ColumnVector.FromValues(SqlType.Text, ["10"]), 1, probeRows, buildRows));
        Assert.Equal(5, probeRows.Count);
    }
}
