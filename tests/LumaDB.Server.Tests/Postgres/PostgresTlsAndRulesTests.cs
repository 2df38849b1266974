using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

public sealed class PostgresTlsAndRulesTests
{
    private static string ConnectionString(LumaProcess luma, string extra) =>
        $"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false;{extra}";

    private static async Task<byte> SslAnswerAsync(LumaProcess luma)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", luma.Ports.Postgres);
        var stream = tcp.GetStream();
        await stream.WriteAsync(PgWireClient.Int32(8).Concat(PgWireClient.Int32(80877103)).ToArray());
        var answer = new byte[1];
        await stream.ReadExactlyAsync(answer);
        return answer[0];
    }

    [Fact]
    public async Task Tls_required_with_a_generated_certificate_accepts_tls_and_refuses_plain_connections()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.tls_mode=require", "--set", "postgres.tls_generate_self_signed=true"]);

        await using var secure = new NpgsqlConnection(ConnectionString(luma, "SSL Mode=Require;Trust Server Certificate=true"));
        await secure.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::text || '!'", secure);
        command.Parameters.AddWithValue("encrypted");
        await using var plain = new NpgsqlConnection(ConnectionString(luma, "SSL Mode=Disable"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => plain.OpenAsync());

        // SSL Mode=Require fails unless the server answered SSLRequest with 'S' and completed the handshake.
        Assert.Equal((byte)'S', await SslAnswerAsync(luma));
        Assert.Equal("encrypted!", await command.ExecuteScalarAsync());
        Assert.Equal("28000", refused.SqlState);
        Assert.True(File.Exists(Path.Combine(luma.DataDir, "data", "tls", "server.crt")));
        Assert.True(File.Exists(Path.Combine(luma.DataDir, "data", "tls", "server.key")));
    }

    [Fact]
    public async Task Tls_off_answers_SSLRequest_with_N_so_prefer_falls_back_to_plain()
    {
        await using var luma = await LumaProcess.StartReadyAsync();

        await using var connection = new NpgsqlConnection(ConnectionString(luma, "SSL Mode=Prefer"));
        await connection.OpenAsync();

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal((byte)'N', await SslAnswerAsync(luma));
    }

    [Fact]
    public async Task Auth_rules_decide_per_user_and_first_match_wins()
    {
        const string Rules = "host all mallory all reject; host all luma 127.0.0.1/32 scram-sha-256; host all all all trust";
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=pw1", "--set", $"postgres.auth_rules={Rules}"]);

        await using var withPassword = new NpgsqlConnection(ConnectionString(luma, "Password=pw1"));
        await withPassword.OpenAsync();
        await using var wrongPassword = new NpgsqlConnection(ConnectionString(luma, "Password=nope"));
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => wrongPassword.OpenAsync());
        await using var mallory = new NpgsqlConnection(ConnectionString(luma, "").Replace("Username=luma", "Username=mallory", StringComparison.Ordinal));
        var rejected = await Assert.ThrowsAsync<PostgresException>(() => mallory.OpenAsync());

        Assert.Equal("28P01", wrong.SqlState);
        Assert.Equal("28000", rejected.SqlState);
        Assert.Contains("user \"mallory\"", rejected.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_rules_that_do_not_parse_stop_the_server_with_the_line_named()
    {
        await using var luma = LumaProcess.Start(["--set", "postgres.auth_rules=host all all 10.0.0.0/8 kerberos"], command: "config", assignPorts: false);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.NotEqual(0, luma.ExitCode);
        Assert.Contains("authentication rule 1: method \"kerberos\"", luma.StandardError, StringComparison.Ordinal);
    }
}
