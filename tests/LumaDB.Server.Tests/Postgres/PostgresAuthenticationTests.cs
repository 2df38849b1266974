using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

public sealed class PostgresAuthenticationTests
{
    private static string ConnectionString(LumaProcess luma, string user, string password) =>
        $"Host=127.0.0.1;Port={luma.Ports.Postgres};Username={user};Password={password};Database=luma;Timeout=30;Pooling=false";

    [Fact]
    public async Task Scram_sha_256_is_required_once_a_password_is_set_and_accepts_the_right_one()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=s3cret!"]);

        await using var good = new NpgsqlConnection(ConnectionString(luma, "luma", "s3cret!"));
        await good.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, good.State);

        await using var noPassword = new NpgsqlConnection(ConnectionString(luma, "luma", "").Replace("Password=;", "", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<Exception>(() => noPassword.OpenAsync());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_error()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=s3cret!"]);

        await using var wrong = new NpgsqlConnection(ConnectionString(luma, "luma", "guess"));
        var wrongError = await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        await using var unknown = new NpgsqlConnection(ConnectionString(luma, "mallory", "guess"));
        var unknownError = await Assert.ThrowsAsync<PostgresException>(() => unknown.OpenAsync());

        Assert.Equal("28P01", wrongError.SqlState);
        Assert.Equal("28P01", unknownError.SqlState);
        Assert.Equal("password authentication failed for user \"luma\"", wrongError.MessageText);
        Assert.Equal("password authentication failed for user \"mallory\"", unknownError.MessageText);
    }

    [Fact]
    public async Task Md5_passwords_work_when_configured()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=old-client", "--set", "postgres.password_method=md5"]);

        await using var connection = new NpgsqlConnection(ConnectionString(luma, "luma", "old-client"));
        await connection.OpenAsync();
        await using var wrong = new NpgsqlConnection(ConnectionString(luma, "luma", "nope"));

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync())).SqlState);
    }

    [Fact]
    public async Task The_configured_password_is_masked_by_luma_config()
    {
        await using var luma = LumaProcess.Start(["--set", "postgres.bootstrap_password=s3cret!"], command: "config", assignPorts: false);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("bootstrap_password = \"********\"", luma.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret!", luma.StandardOutput, StringComparison.Ordinal);
    }
}
