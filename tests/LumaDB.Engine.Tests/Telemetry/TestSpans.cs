using LumaDB.Engine.Telemetry;

namespace LumaDB.Engine.Tests.Telemetry;

/// <summary>Minimal spans for reading and retention tests.</summary>
internal static class TestSpans
{
    /// <summary>Span <paramref name="n"/> (its id) of a trace, starting <paramref name="n"/> ns after <paramref name="start"/>.</summary>
    public static SpanRecord Make(string traceId, int n, long start = 1_764_028_800_000_000_000, string service = "checkout") => new()
    {
        TraceId = traceId,
        SpanId = $"{n:x16}",
        Name = "GET /cart",
        Kind = "server",
        ServiceName = service,
        StartTimeUnixNano = start + n,
        EndTimeUnixNano = start + 250_000_000 + n,
        StatusCode = "unset",
        Attributes = "{}",
        ResourceAttributes = """{"service.name":"checkout"}""",
    };
}
