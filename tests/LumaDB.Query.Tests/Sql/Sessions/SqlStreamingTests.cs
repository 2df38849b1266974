using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Scans stream: a query over a table larger than the working-memory limit runs unless it must hold the rows.</summary>
public sealed class SqlStreamingTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE big (id bigint PRIMARY KEY, grp int, payload text)");
        await _db.RunAsync($"INSERT INTO big SELECT g, g % 10, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' || g FROM generate_series(1, {Rows}) g");
        await _db.Database.FlushAsync();

        // 20,000 rows of three columns are far above 64 KiB however they are counted.
        _db.Session.WorkMemoryBytes = 64 * 1024;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_aggregate_over_a_table_bigger_than_working_memory_streams() =>
        Assert.Equal([$"{Rows}|{(long)Rows * (Rows + 1) / 2}"], await _db.LinesAsync("SELECT count(*), sum(id) FROM big"));

    [Fact]
    public async Task A_filtered_scan_bigger_than_working_memory_streams() =>
        Assert.Equal(["7", "19997"], await _db.LinesAsync("SELECT id FROM big WHERE payload LIKE '%997' AND id < 20000 AND grp = 7"));

    [Fact]
    public async Task A_group_by_with_few_groups_streams() =>
        Assert.Equal(10, (await _db.LinesAsync("SELECT grp, count(*), max(payload) FROM big GROUP BY grp")).Length);

    [Fact]
    public async Task Limit_stops_the_scan_early()
    {
        Assert.Equal(["1", "2", "3"], await _db.LinesAsync("SELECT id FROM big LIMIT 3"));
        var plan = await _db.LinesAsync("EXPLAIN ANALYZE SELECT id FROM big LIMIT 3");
        var scan = plan.Single(l => l.Contains("Seq Scan on big", StringComparison.Ordinal));

        // The scan was stopped after its first batch, not read to its 20,000 rows.
        var rows = int.Parse(scan[(scan.IndexOf("rows=", StringComparison.Ordinal) + 5)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rows, 3, Rows - 1);
    }

    [Fact]
    public async Task A_sort_that_must_hold_every_row_still_reports_out_of_memory()
    {
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.LinesAsync("SELECT payload FROM big ORDER BY payload"));
        Assert.Equal("53200", error.SqlState);
    }

    [Fact]
    public async Task A_top_k_sort_keeps_only_k_rows() =>
        Assert.Equal(["20000", "19999"], await _db.LinesAsync("SELECT id FROM big ORDER BY id DESC LIMIT 2"));
}
