using LumaDB.Engine.Telemetry;
using LumaDB.Engine.Tests.Transactions;
using LumaDB.Engine.Transactions;

namespace LumaDB.Engine.Tests.Telemetry;

public sealed class TelemetryTableCreationTests
{
    [Fact]
    public async Task Creating_the_tables_while_clients_commit_ddl_retries_instead_of_failing()
    {
        // A fresh server creates the tables in the background while the first clients send their DDL.
        for (var round = 0; round < 3; round++)
        {
            await using var engine = await EngineFixture.OpenAsync();
            using var stop = new CancellationTokenSource();
            var committed = 0;
            var ddl = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    await using var transaction = engine.Database.BeginTransaction();
                    transaction.CreateSchema($"client_{i}");
                    try
                    {
                        await transaction.CommitAsync();
                        Interlocked.Increment(ref committed);
                    }
                    catch (TransactionConflictException)
                    {
                        // The tables' commit won this time.
                    }
                }
            });

            while (Volatile.Read(ref committed) < 3)
            {
                await Task.Yield();
            }

            using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), TimeProvider.System);
            var tables = await store.EnsureTablesAsync();
            await stop.CancelAsync();
            await ddl;

            Assert.Same(tables.Traces, engine.Database.Catalog.FindTable(tables.Traces.Id));
            Assert.Same(tables.Logs, engine.Database.Catalog.FindTable(tables.Logs.Id));
        }
    }
}
