using LumaDB.Server.Tests.Hosting;
using LumaDB.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>jsonb and vector columns through Npgsql: stored, filtered, grouped and ordered with their operators.</summary>
public sealed class PostgresJsonVectorTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private static async Task<NpgsqlConnection> OpenAsync(LumaProcess luma)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<string>> LinesAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return lines;
    }

    [Fact]
    public async Task Jsonb_and_vector_columns_work_in_where_group_by_and_order_by()
    {
        await using var connection = await OpenAsync(fixture.Luma);
        var table = "jv_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = new NpgsqlCommand($"CREATE TABLE {table} (id int PRIMARY KEY, attrs jsonb, embedding vector(3))", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand(
            $$"""
            INSERT INTO {{table}} VALUES
              (1, '{"method": "GET", "status": 200, "tags": ["a"]}', '[1,2,3]'),
              (2, '{"method": "POST", "status": 500, "tags": ["a", "b"]}', '[4,5,6]'),
              (3, '{"method": "GET", "status": 404}', '[1,1,1]')
            """,
            connection))
        {
            Assert.Equal(3, await insert.ExecuteNonQueryAsync());
        }

        Assert.Equal(["1", "3"], await LinesAsync(connection, $"SELECT id FROM {table} WHERE attrs->>'method' = $1 ORDER BY id", "GET"));
        Assert.Equal(["GET|2|404", "POST|1|500"], await LinesAsync(connection, $"SELECT attrs->>'method', count(*), max((attrs->'status')::int) FROM {table} GROUP BY attrs->>'method' ORDER BY 1"));
        Assert.Equal(["2"], await LinesAsync(connection, $"SELECT id FROM {table} WHERE attrs @> '{{\"tags\": [\"b\"]}}' AND attrs ? 'status'"));
        Assert.Equal(["1|0", "3|2.23606797749979"], await LinesAsync(connection, $"SELECT id, embedding <-> '[1,2,3]' FROM {table} ORDER BY embedding <-> '[1,2,3]' LIMIT 2"));
        Assert.Equal(["2"], await LinesAsync(connection, $"SELECT id FROM {table} ORDER BY embedding <#> '[1,1,1]' LIMIT 1"));
        Assert.Equal(["{\"id\": 1, \"method\": \"GET\"}"], await LinesAsync(connection, $"SELECT jsonb_build_object('id', id, 'method', attrs->'method')::text FROM {table} WHERE id = 1"));

        // A bad value is the server's 22P02 and the session keeps serving.
        var error = await Assert.ThrowsAsync<PostgresException>(() => LinesAsync(connection, "SELECT '{\"a\":'::jsonb"));
        Assert.Equal("22P02", error.SqlState);
        error = await Assert.ThrowsAsync<PostgresException>(() => LinesAsync(connection, $"SELECT embedding <-> '[1,2]' FROM {table}"));
        Assert.Equal(("22000", "different vector dimensions 3 and 2"), (error.SqlState, error.MessageText));
        Assert.Equal(["3"], await LinesAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task Exported_log_attributes_are_queryable_with_the_text_arrow()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        using (var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("payments"));
            o.AddOtlpExporter((exporter, processor) =>
            {
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.Endpoint = new Uri($"http://127.0.0.1:{luma.Ports.OtlpHttp}/v1/logs");
                exporter.TimeoutMilliseconds = 10_000;
                processor.ExportProcessorType = OpenTelemetry.ExportProcessorType.Simple;
            });
        })))
        {
            var logger = factory.CreateLogger("Payments");
#pragma warning disable CA1873 // The test wants the structured arguments as they are.
            logger.LogInformation("Charge {Method} for {Amount}", "GET", 42);
            logger.LogInformation("Charge {Method} for {Amount}", "POST", 7);
#pragma warning restore CA1873
        }

        await using var connection = await OpenAsync(luma);
        Assert.Equal(
            ["GET|42|number"],
            await LinesAsync(connection, "SELECT attributes->>'Method', (attributes->'Amount')::int, jsonb_typeof(attributes->'Amount') FROM otel_logs WHERE attributes->>'Method' = 'GET' AND service_name = 'payments'"));
        Assert.Equal(["POST"], await LinesAsync(connection, "SELECT attributes->>'Method' FROM otel_logs WHERE attributes @> '{\"Amount\": 7}'"));
    }
}
