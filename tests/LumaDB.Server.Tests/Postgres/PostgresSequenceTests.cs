using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>
/// Sequences through Npgsql against the real server: prepared inserts into serial and identity tables get a new
/// value every execution, and a server killed without warning never hands out a value it had acknowledged.
/// </summary>
public sealed class PostgresSequenceTests
{
    private const int SigKill = 9;

    private static NpgsqlConnection Connect(LumaProcess luma) =>
        new($"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=30;Pooling=false");

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_killed_server_continues_past_every_value_it_handed_out()
    {
        var work = Directory.CreateTempSubdirectory("luma-seq-").FullName;
        try
        {
            var taken = new List<long>();
            var ids = new List<long>();
            var luma = LumaProcess.Start(dataDir: work);
            await using (luma)
            {
                await luma.WaitReadyAsync();
                await using var connection = Connect(luma);
                await connection.OpenAsync();
                await using (var create = new NpgsqlCommand("CREATE SEQUENCE tickets; CREATE TABLE jobs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text)", connection))
                {
                    await create.ExecuteNonQueryAsync();
                }

                // More values than one logged block holds, so the kill lands after a block boundary.
                for (var i = 0; i < 45; i++)
                {
                    taken.Add(await ScalarAsync(connection, "SELECT nextval('tickets')"));
                }

                await using var insert = new NpgsqlCommand("INSERT INTO jobs (name) VALUES ($1) RETURNING id", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = "" });
                await insert.PrepareAsync();
                for (var i = 0; i < 40; i++)
                {
                    insert.Parameters[0].Value = "job " + i;
                    ids.Add(Convert.ToInt64(await insert.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
                }

                luma.Signal(SigKill);
                Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            }

            Assert.Equal(Enumerable.Range(1, 45).Select(i => (long)i), taken);
            Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), ids);

            await using var restarted = LumaProcess.Start(dataDir: work);
            await restarted.WaitReadyAsync();
            await using var again = Connect(restarted);
            await again.OpenAsync();
            Assert.True(await ScalarAsync(again, "SELECT nextval('tickets')") > taken.Max());
            Assert.True(await ScalarAsync(again, "INSERT INTO jobs (name) VALUES ('after the kill') RETURNING id") > ids.Max());
            Assert.Equal(41, await ScalarAsync(again, "SELECT count(DISTINCT id) FROM jobs"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_prepared_inserts_into_a_serial_table_get_distinct_ids()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        await using (var setup = Connect(luma))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            await using var connection = Connect(luma);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO orders (customer) VALUES ($1) RETURNING id", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = "" });
            await insert.PrepareAsync();
            var ids = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                insert.Parameters[0].Value = $"writer {w}";
                ids.Add(Convert.ToInt64(await insert.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }

            return ids;
        })).ToArray();
        var all = (await Task.WhenAll(writers)).SelectMany(i => i).ToList();

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), all.Order());
        await using var check = Connect(luma);
        await check.OpenAsync();
        Assert.Equal(200, await ScalarAsync(check, "SELECT count(*) FROM orders"));
        Assert.Equal(all.Max(), await ScalarAsync(check, "SELECT last_value FROM orders_id_seq"));
    }
}
