using System.Diagnostics;
using LumaDB.Server.Tests.Hosting;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

public sealed class PostgresCancellationTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Cancel_ends_a_running_pg_sleep_with_57014_and_the_connection_stays_usable()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false");
        await connection.OpenAsync();
        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(5)", connection);
        var clock = Stopwatch.StartNew();

        var running = sleep.ExecuteNonQueryAsync();
        await Task.Delay(1500);
        sleep.Cancel();
        // Npgsql reports a cancelled command as OperationCanceledException around the server's error.
        var cancelled = await Assert.ThrowsAsync<OperationCanceledException>(() => running);
        var error = Assert.IsType<PostgresException>(cancelled.InnerException);
        clock.Stop();
        await using var next = new NpgsqlCommand("SELECT 1", connection);

        Assert.Equal("57014", error.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Equal(1, await next.ExecuteScalarAsync());
    }
}
