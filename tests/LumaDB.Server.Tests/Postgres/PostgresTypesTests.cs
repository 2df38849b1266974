using LumaDB.Server.Tests.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>Every supported type through Npgsql, in both wire formats, as results and as parameters.</summary>
public sealed class PostgresTypesTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private const string EveryType = """
        SELECT true, 7::int2, 70000::int4, 9000000000::int8, 1.5::float4, 2.25::float8, 12345.6789::numeric,
               'text'::text, 'v'::varchar(3), 'c'::char(3), '\x0102ff'::bytea, '2024-01-31'::date, '13:45:10.5'::time,
               '2024-01-31 13:45:10.123456'::timestamp, '2024-01-31 13:45:10+00'::timestamptz, '1 mon 2 days 03:04:05'::interval,
               'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{"a": 1}'::json, '{"b": [1, 2]}'::jsonb, '{1,NULL,3}'::int4[],
               '{{a,b},{c,d}}'::text[], -0.000120::numeric, NULL::int4
        """;

    private static void AssertEveryType(NpgsqlDataReader reader)
    {
        Assert.True(reader.GetBoolean(0));
        Assert.Equal((short)7, reader.GetInt16(1));
        Assert.Equal(70000, reader.GetInt32(2));
        Assert.Equal(9000000000L, reader.GetInt64(3));
        Assert.Equal(1.5f, reader.GetFloat(4));
        Assert.Equal(2.25, reader.GetDouble(5));
        Assert.Equal(12345.6789m, reader.GetDecimal(6));
        Assert.Equal("text", reader.GetString(7));
        Assert.Equal("v", reader.GetString(8));
        Assert.Equal("c  ", reader.GetString(9));
        Assert.Equal(new byte[] { 1, 2, 255 }, reader.GetFieldValue<byte[]>(10));
        Assert.Equal(new DateOnly(2024, 1, 31), reader.GetFieldValue<DateOnly>(11));
        Assert.Equal(new TimeOnly(13, 45, 10, 500), reader.GetFieldValue<TimeOnly>(12));
        Assert.Equal(new DateTime(2024, 1, 31, 13, 45, 10, DateTimeKind.Unspecified).AddTicks(1234560), reader.GetDateTime(13));
        Assert.Equal(new DateTime(2024, 1, 31, 13, 45, 10, DateTimeKind.Utc), reader.GetFieldValue<DateTime>(14));
        Assert.Equal(new NpgsqlInterval(1, 2, ((3 * 3600L) + (4 * 60) + 5) * 1_000_000), reader.GetFieldValue<NpgsqlInterval>(15));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), reader.GetGuid(16));
        Assert.Equal("{\"a\": 1}", reader.GetString(17));
        Assert.Equal("{\"b\": [1, 2]}", reader.GetString(18));
        Assert.Equal(new int?[] { 1, null, 3 }, reader.GetFieldValue<int?[]>(19));
        Assert.Equal(new[,] { { "a", "b" }, { "c", "d" } }, reader.GetFieldValue<string[,]>(20));
        Assert.Equal(-0.000120m, reader.GetDecimal(21));
        Assert.Equal("-0.000120", reader.GetDecimal(21).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(reader.IsDBNull(22));
    }

    [Fact]
    public async Task Every_type_reads_back_in_binary_through_the_extended_protocol()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(EveryType, connection);
        await command.PrepareAsync();

        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        AssertEveryType(reader);
    }

    [Fact]
    public async Task Every_type_reads_back_in_text_through_the_simple_protocol()
    {
        // A batch of two statements goes as one simple Query... Npgsql uses the extended protocol for commands, so
        // a raw multi-statement command text exercises text results on the same values.
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(EveryType + "; SELECT 2", connection) { AllResultTypesAreUnknown = true };

        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("t", reader.GetString(0));
        Assert.Equal("12345.6789", reader.GetString(6));
        Assert.Equal("\\x0102ff", reader.GetString(10));
        Assert.Equal("2024-01-31 13:45:10+00", reader.GetString(14));
        Assert.Equal("1 mon 2 days 03:04:05", reader.GetString(15));
        Assert.Equal("{1,NULL,3}", reader.GetString(19));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("2", reader.GetString(0));
    }

    [Fact]
    public async Task Parameters_of_every_type_round_trip_in_binary()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18", connection);
        object[] values =
        [
            true, (short)-3, -70000, long.MinValue, 3.5f, -1e300, -98765.4321m, "héllo", new byte[] { 0, 9 },
            new DateOnly(1999, 12, 31), new TimeOnly(23, 59, 59), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Unspecified),
            new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), new NpgsqlInterval(-1, 3, 5_000_000), Guid.NewGuid(),
            new[] { 1L, 2L }, new[] { "x", "y z" }, 0.00001m,
        ];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < values.Length; i++)
        {
            object read = values[i] switch
            {
                DateOnly => reader.GetFieldValue<DateOnly>(i),
                TimeOnly => reader.GetFieldValue<TimeOnly>(i),
                NpgsqlInterval => reader.GetFieldValue<NpgsqlInterval>(i),
                _ => reader.GetValue(i),
            };
            Assert.Equal(values[i], read);
        }
    }

    [Fact]
    public async Task Text_parameters_are_parsed_by_the_type_they_are_cast_to()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::int4 + 1, $2::date + 1, $3::numeric * 2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "41", NpgsqlDbType = NpgsqlDbType.Unknown });
        command.Parameters.Add(new NpgsqlParameter { Value = "2024-02-28", NpgsqlDbType = NpgsqlDbType.Unknown });
        command.Parameters.Add(new NpgsqlParameter { Value = "1.25", NpgsqlDbType = NpgsqlDbType.Unknown });

        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(42, reader.GetInt32(0));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(1));
        Assert.Equal(2.50m, reader.GetDecimal(2));
    }

    [Fact]
    public async Task A_bad_parameter_value_is_a_data_error_and_the_connection_stays_usable()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::int4", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "twelve", NpgsqlDbType = NpgsqlDbType.Unknown });

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        await using var next = new NpgsqlCommand("SELECT 'ok'", connection);

        Assert.Equal("22P02", error.SqlState);
        Assert.Equal("ok", await next.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Set_sends_ParameterStatus_and_show_reads_the_setting()
    {
        await using var connection = await OpenAsync();
        await using var set = new NpgsqlCommand("SET application_name = 'dashboards'", connection);
        await set.ExecuteNonQueryAsync();
        await using var show = new NpgsqlCommand("SELECT current_setting('application_name')", connection);

        Assert.Equal("dashboards", connection.PostgresParameters["application_name"]);
        Assert.Equal("dashboards", await show.ExecuteScalarAsync());
        Assert.Equal("15.6", connection.PostgresParameters["server_version"]);
        Assert.Equal("UTF8", connection.PostgresParameters["server_encoding"]);
        Assert.Equal("luma", connection.PostgresParameters["session_authorization"]);
    }

    [Fact]
    public async Task Pg_backend_pid_is_the_process_id_of_BackendKeyData_and_version_settings_agree()
    {
        await using var connection = await OpenAsync();
        await using var other = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid(), current_setting('server_version'), current_setting('server_version_num')", connection);
        await using var otherPid = new NpgsqlCommand("SELECT pg_backend_pid()", other);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(connection.ProcessID, reader.GetInt32(0));
        Assert.Equal("15.6", reader.GetString(1));
        Assert.Equal("150006", reader.GetString(2));
        Assert.Equal(other.ProcessID, await otherPid.ExecuteScalarAsync());
        Assert.NotEqual(connection.ProcessID, other.ProcessID);
    }
}
