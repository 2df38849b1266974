using LumaDB.Engine.Telemetry;
using LumaDB.Engine.Tests.Transactions;

namespace LumaDB.Engine.Tests.Telemetry;

public sealed class TelemetryRecoveryTests
{
    [Fact]
    public async Task Acknowledged_spans_come_back_after_a_crash_whether_flushed_or_only_in_the_wal()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var flushed = Trace("0af7651916cd43dd8448eb211c80319c", spans: 3);
        var unflushed = Trace("4bf92f3577b34da6a3ce929d0e0e4736", spans: 2);
        using (var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), TimeProvider.System))
        {
            await store.EnsureTablesAsync();
            await store.WriteSpansAsync(flushed);
            await engine.Database.FlushAsync();
            await store.WriteSpansAsync(unflushed);
        }

        // The directory as a crash right after the acknowledgements leaves it: one trace in a segment, one only
        // in the write-ahead log.
        await using var crashed = await engine.CrashCopyAsync();
        using var reopened = new TelemetryStore(crashed.Database, new TelemetryTableOptions(), TimeProvider.System);
        await reopened.EnsureTablesAsync();
        foreach (var trace in new[] { flushed, unflushed })
        {
            var read = await reopened.GetTraceAsync(trace[0].TraceId);
            Assert.Equal(trace.Select(Describe).Order(), read.Select(Describe).Order());
        }
    }

    private static SpanRecord[] Trace(string traceId, int spans) =>
        Enumerable.Range(0, spans).Select(i => new SpanRecord
        {
            TraceId = traceId,
            SpanId = $"{i + 1:x16}",
            ParentSpanId = i == 0 ? null : $"{1:x16}",
            Name = i == 0 ? "GET /cart" : "SELECT cart",
            Kind = i == 0 ? "server" : "client",
            ServiceName = "checkout",
            StartTimeUnixNano = 1_764_028_800_000_000_000 + (i * 1_000_000L),
            EndTimeUnixNano = 1_764_028_800_250_000_000 + (i * 1_000_000L),
            StatusCode = i == 1 ? "error" : "unset",
            StatusMessage = i == 1 ? "timeout" : null,
            HttpMethod = i == 0 ? "GET" : null,
            HttpStatusCode = i == 0 ? 200 : null,
            Attributes = $$"""{"n":{{i}}}""",
            ResourceAttributes = """{"service.name":"checkout"}""",
        }).ToArray();

    private static string Describe(SpanRecord s) =>
        string.Join('|', s.TraceId, s.SpanId, s.ParentSpanId, s.Name, s.Kind, s.ServiceName, s.StartTimeUnixNano, s.EndTimeUnixNano,
            s.StatusCode, s.StatusMessage, s.HttpMethod, s.HttpStatusCode, s.Attributes, s.ResourceAttributes);
}
