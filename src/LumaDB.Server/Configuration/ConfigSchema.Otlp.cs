namespace LumaDB.Server.Configuration;

/// <content>The <c>[otlp]</c> keys.</content>
public sealed partial class ConfigSchema
{
    private static void AddOtlp(List<ConfigKey> keys, Dictionary<string, string> descriptions)
    {
        descriptions["otlp"] = "OpenTelemetry ingest on the otlp_grpc and otlp_http listeners: spans into otel_traces, log records into otel_logs, metrics into the metric store.";
        keys.Add(new ConfigKey("otlp", "max_request_size", ConfigValueKind.Size,
            "Largest OTLP request, compressed or after gzip decompression; a larger one is refused with HTTP 413 or gRPC RESOURCE_EXHAUSTED.",
            o => o.Otlp.MaxRequestSize, (o, v) => o.Otlp.MaxRequestSize = (long)v)
        { Minimum = 1024, Maximum = 1L << 30 });
        keys.Add(new ConfigKey("otlp", "max_concurrent_requests", ConfigValueKind.Integer,
            "OTLP requests stored at once; further requests get HTTP 429 with Retry-After or gRPC UNAVAILABLE, so exporters back off and retry.",
            o => o.Otlp.MaxConcurrentRequests, (o, v) => o.Otlp.MaxConcurrentRequests = checked((int)(long)v))
        { Minimum = 1, Maximum = 10_000 });
        keys.Add(new ConfigKey("otlp", "traces_ttl", ConfigValueKind.Duration,
            "Retention of otel_traces, set when the table is created; \"0s\" keeps spans forever.",
            o => o.Otlp.TracesTtl, (o, v) => o.Otlp.TracesTtl = (TimeSpan)v)
        { Minimum = 0, Maximum = (long)TimeSpan.FromDays(36500).TotalMilliseconds });
        keys.Add(new ConfigKey("otlp", "logs_ttl", ConfigValueKind.Duration,
            "Retention of otel_logs, set when the table is created; \"0s\" keeps log records forever.",
            o => o.Otlp.LogsTtl, (o, v) => o.Otlp.LogsTtl = (TimeSpan)v)
        { Minimum = 0, Maximum = (long)TimeSpan.FromDays(36500).TotalMilliseconds });
    }
}
