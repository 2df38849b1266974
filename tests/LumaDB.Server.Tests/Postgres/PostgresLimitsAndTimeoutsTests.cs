using System.Diagnostics;
using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>max_connections, statement_timeout and the idle timeouts over real Npgsql connections.</summary>
public sealed class PostgresLimitsAndTimeoutsTests : IAsyncLifetime
{
    private LumaProcess _luma = null!;

    public async Task InitializeAsync() =>
        _luma = await LumaProcess.StartReadyAsync(environment: new Dictionary<string, string> { ["LUMA_POSTGRES__MAX_CONNECTIONS"] = "3" });

    public async Task DisposeAsync() => await _luma.DisposeAsync();

    private NpgsqlConnection Connection() =>
        new($"Host=127.0.0.1;Port={_luma.Ports.Postgres};Username=luma;Database=luma;Timeout=15;Pooling=false");

    private static PostgresException ServerError(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PostgresException error)
            {
                return error;
            }
        }

        throw new Xunit.Sdk.XunitException($"no PostgresException in {e}");
    }

    [Fact]
    public async Task A_connection_beyond_max_connections_gets_53300_and_a_closed_one_frees_its_slot()
    {
        var open = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            var c = Connection();
            await c.OpenAsync();
            open.Add(c);
        }

        await using var extra = Connection();
        var refused = ServerError(await Assert.ThrowsAnyAsync<Exception>(() => extra.OpenAsync()));
        Assert.Equal("53300", refused.SqlState);
        Assert.Equal("FATAL", refused.Severity);
        Assert.Equal("sorry, too many clients already", refused.MessageText);

        await open[0].DisposeAsync();
        await using var next = Connection();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await next.OpenAsync();
                break;
            }
            catch (PostgresException e) when (e.SqlState == "53300" && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(50);
            }
        }

        await using var query = new NpgsqlCommand("SELECT 1", next);
        Assert.Equal(1, await query.ExecuteScalarAsync());
        foreach (var c in open.Skip(1))
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_cancel_request_is_served_while_every_slot_is_taken()
    {
        await using var busy = Connection();
        await using var second = Connection();
        await using var third = Connection();
        await busy.OpenAsync();
        await second.OpenAsync();
        await third.OpenAsync();
        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(5)", busy);
        var clock = Stopwatch.StartNew();
        var running = sleep.ExecuteNonQueryAsync();
        await Task.Delay(500);
        sleep.Cancel();

        var error = ServerError(await Assert.ThrowsAnyAsync<Exception>(() => running));
        Assert.Equal("57014", error.SqlState);
        Assert.Equal("canceling statement due to user request", error.MessageText);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Statement_timeout_is_set_shown_reset_and_cancels_a_slow_statement_with_57014()
    {
        await using var connection = Connection();
        await connection.OpenAsync();
        Assert.Equal("0", await ShowAsync(connection));
        await using (var set = new NpgsqlCommand("SET statement_timeout = '50ms'", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        Assert.Equal("50ms", await ShowAsync(connection));
        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(3)", connection);
        var clock = Stopwatch.StartNew();
        var error = ServerError(await Assert.ThrowsAnyAsync<Exception>(() => sleep.ExecuteNonQueryAsync()));
        Assert.Equal("57014", error.SqlState);
        Assert.Equal("canceling statement due to statement timeout", error.MessageText);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");

        // A fast statement after it is not cancelled by the old deadline.
        await using var fast = new NpgsqlCommand("SELECT 1", connection);
        await Task.Delay(100);
        Assert.Equal(1, await fast.ExecuteScalarAsync());

        await using (var set = new NpgsqlCommand("SELECT set_config('statement_timeout', '100', false)", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        Assert.Equal("100", await ShowAsync(connection));
        await using var slower = new NpgsqlCommand("SELECT pg_sleep(0.4)", connection);
        Assert.Equal("57014", ServerError(await Assert.ThrowsAnyAsync<Exception>(() => slower.ExecuteNonQueryAsync())).SqlState);
        await using (var reset = new NpgsqlCommand("RESET statement_timeout", connection))
        {
            await reset.ExecuteNonQueryAsync();
        }

        // The timeout the session applies follows every change, not only the value SHOW reports.
        Assert.Equal("0", await ShowAsync(connection));
        await slower.ExecuteNonQueryAsync();
        await using var bad = new NpgsqlCommand("SET statement_timeout = 'soon'", connection);
        Assert.Equal("22023", ServerError(await Assert.ThrowsAnyAsync<Exception>(() => bad.ExecuteNonQueryAsync())).SqlState);
    }

    [Fact]
    public async Task Show_all_over_the_extended_protocol_describes_name_setting_and_description()
    {
        await using var connection = Connection();
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand("SHOW ALL", connection);
        await using var reader = await show.ExecuteReaderAsync();

        Assert.Equal(["name", "setting", "description"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var settings = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            settings[reader.GetString(0)] = reader.GetString(1);
        }

        Assert.Equal("0", settings["statement_timeout"]);
        Assert.Equal("UTF8", settings["server_encoding"]);
    }

    private static async Task<object?> ShowAsync(NpgsqlConnection connection)
    {
        await using var show = new NpgsqlCommand("SHOW statement_timeout", connection);
        return await show.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Statement_timeout_leaves_an_explicit_transaction_aborted_until_rollback()
    {
        await using var connection = Connection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var set = new NpgsqlCommand("SET statement_timeout = 100", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(3)", connection);
        Assert.Equal("57014", ServerError(await Assert.ThrowsAnyAsync<Exception>(() => sleep.ExecuteNonQueryAsync())).SqlState);
        await using var next = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal("25P02", ServerError(await Assert.ThrowsAnyAsync<Exception>(() => next.ExecuteScalarAsync())).SqlState);
        await transaction.RollbackAsync();
        Assert.Equal(1, await next.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Idle_session_timeout_closes_an_idle_session_with_57P05()
    {
        await using var connection = Connection();
        await connection.OpenAsync();
        await using (var set = new NpgsqlCommand("SET idle_session_timeout = '200ms'", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        await Task.Delay(1000);
        await using var next = new NpgsqlCommand("SELECT 1", connection);
        var error = ServerError(await Assert.ThrowsAnyAsync<Exception>(() => next.ExecuteScalarAsync()));
        Assert.Equal("57P05", error.SqlState);
        Assert.Equal("FATAL", error.Severity);
        Assert.Equal("terminating connection due to idle-session timeout", error.MessageText);
    }

    [Fact]
    public async Task Idle_in_transaction_timeout_closes_the_session_with_25P03_and_rolls_back()
    {
        await using (var setup = Connection())
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE idle_tx (id int PRIMARY KEY, v int); INSERT INTO idle_tx VALUES (1, 1)", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var connection = Connection();
        await connection.OpenAsync();
        await using (var set = new NpgsqlCommand("SET idle_in_transaction_session_timeout = '200ms'; BEGIN; UPDATE idle_tx SET v = 2 WHERE id = 1", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        await Task.Delay(1000);
        await using var next = new NpgsqlCommand("SELECT 1", connection);
        var error = ServerError(await Assert.ThrowsAnyAsync<Exception>(() => next.ExecuteScalarAsync()));
        Assert.Equal("25P03", error.SqlState);
        Assert.Equal("terminating connection due to idle-in-transaction timeout", error.MessageText);

        await using var other = Connection();
        await other.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT v FROM idle_tx WHERE id = 1", other);
        Assert.Equal(1, await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_client_that_disconnects_in_a_transaction_releases_its_row_lock()
    {
        await using (var setup = Connection())
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE locked (id int PRIMARY KEY, v int); INSERT INTO locked VALUES (1, 1)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var holder = await PgWireClient.ConnectAsync(_luma.Ports.Postgres);
        await holder.QueryAsync("BEGIN; UPDATE locked SET v = 2 WHERE id = 1");
        await holder.ReadUntilAsync('Z');

        await using var waiter = Connection();
        await waiter.OpenAsync();
        await using var update = new NpgsqlCommand("UPDATE locked SET v = 3 WHERE id = 1", waiter);
        var blocked = update.ExecuteNonQueryAsync();
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted, "the second UPDATE should wait for the row lock");

        // No Terminate: the socket just closes.
        await holder.DisposeAsync();
        var clock = Stopwatch.StartNew();
        Assert.Equal(1, await blocked.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        await using var read = new NpgsqlCommand("SELECT v FROM locked WHERE id = 1", waiter);
        Assert.Equal(3, await read.ExecuteScalarAsync());
    }
}
