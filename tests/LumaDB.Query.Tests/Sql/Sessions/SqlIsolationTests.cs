using System.Globalization;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Isolation levels, row locks and concurrent sessions over a real database.</summary>
public sealed class SqlIsolationTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await SqlTestDatabase.OpenAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Task<(List<string?[]> Rows, string Tag)> Run(SqlSession session, string sql) => SqlTestDatabase.RunAsync(session, sql);

    private static async Task<string?> ScalarAsync(SqlSession session, string sql) => (await Run(session, sql)).Rows[0][0];

    [Fact]
    public async Task Eight_sessions_running_the_tpcb_transaction_on_ten_branches_end_without_errors_and_balanced()
    {
        await _db.RunAsync("CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler text)");
        await _db.RunAsync("CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler text)");
        await _db.RunAsync("CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)");
        await _db.RunAsync("CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamptz, filler text)");
        for (var b = 1; b <= 10; b++)
        {
            await _db.RunAsync($"INSERT INTO pgbench_branches VALUES ({b}, 0, '')");
            await _db.RunAsync($"INSERT INTO pgbench_tellers VALUES ({b}, {b}, 0, '')");
        }

        await _db.RunAsync("INSERT INTO pgbench_accounts SELECT g, 1 + (g % 10), 0, '' FROM generate_series(1, 100) AS g");

        const int Clients = 8, Transactions = 200;
        var errors = new List<Exception>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            await using var session = _db.NewSession();
            var random = new Random(client);
            for (var i = 0; i < Transactions; i++)
            {
                var aid = random.Next(1, 101);
                var tid = random.Next(1, 11);
                var bid = random.Next(1, 11);
                var delta = random.Next(-5000, 5001);
                try
                {
                    await Run(session, "BEGIN");
                    await Run(session, $"UPDATE pgbench_accounts SET abalance = abalance + {delta} WHERE aid = {aid}");
                    await Run(session, $"SELECT abalance FROM pgbench_accounts WHERE aid = {aid}");
                    await Run(session, $"UPDATE pgbench_tellers SET tbalance = tbalance + {delta} WHERE tid = {tid}");
                    await Run(session, $"UPDATE pgbench_branches SET bbalance = bbalance + {delta} WHERE bid = {bid}");
                    await Run(session, $"INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ({tid}, {bid}, {aid}, {delta}, CURRENT_TIMESTAMP)");
                    await Run(session, "END");
                }
                catch (SqlException error)
                {
                    lock (errors)
                    {
                        errors.Add(error);
                    }

                    await Run(session, "ROLLBACK");
                }
            }
        })));

        Assert.Empty(errors);
        var history = await _db.LinesAsync("SELECT count(*), sum(delta) FROM pgbench_history");
        var sum = long.Parse(history[0].Split('|')[1], CultureInfo.InvariantCulture);
        Assert.Equal($"{Clients * Transactions}|{sum}", history[0]);
        Assert.Equal([sum.ToString(CultureInfo.InvariantCulture)], await _db.LinesAsync("SELECT sum(abalance) FROM pgbench_accounts"));
        Assert.Equal([sum.ToString(CultureInfo.InvariantCulture)], await _db.LinesAsync("SELECT sum(tbalance) FROM pgbench_tellers"));
        Assert.Equal([sum.ToString(CultureInfo.InvariantCulture)], await _db.LinesAsync("SELECT sum(bbalance) FROM pgbench_branches"));
        Assert.Equal(0, _db.Database.HeldRowLocks);
    }

    [Fact]
    public async Task Isolation_level_follows_begin_set_transaction_and_the_session_default()
    {
        Assert.Equal(["read committed"], await _db.LinesAsync("SHOW transaction_isolation"));
        await _db.RunAsync("BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal(["repeatable read"], await _db.LinesAsync("SHOW transaction_isolation"));
        await _db.RunAsync("COMMIT");
        Assert.Equal(["read committed"], await _db.LinesAsync("SHOW transaction_isolation"));

        await _db.RunAsync("SET default_transaction_isolation = 'serializable'");
        Assert.Equal(["serializable"], await _db.LinesAsync("SHOW transaction_isolation"));
        await _db.RunAsync("BEGIN");
        Assert.Equal(["serializable"], await _db.LinesAsync("SHOW transaction_isolation"));
        await _db.RunAsync("ROLLBACK");

        await _db.RunAsync("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal(["repeatable read"], await _db.LinesAsync("SHOW transaction_isolation"));
        await _db.RunAsync("SELECT 1");
        Assert.Equal(SqlState.ActiveTransaction, (await _db.ErrorAsync("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")).SqlState);
        await _db.RunAsync("ROLLBACK");
        Assert.Equal(["read committed"], await _db.LinesAsync("SHOW transaction_isolation"));
        Assert.Equal(SqlState.InvalidParameterValue, (await _db.ErrorAsync("SET default_transaction_isolation = 'sometimes'")).SqlState);
    }

    [Fact]
    public async Task Read_committed_sees_commits_between_statements_and_repeatable_read_does_not()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0)");
        await using var committed = _db.NewSession();
        await using var repeatable = _db.NewSession();
        await Run(committed, "BEGIN");
        await Run(repeatable, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal("0", await ScalarAsync(committed, "SELECT v FROM k"));
        Assert.Equal("0", await ScalarAsync(repeatable, "SELECT v FROM k"));
        await _db.RunAsync("UPDATE k SET v = 5 WHERE id = 1");
        Assert.Equal("5", await ScalarAsync(committed, "SELECT v FROM k"));
        Assert.Equal("0", await ScalarAsync(repeatable, "SELECT v FROM k"));
        await Run(committed, "COMMIT");
        await Run(repeatable, "COMMIT");
    }

    [Fact]
    public async Task A_waiting_update_re_reads_the_newest_row_and_re_checks_its_where()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0), (2, 0)");
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("UPDATE k SET v = 10 WHERE id = 1");
        await _db.RunAsync("UPDATE k SET v = 20 WHERE id = 2");
        var increment = Run(other, "UPDATE k SET v = v + 1 WHERE id = 1");
        await Task.Delay(100);
        Assert.False(increment.IsCompleted);
        await using var third = _db.NewSession();
        var filtered = Run(third, "UPDATE k SET v = -1 WHERE id = 2 AND v = 0");
        await _db.RunAsync("COMMIT");

        Assert.Equal("UPDATE 1", (await increment.WaitAsync(TimeSpan.FromSeconds(10))).Tag);
        Assert.Equal("UPDATE 0", (await filtered.WaitAsync(TimeSpan.FromSeconds(10))).Tag);
        Assert.Equal(["1|11", "2|20"], await _db.LinesAsync("SELECT id, v FROM k ORDER BY id"));
    }

    [Fact]
    public async Task Select_for_update_locks_the_rows_and_reads_their_newest_version_after_waiting()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0), (2, 0)");
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        Assert.Equal(["0"], await _db.LinesAsync("SELECT v FROM k WHERE id = 1 FOR UPDATE"));
        await Run(other, "BEGIN");
        var waiting = Run(other, "SELECT v FROM k WHERE id = 1 FOR UPDATE");
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        Assert.Equal("SELECT 1", (await Run(other, "SELECT v FROM k WHERE id = 2 FOR UPDATE NOWAIT")).Tag);
        await _db.RunAsync("UPDATE k SET v = 7 WHERE id = 1");
        await _db.RunAsync("COMMIT");
        Assert.Equal("7", (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Rows[0][0]);

        await _db.RunAsync("BEGIN");
        var error = await _db.ErrorAsync("SELECT v FROM k WHERE id = 2 FOR UPDATE NOWAIT");
        Assert.Equal(SqlState.LockNotAvailable, error.SqlState);
        await _db.RunAsync("ROLLBACK");
        await Run(other, "COMMIT");
        Assert.Equal(0, _db.Database.HeldRowLocks);
    }

    [Fact]
    public async Task An_insert_of_a_key_another_transaction_inserted_waits_for_its_outcome()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO k VALUES (1, 1), (2, 2)");
        var duplicate = Run(other, "INSERT INTO k VALUES (1, 100)");
        await Task.Delay(100);
        Assert.False(duplicate.IsCompleted);
        await _db.RunAsync("COMMIT");
        var error = await Assert.ThrowsAsync<SqlException>(() => duplicate.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SqlState.UniqueViolation, error.SqlState);

        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO k VALUES (3, 3)");
        var after = Run(other, "INSERT INTO k VALUES (3, 300)");
        await Task.Delay(100);
        Assert.False(after.IsCompleted);
        await _db.RunAsync("ROLLBACK");
        Assert.Equal("INSERT 0 1", (await after.WaitAsync(TimeSpan.FromSeconds(10))).Tag);
        Assert.Equal(["1|1", "2|2", "3|300"], await _db.LinesAsync("SELECT id, v FROM k ORDER BY id"));
    }

    [Fact]
    public async Task Crossed_row_locks_fail_one_session_with_40P01_and_lock_timeout_gives_55P03()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0), (2, 0)");
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await Run(other, "BEGIN");
        await _db.RunAsync("UPDATE k SET v = 1 WHERE id = 1");
        await Run(other, "UPDATE k SET v = 2 WHERE id = 2");
        var first = _db.RunAsync("UPDATE k SET v = 1 WHERE id = 2");
        await Task.Delay(100);
        var error = await Assert.ThrowsAsync<SqlException>(() => Run(other, "UPDATE k SET v = 2 WHERE id = 1"));
        Assert.Equal(SqlState.DeadlockDetected, error.SqlState);
        await Run(other, "ROLLBACK");
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await _db.RunAsync("COMMIT");
        Assert.Equal(["1|1", "2|1"], await _db.LinesAsync("SELECT id, v FROM k ORDER BY id"));

        await _db.RunAsync("BEGIN");
        await _db.RunAsync("DELETE FROM k WHERE id = 1");
        await Run(other, "SET lock_timeout = '100ms'");
        var timeout = await Assert.ThrowsAsync<SqlException>(() => Run(other, "UPDATE k SET v = 3 WHERE id = 1"));
        Assert.Equal(SqlState.LockNotAvailable, timeout.SqlState);
        await _db.RunAsync("COMMIT");
        Assert.Equal("UPDATE 0", (await Run(other, "UPDATE k SET v = 3 WHERE id = 1")).Tag);
    }

    [Fact]
    public async Task A_repeatable_read_block_keeps_its_snapshot_through_flush_and_compaction_then_gets_40001()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0), (2, 0), (3, 0)");
        await using var old = _db.NewSession();
        await Run(old, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal("0", await ScalarAsync(old, "SELECT sum(v) FROM k"));
        for (var round = 1; round <= 3; round++)
        {
            await _db.RunAsync($"UPDATE k SET v = {round}");
            await _db.Database.FlushAsync();
        }

        await _db.RunAsync("DELETE FROM k WHERE id = 3");
        await _db.Database.FlushAsync();
        var table = _db.Database.Catalog.FindTable("public", "k")!;
        // A major compaction; background compaction may already have merged the flushes, then this has nothing left.
        await _db.Database.Shard.CompactAsync(table.Layout);

        Assert.Equal(["1|0", "2|0", "3|0"], (await Run(old, "SELECT id, v FROM k ORDER BY id")).Rows.Select(r => $"{r[0]}|{r[1]}").ToArray());
        var error = await Assert.ThrowsAsync<SqlException>(() => Run(old, "UPDATE k SET v = 99 WHERE id = 2"));
        Assert.Equal(SqlState.SerializationFailure, error.SqlState);
        await Run(old, "ROLLBACK");
        Assert.Equal(["1|3", "2|3"], await _db.LinesAsync("SELECT id, v FROM k ORDER BY id"));
    }
}
