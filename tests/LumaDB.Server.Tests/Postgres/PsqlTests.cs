using System.Diagnostics;
using LumaDB.Server.Tests.Hosting;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>Debian's psql (installed by scripts/test.sh) against a running server.</summary>
public sealed class PsqlTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private async Task<(int ExitCode, string Output, string Error)> PsqlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("psql")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", fixture.Luma.Ports.Postgres.ToString(), "-U", "luma", "-d", "luma", "-X", "-v", "ON_ERROR_STOP=1" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PGCONNECT_TIMEOUT"] = "5";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("psql did not start; scripts/test.sh installs postgresql-client");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_statement_timeout_set_in_a_query_string_applies_to_the_statements_after_it()
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, _, error) = await PsqlAsync("-c", "SET statement_timeout = 200; SELECT pg_sleep(3)");
        Assert.Equal(1, exitCode);
        Assert.Equal("ERROR:  canceling statement due to statement timeout\n", error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");

        // Turned off again within the string: the sleep after it is not cancelled by the earlier deadline.
        (exitCode, _, error) = await PsqlAsync("-c", "SET statement_timeout = 200; SET statement_timeout = 0; SELECT pg_sleep(0.5)");
        Assert.Equal((0, ""), (exitCode, error));
    }

    [Fact]
    public async Task Psql_connects_and_prints_a_syntax_error_with_its_caret()
    {
        var (exitCode, _, error) = await PsqlAsync("-c", "SELEC 1");

        Assert.Equal(1, exitCode);
        Assert.Equal("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n", error);
    }

    [Fact]
    public async Task Psql_reports_a_missing_table_in_postgres_words()
    {
        var (exitCode, _, error) = await PsqlAsync("-c", "SELECT * FROM t");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("ERROR:  relation \"t\" does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Psql_points_at_an_unknown_column_of_the_failing_statement_in_a_query_string()
    {
        // The position counts from the start of the whole string, so psql's caret lands under the name.
        var (exitCode, _, error) = await PsqlAsync("-c", "SELECT 1; SELECT nosuch FROM pg_class");

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "ERROR:  column \"nosuch\" does not exist\nLINE 1: SELECT 1; SELECT nosuch FROM pg_class\n                         ^\n", error);
    }

    [Fact]
    public async Task Psql_prints_a_table_for_a_query_without_tables()
    {
        var (exitCode, output, error) = await PsqlAsync("-c", "SELECT 1 + 2 AS three, 'a' || 'b' AS ab, NULL::int AS nothing");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Equal(" three | ab | nothing \n-------+----+---------\n     3 | ab |        \n(1 row)\n\n", output);
    }

    [Fact]
    public async Task Psql_shows_values_rows_and_expression_errors_in_postgres_words()
    {
        var (_, output, _) = await PsqlAsync("-A", "-t", "-c", "VALUES (1, 'x'), (2, 'y')");
        var (exitCode, _, error) = await PsqlAsync("-c", "SELECT 1 / 0");

        Assert.Equal("1|x\n2|y\n", output);
        Assert.Equal(1, exitCode);
        Assert.Equal("ERROR:  division by zero\n", error);
    }

    [Fact]
    public async Task Psql_accepts_an_empty_query()
    {
        var (exitCode, output, error) = await PsqlAsync("-c", ";");

        Assert.Equal(0, exitCode);
        Assert.Equal("", output + error);
    }

    [Fact]
    public async Task Psql_creates_fills_and_lists_a_table()
    {
        var (exitCode, output, error) = await PsqlAsync(
            "-c", "CREATE TABLE psql_items (id int PRIMARY KEY, name text)",
            "-c", "INSERT INTO psql_items VALUES (1, 'bolt'), (2, 'nut')",
            "-c", "SELECT name FROM psql_items WHERE id = 2",
            "-c", "\\dt psql_*");

        Assert.Equal("", error);
        Assert.Equal(0, exitCode);
        Assert.Equal(
            "CREATE TABLE\nINSERT 0 2\n name \n------\n nut\n(1 row)\n\n"
            + "          List of relations\n Schema |    Name    | Type  | Owner \n--------+------------+-------+-------\n public | psql_items | table | luma\n(1 row)\n\n",
            output);
    }
}
