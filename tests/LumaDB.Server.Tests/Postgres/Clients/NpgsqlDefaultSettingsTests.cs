using LumaDB.Server.Tests.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace LumaDB.Server.Tests.Postgres.Clients;

/// <summary>Npgsql with its default connection string: it loads the server's types from pg_type before first use.</summary>
public sealed class NpgsqlDefaultSettingsTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private string ConnectionString => $"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=60";

    [Fact]
    public async Task Opening_with_default_settings_loads_the_type_catalog()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();

        await connection.ReloadTypesAsync();

        Assert.Equal(new Version(15, 6), connection.PostgreSqlVersion);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_type WHERE typname IN ('int4', '_int4', 'oid', 'regclass', 'record')", connection);
        Assert.Equal(5L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_unknown_column_in_a_parameterized_query_reports_its_position()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT relname FROM pg_class WHERE nosuch = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 1 });

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());

        Assert.Equal(("42703", "column \"nosuch\" does not exist", 36), (error.SqlState, error.MessageText, error.Position));
    }

    [Fact]
    public async Task Ddl_parameters_transactions_and_arrays_work_with_loaded_types()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE npgsql_default_items (id int PRIMARY KEY, name text, tags text[], key uuid, at timestamptz)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var key = Guid.NewGuid();
        await using (var insert = new NpgsqlCommand("INSERT INTO npgsql_default_items VALUES ($1, $2, $3, $4, $5)", connection))
        {
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 1 });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "first" });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ["a", "b"] });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = key });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc) });
            await insert.PrepareAsync();
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var delete = new NpgsqlCommand("DELETE FROM npgsql_default_items", connection, transaction);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
            await transaction.RollbackAsync();
        }

        await using var select = new NpgsqlCommand("SELECT name, tags, key, at FROM npgsql_default_items WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", NpgsqlDbType.Integer, 1);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("first", reader.GetString(0));
        Assert.Equal(["a", "b"], reader.GetFieldValue<string[]>(1));
        Assert.Equal(key, reader.GetGuid(2));
        Assert.Equal(new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc), reader.GetDateTime(3));
        Assert.Equal("text[]", reader.GetDataTypeName(1));
    }
}
