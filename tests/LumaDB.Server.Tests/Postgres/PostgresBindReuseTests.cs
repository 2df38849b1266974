using System.Buffers.Binary;
using LumaDB.Server.Tests.Hosting;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>
/// The steady-state Bind/Execute path reuses what it can between executions (the last bound statement, the unnamed
/// portal and its parameter array, integer parameters parsed from the bytes): each execution must still see
/// exactly the statement and values its own Bind named.
/// </summary>
public sealed class PostgresBindReuseTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private Task<PgWireClient> ConnectAsync() => PgWireClient.ConnectAsync(fixture.Luma.Ports.Postgres);

    private static async Task SetUpAsync(PgWireClient client, string table)
    {
        await client.QueryAsync($"CREATE TABLE {table} (id int4 PRIMARY KEY, v int8, s int2, name text); " +
            $"INSERT INTO {table} VALUES (1, 10, 1, 'one'), (2, 20, 2, 'two'), (-3, -30, -3, 'minus three')");
        var setup = await client.ReadUntilAsync('Z');
        Assert.DoesNotContain(setup, m => m.Type == 'E');
    }

    [Fact]
    public async Task Repeated_point_lookups_each_return_the_row_of_their_own_parameter()
    {
        await using var client = await ConnectAsync();
        await SetUpAsync(client, "reuse_points");

        await client.ParseAsync("pt", "SELECT v, name FROM reuse_points WHERE id = $1");
        await client.SyncAsync();
        Assert.Equal("1Z", string.Concat((await client.ReadUntilAsync('Z')).Select(m => m.Type)));
        foreach (var (id, expected) in new[] { ("1", "10 one"), ("2", "20 two"), ("-3", "-30 minus three"), ("4", null), ("1", "10 one") })
        {
            await client.BindAsync("", "pt", [id]);
            await client.ExecuteAsync("");
            await client.SyncAsync();
            var messages = await client.ReadUntilAsync('Z');
            var row = messages.SingleOrDefault(m => m.Type == 'D');
            Assert.Equal(expected, row is null ? null : string.Join(' ', row.DataRow()));
            Assert.Equal(expected is null ? "SELECT 0" : "SELECT 1", messages.Single(m => m.Type == 'C').Text);
        }
    }

    [Fact]
    public async Task A_statement_closed_and_parsed_again_under_the_same_name_is_the_one_bound_next()
    {
        await using var client = await ConnectAsync();
        await SetUpAsync(client, "reuse_names");

        await client.ParseAsync("q", "SELECT name FROM reuse_names WHERE id = $1");
        await client.BindAsync("", "q", ["1"]);
        await client.ExecuteAsync("");
        await client.SendAsync('C', [(byte)'S'], PgWireClient.CString("q"));
        await client.ParseAsync("q", "SELECT v FROM reuse_names WHERE id = $1");
        await client.BindAsync("", "q", ["2"]);
        await client.ExecuteAsync("");
        await client.ParseAsync("", "SELECT s FROM reuse_names WHERE id = $1");
        await client.BindAsync("", "", ["-3"]);
        await client.ExecuteAsync("");
        await client.ParseAsync("", "SELECT name FROM reuse_names WHERE id = $1");
        await client.BindAsync("", "", ["-3"]);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var messages = await client.ReadUntilAsync('Z');

        Assert.DoesNotContain(messages, m => m.Type == 'E');
        Assert.Equal(["one", "20", "-3", "minus three"], messages.Where(m => m.Type == 'D').Select(m => m.DataRow()[0]));
    }

    [Theory]
    [InlineData("+2", "two", "plus")]
    [InlineData(" 2", "two", "space")]
    [InlineData("0002", "two", "zeros")]
    [InlineData("-3", "minus three", "minus")]
    public async Task Integer_parameters_in_any_spelling_PostgreSQL_accepts_find_the_row(string id, string expected, string suffix)
    {
        await using var client = await ConnectAsync();
        var table = "reuse_spell_" + suffix;
        await SetUpAsync(client, table);

        await client.ParseAsync("", $"SELECT name FROM {table} WHERE id = $1", 23);
        await client.BindAsync("", "", [id]);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var messages = await client.ReadUntilAsync('Z');

        Assert.Equal(expected, messages.Single(m => m.Type == 'D').DataRow()[0]);
    }

    [Theory]
    [InlineData("99999999999", "22003")]
    [InlineData("12a", "22P02")]
    [InlineData("", "22P02")]
    [InlineData("-", "22P02")]
    public async Task Bad_integer_parameters_fail_with_PostgreSQLs_error_and_the_session_goes_on(string id, string sqlState)
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("", "SELECT $1::int4 + 1", 23);
        await client.BindAsync("", "", [id]);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var failed = await client.ReadUntilAsync('Z');
        await client.BindAsync("", "", ["41"]);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var next = await client.ReadUntilAsync('Z');

        Assert.Equal(sqlState, failed.Single(m => m.Type == 'E').Fields['C']);
        Assert.Equal("42", next.Single(m => m.Type == 'D').DataRow()[0]);
    }

    [Fact]
    public async Task Integer_columns_come_back_in_binary_when_the_client_asks()
    {
        await using var client = await ConnectAsync();
        await SetUpAsync(client, "reuse_binary");

        await client.ParseAsync("", "SELECT id, v, s FROM reuse_binary WHERE id = $1");
        await client.BindAsync("", "", ["-3"], resultFormat: 1);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var row = (await client.ReadUntilAsync('Z')).Single(m => m.Type == 'D').Body;

        // Column count, then (length, value) for int4, int8, int2.
        Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(row));
        Assert.Equal(4, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(2)));
        Assert.Equal(-3, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(6)));
        Assert.Equal(8, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(10)));
        Assert.Equal(-30L, BinaryPrimitives.ReadInt64BigEndian(row.AsSpan(14)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(22)));
        Assert.Equal((short)-3, BinaryPrimitives.ReadInt16BigEndian(row.AsSpan(26)));
    }
}
