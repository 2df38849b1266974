using LumaDB.Server.Tests.Hosting;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>
/// Primary-key point and range lookups on every key type, through Npgsql with prepared statements: the key a
/// lookup computes from a parameter must be the key the row was written under, and EXPLAIN must show the
/// lookup took the key path (not a scan that would hide a mismatch).
/// </summary>
public sealed class PostgresPrimaryKeyLookupTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> NamesAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.PrepareAsync();
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    public static TheoryData<string, string, object, object, object> KeyTypes() => new()
    {
        // type, SQL literals of three keys in order (first < second < third), and the same keys as parameters.
        { "int2", "-5, 7, 300", (short)7, (short)-5, (short)300 },
        { "int4", "-70000, 7, 70000", 7, -70000, 70000 },
        { "int8", "-9000000000, 7, 9000000000", 7L, -9000000000L, 9000000000L },
        { "float8", "-2.5, 0.125, 1e10", 0.125, -2.5, 1e10 },
        { "text", "'apple', 'banana', 'cherry'", "banana", "apple", "cherry" },
        { "varchar(10)", "'apple', 'banana', 'cherry'", "banana", "apple", "cherry" },
        { "bytea", "'\\x00', '\\x0100ff', '\\xff'", new byte[] { 1, 0, 255 }, new byte[] { 0 }, new byte[] { 255 } },
        {
            "uuid", "'00000000-0000-0000-0000-000000000001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ffffffff-0000-0000-0000-000000000000'",
            Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("ffffffff-0000-0000-0000-000000000000")
        },
        {
            "timestamp", "'1999-12-31 23:59:59', '2024-01-31 13:45:10.123456', '2030-06-01 00:00:00'",
            new DateTime(2024, 1, 31, 13, 45, 10, DateTimeKind.Unspecified).AddTicks(1234560),
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Unspecified), new DateTime(2030, 6, 1, 0, 0, 0, DateTimeKind.Unspecified)
        },
        {
            "timestamptz", "'1999-12-31 23:59:59+00', '2024-01-31 13:45:10+00', '2030-06-01 00:00:00+00'",
            new DateTime(2024, 1, 31, 13, 45, 10, DateTimeKind.Utc),
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), new DateTime(2030, 6, 1, 0, 0, 0, DateTimeKind.Utc)
        },
        { "date", "'1999-12-31', '2024-01-31', '2030-06-01'", new DateOnly(2024, 1, 31), new DateOnly(1999, 12, 31), new DateOnly(2030, 6, 1) },
        { "numeric", "-1.5, 2.25, 10", 2.25m, -1.5m, 10m },
    };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Point_and_range_lookups_find_rows_by_a_key_of_each_type(string type, string literals, object middle, object low, object high)
    {
        await using var connection = await OpenAsync();
        var table = "pk_" + string.Concat(type.Where(char.IsLetterOrDigit));
        await ExecAsync(connection, $"DROP TABLE IF EXISTS {table}");
        await ExecAsync(connection, $"CREATE TABLE {table} (k {type} PRIMARY KEY, name text)");
        var keys = literals.Split(", ");
        await ExecAsync(connection, $"INSERT INTO {table} VALUES ({keys[0]}, 'low'), ({keys[1]}, 'middle'), ({keys[2]}, 'high')");

        Assert.Equal(["middle"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k = $1", middle));
        Assert.Equal(["low"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k = $1", low));
        Assert.Equal(["high"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k = $1", high));
        Assert.Equal(["low", "high"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k IN ($1, $2) ORDER BY k", low, high));
        Assert.Equal(["middle", "high"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k > $1 ORDER BY k", low));
        Assert.Equal(["low", "middle"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k <= $1 ORDER BY k", middle));
        Assert.Equal(["middle"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k > $1 AND k < $2", low, high));

        // After VACUUM flushes, the rows come from segments, through the same keys.
        await ExecAsync(connection, $"VACUUM {table}");
        Assert.Equal(["middle"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k = $1", middle));
        Assert.Equal(["middle", "high"], await NamesAsync(connection, $"SELECT name FROM {table} WHERE k >= $1 ORDER BY k", middle));
    }

    [Theory]
    [InlineData("int4", "7")]
    [InlineData("text", "'banana'")]
    [InlineData("uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")]
    [InlineData("bytea", "'\\x0100ff'")]
    [InlineData("timestamptz", "'2024-01-31 13:45:10+00'")]
    public async Task Equality_on_the_key_is_planned_as_a_key_lookup(string type, string literal)
    {
        await using var connection = await OpenAsync();
        var table = "pkplan_" + string.Concat(type.Where(char.IsLetterOrDigit));
        await ExecAsync(connection, $"DROP TABLE IF EXISTS {table}");
        await ExecAsync(connection, $"CREATE TABLE {table} (k {type} PRIMARY KEY, name text)");

        var plan = await PlanAsync(connection, $"SELECT name FROM {table} WHERE k = {literal}");

        Assert.Contains("Index Scan", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_values_the_column_type_cannot_hold_match_nothing_instead_of_failing()
    {
        await using var connection = await OpenAsync();
        await ExecAsync(connection, "DROP TABLE IF EXISTS pk_narrow");
        await ExecAsync(connection, "CREATE TABLE pk_narrow (k int4 PRIMARY KEY, name text)");
        await ExecAsync(connection, "INSERT INTO pk_narrow VALUES (1, 'one'), (2, 'two'), (2147483647, 'max')");

        Assert.Empty(await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k = 1.5"));
        Assert.Empty(await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k = 9000000000"));
        Assert.Equal(["two"], await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k = 2.0"));
        Assert.Equal(["two", "max"], await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k > 1.5 ORDER BY k"));
        Assert.Equal(["one"], await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k < 1.5"));
        Assert.Equal(["one", "two", "max"], await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k < 9000000000 ORDER BY k"));
        Assert.Equal(["one"], await NamesAsync(connection, "SELECT name FROM pk_narrow WHERE k = $1", 1L));
    }

    [Fact]
    public async Task A_composite_key_is_reached_by_its_prefix_and_by_full_points()
    {
        await using var connection = await OpenAsync();
        await ExecAsync(connection, "DROP TABLE IF EXISTS pk_pair");
        await ExecAsync(connection, "CREATE TABLE pk_pair (a text, b uuid, name text, PRIMARY KEY (a, b))");
        await ExecAsync(connection, """
            INSERT INTO pk_pair VALUES
              ('x', '00000000-0000-0000-0000-000000000001', 'x1'), ('x', '00000000-0000-0000-0000-000000000002', 'x2'),
              ('xy', '00000000-0000-0000-0000-000000000001', 'xy1'), ('y', '00000000-0000-0000-0000-000000000001', 'y1')
            """);

        Assert.Equal(["x1", "x2"], await NamesAsync(connection, "SELECT name FROM pk_pair WHERE a = $1 ORDER BY b", "x"));
        Assert.Equal(["x2"], await NamesAsync(connection, "SELECT name FROM pk_pair WHERE a = $1 AND b = $2", "x", Guid.Parse("00000000-0000-0000-0000-000000000002")));
        Assert.Equal(["x2"], await NamesAsync(connection, "SELECT name FROM pk_pair WHERE a = $1 AND b > $2", "x", Guid.Parse("00000000-0000-0000-0000-000000000001")));
    }
}
