using LumaDB.Engine.Telemetry;
using LumaDB.Engine.Tests.Transactions;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Tests.Telemetry;

public sealed class TelemetryRetentionTests
{
    [Fact]
    public async Task The_traces_ttl_drops_flushed_spans_once_they_are_older_than_it_and_keeps_newer_ones()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions { TracesTtl = TimeSpan.FromHours(1) }, TimeProvider.System);
        var tables = await store.EnsureTablesAsync();
        var shard = engine.Database.Shard;
        Assert.Equal(TimeSpan.FromHours(1), shard.RetentionOf(tables.Traces.Id));
        Assert.Null(shard.RetentionOf(tables.Logs.Id));

        // Telemetry merges at least eight segments, in windows of an eighth of the TTL.
        Assert.Equal(new TableCompaction(8, TimeSpan.FromMinutes(7.5)), shard.CompactionOf(tables.Traces.Id));
        Assert.Equal(new TableCompaction(8, null), shard.CompactionOf(tables.Logs.Id));

        await store.WriteSpansAsync([TestSpans.Make("0af7651916cd43dd8448eb211c80319c", 1, Nanos(now.AddHours(-3)))]);
        await engine.Database.FlushAsync();
        await store.WriteSpansAsync([TestSpans.Make("4bf92f3577b34da6a3ce929d0e0e4736", 1, Nanos(now.AddMinutes(-1)))]);
        await engine.Database.FlushAsync();

        Assert.Single(await shard.ApplyRetentionAsync());
        Assert.Empty(await store.GetTraceAsync("0af7651916cd43dd8448eb211c80319c"));
        Assert.Single(await store.GetTraceAsync("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    private static long Nanos(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
