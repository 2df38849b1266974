using LumaDB.Server.Tests.Hosting;

namespace LumaDB.Server.Tests.Postgres.Clients;

/// <summary>
/// Debian's psql 15 runs the scripts under psql/ against a running server; its whole output (results, describe
/// commands, expanded display, errors with LINE and caret) must equal the expected .out file beside each script.
/// </summary>
public sealed class PsqlScriptTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Theory]
    [InlineData("describe")]
    [InlineData("sequences")]
    [InlineData("constraints")]
    public async Task Psql_script_output_matches_the_expected_file(string name)
    {
        var directory = Path.Combine(ClientProgram.ScriptDirectory, "psql");
        var (_, output, error) = await ClientProgram.RunAsync("/usr/bin/psql", "postgresql-client",
            ["-h", "127.0.0.1", "-p", fixture.Luma.Ports.Postgres.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "luma", "-d", "luma", "-X", "-q", "-f", name + ".sql"],
            workingDirectory: directory, environment: new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10", ["PAGER"] = "", ["PGTZ"] = "UTC" });

        // psql writes results to stdout and errors to stderr; the expected file interleaves them as a terminal shows
        // them, so compare each stream with its lines of the file.
        var expected = (await File.ReadAllTextAsync(Path.Combine(directory, name + ".out"))).ReplaceLineEndings("\n");
        var expectedErrors = string.Concat(expected.Split('\n').Where(IsErrorLine).Select(l => l + "\n"));
        var expectedResults = string.Concat(expected.Split('\n').SkipLast(1).Where(l => !IsErrorLine(l)).Select(l => l + "\n"));

        Assert.Equal(expectedErrors, error.ReplaceLineEndings("\n"));
        Assert.Equal(expectedResults, output);
    }

    private static bool IsErrorLine(string line) =>
        line.StartsWith("psql:", StringComparison.Ordinal) || line.StartsWith("LINE ", StringComparison.Ordinal) || (line.Length > 0 && line.TrimStart(' ') == "^")
        || line.StartsWith("DETAIL:  ", StringComparison.Ordinal) || line.StartsWith("HINT:  ", StringComparison.Ordinal);
}
