using System.Net;
using System.Net.Sockets;
using LumaDB.Server.Tests.Hosting;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

public sealed class PostgresListenerTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private string ConnectionString(string extra = "") =>
        $"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=metrics;Timeout=30;Pooling=false;{extra}";

    [Fact]
    public async Task Npgsql_logs_in_from_loopback_without_a_password_when_none_is_set()
    {
        await using var connection = new NpgsqlConnection(ConnectionString());

        await connection.OpenAsync();

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal("15.6", connection.PostgreSqlVersion.ToString(2));
        Assert.Equal("UTF8", connection.PostgresParameters["client_encoding"]);
        Assert.Equal("on", connection.PostgresParameters["standard_conforming_strings"]);
        Assert.True(connection.ProcessID > 0);
    }

    [Fact]
    public async Task A_syntax_error_comes_back_with_sqlstate_and_position_and_the_session_goes_on()
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();

        await using var bad = new NpgsqlCommand("SELECT a FORM t", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteNonQueryAsync());

        Assert.Equal("42601", error.SqlState);
        Assert.Equal("syntax error at or near \"t\"", error.MessageText);
        Assert.Equal(15, error.Position);

        await using var next = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await next.ExecuteScalarAsync());
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        await using var connection = new NpgsqlConnection(ConnectionString().Replace("Username=luma", "Username=ghost", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("28000", error.SqlState);
        Assert.Equal("role \"ghost\" does not exist", error.MessageText);
    }

    [Fact]
    public async Task An_ssl_request_is_declined_with_N()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Luma.Ports.Postgres);
        var stream = client.GetStream();

        await stream.WriteAsync(new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F });
        var reply = new byte[1];
        await stream.ReadExactlyAsync(reply);

        Assert.Equal((byte)'N', reply[0]);
    }

    [Fact]
    public async Task An_oversize_startup_packet_gets_a_protocol_violation_and_the_server_keeps_serving()
    {
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, fixture.Luma.Ports.Postgres);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 0, 0x10, 0, 0, 0, 3, 0, 0 });
            var reply = new byte[256];
            var read = await stream.ReadAsync(reply);

            Assert.Equal((byte)'E', reply[0]);
            Assert.Contains("08P01", System.Text.Encoding.UTF8.GetString(reply, 0, read), StringComparison.Ordinal);
        }

        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task A_wrong_protocol_version_is_refused_in_postgres_words()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Luma.Ports.Postgres);
        var stream = client.GetStream();

        await stream.WriteAsync(new byte[] { 0, 0, 0, 9, 0, 2, 0, 0, 0 });
        var reply = new byte[256];
        var read = await stream.ReadAsync(reply);

        Assert.Contains("unsupported frontend protocol 2.0", System.Text.Encoding.UTF8.GetString(reply, 0, read), StringComparison.Ordinal);
    }
}
