using System.Net;
using System.Net.Sockets;
using LumaDB.Server.Tests.Hosting;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

public sealed class PostgresListenerTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    [Fact]
    public async Task Npgsql_gets_a_feature_not_supported_error_until_the_wire_protocol_lands()
    {
        var connectionString = $"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=5;Pooling=false";
        await using var connection = new NpgsqlConnection(connectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("0A000", error.SqlState);
        Assert.Equal("FATAL", error.Severity);
        Assert.Contains("PostgreSQL protocol", error.MessageText, StringComparison.Ordinal);
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

        using var health = await fixture.Luma.Http.GetAsync(new Uri(fixture.Luma.HttpBase, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
