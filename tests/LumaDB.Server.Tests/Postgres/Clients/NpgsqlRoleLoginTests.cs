using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres.Clients;

/// <summary>Roles created with SQL log in through Npgsql (default settings, types loaded) by SCRAM-SHA-256 and md5.</summary>
public sealed class NpgsqlRoleLoginTests
{
    private static string ConnectionString(LumaProcess luma, string user, string password) =>
        $"Host=127.0.0.1;Port={luma.Ports.Postgres};Username={user};Password={password};Database=luma;Timeout=60;Pooling=false";

    private static async Task ExecuteAsync(LumaProcess luma, string sql)
    {
        await using var admin = new NpgsqlConnection(ConnectionString(luma, "luma", "boot-pw"));
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> WhoAmIAsync(LumaProcess luma, string user, string password)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(luma, user, password));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task A_created_role_logs_in_by_scram_and_a_changed_or_dropped_password_applies_to_the_next_login()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=boot-pw"]);

        await ExecuteAsync(luma, "CREATE ROLE app LOGIN PASSWORD 'first-pw'");
        Assert.Equal("app", await WhoAmIAsync(luma, "app", "first-pw"));
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(luma, "app", "wrong"))).SqlState);

        await ExecuteAsync(luma, "ALTER ROLE app PASSWORD 'second-pw'");
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(luma, "app", "first-pw"))).SqlState);
        Assert.Equal("app", await WhoAmIAsync(luma, "app", "second-pw"));

        await ExecuteAsync(luma, "DROP ROLE app");
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(luma, "app", "second-pw"))).SqlState);
    }

    [Fact]
    public async Task The_stored_secret_is_a_scram_verifier_never_the_password()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=boot-pw"]);
        await ExecuteAsync(luma, "CREATE USER reader PASSWORD 'plain-secret'");

        // Files the server holds open are read through a shared handle.
        var text = string.Concat(Directory.EnumerateFiles(luma.DataDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("LOCK", StringComparison.Ordinal)).Select(ReadShared));

        Assert.Contains("SCRAM-SHA-256$4096:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-secret", text, StringComparison.Ordinal);
        Assert.Equal("reader", await WhoAmIAsync(luma, "reader", "plain-secret"));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task A_role_created_under_md5_password_encryption_logs_in_by_md5()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=boot-pw", "--set", "postgres.password_method=md5"]);

        await ExecuteAsync(luma, "SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'old-pw'");

        Assert.Equal("legacy", await WhoAmIAsync(luma, "legacy", "old-pw"));
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(luma, "legacy", "new-pw"))).SqlState);
    }

    [Fact]
    public async Task A_scram_role_still_logs_in_when_md5_is_the_configured_method()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=boot-pw", "--set", "postgres.password_method=md5"]);

        await ExecuteAsync(luma, "CREATE ROLE modern LOGIN PASSWORD 'scram-pw'");

        Assert.Equal("modern", await WhoAmIAsync(luma, "modern", "scram-pw"));
    }

    [Fact]
    public async Task A_nologin_role_is_refused_and_duplicate_or_missing_roles_are_errors()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "postgres.bootstrap_password=boot-pw"]);
        await ExecuteAsync(luma, "CREATE ROLE group_only PASSWORD 'pw'");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(luma, "group_only", "pw"));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(luma, "CREATE ROLE group_only"));
        var missing = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(luma, "DROP ROLE nobody"));

        Assert.Equal("28000", refused.SqlState);
        Assert.Equal("role \"group_only\" is not permitted to log in", refused.MessageText);
        Assert.Equal("42710", duplicate.SqlState);
        Assert.Equal("42704", missing.SqlState);
        Assert.Equal("role \"nobody\" does not exist", missing.MessageText);
    }
}
