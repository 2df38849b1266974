using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>
/// The single-row primary-key lookup shortcut (<c>SELECT cols FROM t WHERE pk = $1</c>): which statements take it,
/// that it returns what the general plan returns, and that snapshots, own writes and errors behave the same.
/// </summary>
public sealed class SqlPointLookupTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE acc (aid int PRIMARY KEY, bid int, abalance int, filler char(20))");
        await _db.RunAsync("INSERT INTO acc SELECT g, g % 3, g * 10, CASE WHEN g % 5 = 0 THEN NULL ELSE 'f' || g END FROM generate_series(1, 60) g");

        // Part of the rows in segments, part in the memtable, and an update over a flushed row.
        await _db.Database.FlushAsync();
        await _db.RunAsync("INSERT INTO acc SELECT g, g % 3, g * 10, 'f' || g FROM generate_series(61, 90) g");
        await _db.RunAsync("UPDATE acc SET abalance = -1 WHERE aid = 7");
        await _db.RunAsync("DELETE FROM acc WHERE aid = 8");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("SELECT abalance FROM acc WHERE aid = $1", true)]
    [InlineData("SELECT filler, aid, abalance FROM acc WHERE $1 = aid", true)]
    [InlineData("SELECT abalance FROM acc WHERE aid = 5", true)]
    [InlineData("SELECT abalance FROM acc WHERE aid = $1 AND bid = 1", false)]
    [InlineData("SELECT abalance + 1 FROM acc WHERE aid = $1", false)]
    [InlineData("SELECT abalance FROM acc WHERE aid IN (1, 2)", false)]
    [InlineData("SELECT abalance FROM acc WHERE aid = $1 FOR UPDATE", false)]
    public void Only_single_key_lookups_of_plain_columns_take_the_shortcut(string sql, bool expected)
    {
        var prepared = _db.Session.Prepare(sql);
        Assert.Equal(expected, prepared.IsPointLookup);
    }

    [Fact]
    public async Task The_shortcut_returns_what_the_general_plan_returns()
    {
        // The extra always-true conjunct keeps the second statement on the general plan.
        var fast = _db.Session.Prepare("SELECT abalance, filler, bid FROM acc WHERE aid = $1");
        var general = _db.Session.Prepare("SELECT abalance, filler, bid FROM acc WHERE aid = $1 AND bid >= 0");
        Assert.True(fast.IsPointLookup);
        Assert.False(general.IsPointLookup);
        object?[] keys = [-1, 0, 1, 5, 7, 8, 60, 61, 90, 91, null, int.MaxValue, int.MinValue];
        foreach (var key in keys)
        {
            var (fastRows, fastTag) = await SqlTestDatabase.RunAsync(_db.Session, fast.Text, key);
            var (generalRows, generalTag) = await SqlTestDatabase.RunAsync(_db.Session, general.Text, key);
            Assert.Equal(generalTag, fastTag);
            Assert.Equal(generalRows.Select(r => string.Join('|', r)), fastRows.Select(r => string.Join('|', r)));
        }

        const string Balance = "SELECT abalance, filler FROM acc WHERE aid = $1";
        Assert.Equal(["-1|f7"], (await _db.LinesAsync(Balance, 7)).Select(l => l.TrimEnd()));
        Assert.Equal(["50|NULL"], await _db.LinesAsync(Balance, 5));
        Assert.Empty(await _db.LinesAsync(Balance, 8));
    }

    [Fact]
    public async Task A_lookup_in_a_block_sees_its_own_writes_and_its_snapshot()
    {
        await using var reader = _db.NewSession();
        await using var writer = _db.NewSession();
        const string Lookup = "SELECT abalance FROM acc WHERE aid = $1";
        Assert.True(reader.Prepare(Lookup).IsPointLookup);

        await SqlTestDatabase.RunAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal("20", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 2)));

        // Another session's commit stays invisible to the open snapshot.
        await SqlTestDatabase.RunAsync(writer, "UPDATE acc SET abalance = 999 WHERE aid = 2");
        await SqlTestDatabase.RunAsync(writer, "DELETE FROM acc WHERE aid = 3");
        Assert.Equal("20", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 2)));
        Assert.Equal("30", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 3)));

        // The block's own writes are seen, inserts and deletes included.
        await SqlTestDatabase.RunAsync(reader, "UPDATE acc SET abalance = 21 WHERE aid = 1");
        await SqlTestDatabase.RunAsync(reader, "INSERT INTO acc VALUES (500, 0, 5000, 'new')");
        await SqlTestDatabase.RunAsync(reader, "DELETE FROM acc WHERE aid = 4");
        Assert.Equal("21", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 1)));
        Assert.Equal("5000", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 500)));
        Assert.Empty((await SqlTestDatabase.RunAsync(reader, Lookup, 4)).Rows);
        await SqlTestDatabase.RunAsync(reader, "ROLLBACK");

        // Outside the block each statement reads the latest commits.
        Assert.Equal("999", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 2)));
        Assert.Empty((await SqlTestDatabase.RunAsync(reader, Lookup, 3)).Rows);
        Assert.Empty((await SqlTestDatabase.RunAsync(reader, Lookup, 500)).Rows);
        Assert.Equal("40", Single(await SqlTestDatabase.RunAsync(reader, Lookup, 4)));
    }

    [Fact]
    public async Task A_missing_parameter_fails_and_aborts_the_block()
    {
        var session = _db.Session;
        var prepared = session.Prepare("SELECT abalance FROM acc WHERE aid = $1");
        Assert.True(prepared.IsPointLookup);
        await SqlTestDatabase.RunAsync(session, "BEGIN");
        var error = await Assert.ThrowsAsync<SqlException>(async () => await session.ExecuteAsync(prepared, []));
        Assert.Equal(SqlState.InvalidParameterValue, error.SqlState);
        var aborted = await Assert.ThrowsAsync<SqlException>(async () => await session.ExecuteAsync(prepared, [1]));
        Assert.Equal(SqlState.InFailedTransaction, aborted.SqlState);
        await SqlTestDatabase.RunAsync(session, "ROLLBACK");
        Assert.Equal("10", Single(await SqlTestDatabase.RunAsync(session, prepared.Text, 1)));
    }

    private static string? Single((List<string?[]> Rows, string Tag) result) => Assert.Single(Assert.Single(result.Rows));
}
