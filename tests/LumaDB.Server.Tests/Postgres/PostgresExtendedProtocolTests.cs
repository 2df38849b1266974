using LumaDB.Server.Tests.Hosting;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>Extended-protocol sequences sent byte by byte, as drivers send them (and as they rarely do).</summary>
public sealed class PostgresExtendedProtocolTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private Task<PgWireClient> ConnectAsync() => PgWireClient.ConnectAsync(fixture.Luma.Ports.Postgres);

    [Fact]
    public async Task Describe_of_a_statement_reports_inferred_parameter_types_and_the_row_shape()
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("s1", "SELECT $1::int8 + 1 AS next, $2 || 'x' AS label, $3", 0, 0, 1082);
        await client.DescribeAsync('S', "s1");
        await client.SyncAsync();
        var messages = await client.ReadUntilAsync('Z');

        Assert.Equal("1tTZ", string.Concat(messages.Select(m => m.Type)));
        Assert.Equal([20, 25, 1082], messages[1].ParameterOids());
        Assert.Equal([("next", 20), ("label", 25), ("?column?", 1082)], messages[2].Columns());
    }

    [Fact]
    public async Task A_statement_without_rows_describes_as_NoData_and_an_empty_query_as_EmptyQueryResponse()
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("", "SET application_name = 'wire'");
        await client.DescribeAsync('S', "");
        await client.BindAsync("", "", []);
        await client.ExecuteAsync("");
        await client.ParseAsync("", "  ");
        await client.BindAsync("", "", []);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var messages = await client.ReadUntilAsync('Z');

        Assert.Equal("1tn2SC12IZ", string.Concat(messages.Select(m => m.Type)));
        Assert.Equal("SET", messages[5].Text);
    }

    [Fact]
    public async Task Execute_with_a_row_limit_suspends_the_portal_and_resumes_where_it_stopped()
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("", "VALUES (1), (2), (3)");
        await client.BindAsync("p", "", []);
        await client.ExecuteAsync("p", 2);
        await client.ExecuteAsync("p", 2);
        await client.SyncAsync();
        var messages = await client.ReadUntilAsync('Z');

        Assert.Equal("12DDsDCZ", string.Concat(messages.Select(m => m.Type)));
        Assert.Equal(["1", "2", "3"], messages.Where(m => m.Type == 'D').Select(m => m.Text));
        Assert.Equal("SELECT 3", messages[^2].Text);
    }

    [Fact]
    public async Task Closing_a_statement_closes_its_own_portals_but_not_those_of_another_statement_with_the_same_text()
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("s1", "VALUES (1), (2), (3)");
        await client.ParseAsync("s2", "VALUES (1), (2), (3)");
        await client.BindAsync("p1", "s1", []);
        await client.BindAsync("p2", "s2", []);
        await client.SendAsync('C', [(byte)'S'], PgWireClient.CString("s1"));
        await client.ExecuteAsync("p2");
        await client.SyncAsync();
        var kept = await client.ReadUntilAsync('Z');
        await client.ExecuteAsync("p1");
        await client.SyncAsync();
        var closed = await client.ReadUntilAsync('Z');

        Assert.Equal("11223DDDCZ", string.Concat(kept.Select(m => m.Type)));
        Assert.Equal("EZ", string.Concat(closed.Select(m => m.Type)));
    }

    [Fact]
    public async Task An_error_mid_pipeline_skips_to_Sync_and_the_session_goes_on()
    {
        await using var client = await ConnectAsync();

        await client.ParseAsync("", "SELECT 1 / $1::int4");
        await client.BindAsync("", "", ["0"]);
        await client.ExecuteAsync("");
        await client.ParseAsync("never", "SELECT 2");
        await client.BindAsync("", "never", []);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        await client.ParseAsync("", "SELECT $1::int4 * 2");
        await client.BindAsync("", "", ["21"]);
        await client.ExecuteAsync("");
        await client.SyncAsync();
        var failed = await client.ReadUntilAsync('Z');
        var next = await client.ReadUntilAsync('Z');

        Assert.Equal("12EZ", string.Concat(failed.Select(m => m.Type)));
        Assert.Equal("22012 division by zero", failed[2].Text);
        Assert.Equal("12DCZ", string.Concat(next.Select(m => m.Type)));
        Assert.Equal("42", next[2].Text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public async Task Messages_packed_into_one_write_or_split_mid_message_are_each_answered(int chunk)
    {
        await using var client = await ConnectAsync();
        await client.ParseAsync("twice", "SELECT $1::int4 * 2");
        await client.SyncAsync();
        Assert.Equal("1Z", string.Concat((await client.ReadUntilAsync('Z')).Select(m => m.Type)));

        // Three Bind/Execute/Sync rounds, as pgbench sends them: in one write, or in 7-byte pieces.
        var bytes = new List<byte>();
        foreach (var value in new[] { "1", "20", "300" })
        {
            bytes.AddRange(Message('B', [.. PgWireClient.CString(""), .. PgWireClient.CString("twice"), .. PgWireClient.Int16(0), .. PgWireClient.Int16(1),
                .. PgWireClient.Int32(value.Length), .. System.Text.Encoding.ASCII.GetBytes(value), .. PgWireClient.Int16(0)]));
            bytes.AddRange(Message('E', [.. PgWireClient.CString(""), .. PgWireClient.Int32(0)]));
            bytes.AddRange(Message('S', []));
        }

        if (chunk == 0)
        {
            await client.SendRawAsync([.. bytes]);
        }
        else
        {
            foreach (var piece in bytes.Chunk(chunk))
            {
                await client.SendRawAsync(piece);
                await Task.Delay(1);
            }
        }

        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("2DCZ", string.Concat(messages.Select(m => m.Type)));
            answers.Add(messages[1].Text);
        }

        Assert.Equal(["2", "40", "600"], answers);

        static byte[] Message(char type, byte[] body) => [(byte)type, .. PgWireClient.Int32(body.Length + 4), .. body];
    }

    [Fact]
    public async Task Unknown_statements_and_portals_and_wrong_parameter_counts_are_errors()
    {
        await using var client = await ConnectAsync();

        await client.BindAsync("", "nope", []);
        await client.SyncAsync();
        await client.ExecuteAsync("nope");
        await client.SyncAsync();
        await client.ParseAsync("two", "SELECT $1::int4, $2::text");
        await client.BindAsync("", "two", ["1"]);
        await client.SyncAsync();

        Assert.Equal("26000 prepared statement \"nope\" does not exist", (await client.ReadUntilAsync('Z'))[0].Text);
        Assert.Equal("34000 portal \"nope\" does not exist", (await client.ReadUntilAsync('Z'))[0].Text);
        Assert.Equal("08P01 bind message supplies 1 parameters, but prepared statement \"two\" requires 2", (await client.ReadUntilAsync('Z'))[1].Text);
    }

    [Fact]
    public async Task Simple_query_runs_several_statements_and_stops_at_the_first_error()
    {
        await using var client = await ConnectAsync();

        await client.QueryAsync("SELECT 1 AS a; VALUES ('x'), ('y'); SELECT 1/0; SELECT 3");
        var messages = await client.ReadUntilAsync('Z');

        Assert.Equal("TDCTDDCEZ", string.Concat(messages.Select(m => m.Type)));
        Assert.Equal("22012 division by zero", messages[7].Text);
    }

    [Fact]
    public async Task Ready_for_query_reports_the_transaction_block_and_its_failure()
    {
        await using var client = await ConnectAsync();

        await client.QueryAsync("BEGIN");
        var begun = await client.ReadUntilAsync('Z');
        await client.QueryAsync("SELECT 1/0");
        var failed = await client.ReadUntilAsync('Z');
        await client.QueryAsync("SELECT 1");
        var refused = await client.ReadUntilAsync('Z');
        await client.QueryAsync("ROLLBACK");
        var idle = await client.ReadUntilAsync('Z');

        Assert.Equal("T", begun[^1].Text);
        Assert.Equal("E", failed[^1].Text);
        Assert.Equal("25P02", refused[0].Fields['C']);
        Assert.Equal("I", idle[^1].Text);
    }

    [Fact]
    public async Task A_malformed_message_gets_a_protocol_error_and_the_server_keeps_serving_others()
    {
        await using var client = await ConnectAsync();

        // A Bind whose parameter count promises more than the body holds.
        await client.SendAsync('B', PgWireClient.CString(""), PgWireClient.CString(""), PgWireClient.Int16(0), PgWireClient.Int16(5));
        await client.SyncAsync();
        var error = (await client.ReadUntilAsync('Z'))[0];
        await client.SendAsync('?');
        var fatal = await client.ReadAsync();
        var closed = await client.ReadAsync();

        Assert.Equal("08P01 invalid Bind message", error.Text);
        Assert.Equal("08P01", fatal!.Fields['C']);
        Assert.Equal("FATAL", fatal.Fields['S']);
        Assert.Null(closed);
        await using var other = await ConnectAsync();
        await other.QueryAsync("SELECT 1");
        Assert.Contains(await other.ReadUntilAsync('Z'), m => m.Type == 'D' && m.Text == "1");
    }

    [Fact]
    public async Task An_oversize_message_is_refused_with_a_protocol_error()
    {
        await using var client = await ConnectAsync();

        await client.SendRawAsync([(byte)'Q', .. PgWireClient.Int32(int.MaxValue)]);
        var error = await client.ReadAsync();

        Assert.Equal("08P01", error!.Fields['C']);
        Assert.Null(await client.ReadAsync());
    }
}
