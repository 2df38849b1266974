using LumaDB.Server.Tests.Hosting;

namespace LumaDB.Server.Tests.Postgres.Clients;

/// <summary>
/// pgjdbc, node-postgres and psycopg2, each with its default connection settings, against a running server:
/// DDL, parameterized queries, and a transaction that is rolled back. scripts/test.sh installs every client.
/// </summary>
public sealed class ThirdPartyClientTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private string Port => fixture.Luma.Ports.Postgres.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pgjdbc_creates_a_table_runs_server_prepared_parameters_and_rolls_back()
    {
        const string Jar = "/usr/share/java/postgresql.jar";
        Assert.True(File.Exists(Jar), $"{Jar} is missing: scripts/test.sh installs libpostgresql-jdbc-java");

        var (exitCode, output, error) = await ClientProgram.RunAsync("/usr/bin/java", "a Java runtime (default-jdk-headless)",
            ["-cp", Jar, Path.Combine(ClientProgram.ScriptDirectory, "jdbc", "JdbcClientCheck.java"), Port]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            string.Concat(Enumerable.Repeat("inserted 1\n", 6)) + """
            deleted 3
            5|item 5|7.5|2024-01-05 10:00:00.0
            6|item 6|9.0|2024-01-06 10:00:00.0
            count 6
            PostgreSQL 15

            """, output);
    }

    [Fact]
    public async Task Node_postgres_runs_parameters_named_statements_and_rolls_back()
    {
        var tools = Path.GetFullPath(Path.Combine(ClientProgram.ScriptDirectory, "..", "..", "..", "tools", "node_modules"));
        Assert.True(Directory.Exists(Path.Combine(tools, "pg")), $"{tools}/pg is missing: scripts/test.sh runs npm ci in tests/tools");

        var (exitCode, output, error) = await ClientProgram.RunAsync("/usr/bin/node", "nodejs",
            [Path.Combine(ClientProgram.ScriptDirectory, "node", "pg-client-check.js"), Port], environment: new Dictionary<string, string> { ["NODE_PATH"] = tools });

        Assert.True(exitCode == 0, error);
        Assert.Equal("""
            INSERT 1
            INSERT 1
            [{"id":2,"name":"pear","qty":"20","tags":["pear","fruit"]}]
            [{"id":1,"name":"apple","qty":"10","tags":["apple","fruit"]}]
            [{"total":"30"}]
            42P01 relation "node_missing" does not exist

            """, output);
    }

    [Fact]
    public async Task Psycopg2_commits_rolls_back_and_reads_parameters_back_as_python_values()
    {
        // Debian's python3-psycopg2 belongs to the system interpreter, not to any other python3 on the PATH.
        var (exitCode, output, error) = await ClientProgram.RunAsync("/usr/bin/python3", "python3-psycopg2",
            [Path.Combine(ClientProgram.ScriptDirectory, "python", "psycopg2_check.py"), Port]);

        Assert.True(exitCode == 0, error.Contains("No module named 'psycopg2'", StringComparison.Ordinal) ? "psycopg2 is missing: scripts/test.sh installs python3-psycopg2" : error);
        Assert.Equal("""
            committed 1
            deleted 1
            (1, 'apple', Decimal('1.25'), datetime.date(2024, 2, 29))
            (2, "pear's", Decimal('2.5'), None)
            42P01 ERROR:  relation "py_missing" does not exist

            """, output);
    }
}
