using System.Diagnostics;
using System.Text.RegularExpressions;
using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>
/// Debian's pgbench 15, unchanged, against a real server: initialisation (drop, create with fillfactor, COPY of
/// the accounts, VACUUM, ADD PRIMARY KEY) and the TPC-B-like script from 8 clients.
/// </summary>
public sealed partial class PgbenchTests : IAsyncLifetime
{
    // The scale the issue names: 1,000,000 accounts, loaded by one COPY inside one transaction (about 130 MB of
    // WAL in one commit record).
    private const int Scale = 10;

    private LumaProcess _luma = null!;

    public async Task InitializeAsync() => _luma = await LumaProcess.StartReadyAsync();

    public async Task DisposeAsync() => await _luma.DisposeAsync();

    [Fact]
    public async Task Pgbench_initialises_and_runs_tpcb_from_eight_clients_without_failures_and_balances_add_up()
    {
        var init = await PgbenchAsync("-i", "-s", Scale.ToString(), "-q");
        Assert.True(init.ExitCode == 0, init.Error);
        Assert.Contains("done in", init.Error, StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_luma.Ports.Postgres};Username=luma;Database=luma;Timeout=5;Command Timeout=120;Pooling=false;Server Compatibility Mode=NoTypeLoading");
        await connection.OpenAsync();
        Assert.Equal(Scale * 100_000L, await ScalarAsync(connection, "SELECT count(*) FROM pgbench_accounts"));
        Assert.Equal(Scale * 10L, await ScalarAsync(connection, "SELECT count(*) FROM pgbench_tellers"));

        var run = await PgbenchAsync("-c", "8", "-j", "2", "-t", "50");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Matches(@"number of transactions actually processed: 400/400", run.Output);
        var failed = FailedLine().Match(run.Output);
        Assert.True(!failed.Success || failed.Groups[1].Value == "0", run.Output);

        var history = await ScalarAsync(connection, "SELECT coalesce(sum(delta), 0) FROM pgbench_history");
        Assert.Equal(400L, await ScalarAsync(connection, "SELECT count(*) FROM pgbench_history"));
        Assert.Equal(history, await ScalarAsync(connection, "SELECT sum(abalance) FROM pgbench_accounts"));
        Assert.Equal(history, await ScalarAsync(connection, "SELECT sum(bbalance) FROM pgbench_branches"));
        Assert.Equal(history, await ScalarAsync(connection, "SELECT sum(tbalance) FROM pgbench_tellers"));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<(int ExitCode, string Output, string Error)> PgbenchAsync(params string[] args)
    {
        var info = new ProcessStartInfo("pgbench") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", _luma.Ports.Postgres.ToString(), "-U", "luma" }.Concat(args).Append("luma"))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("pgbench did not start; scripts/test.sh installs postgresql-client");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex FailedLine();
}
