namespace LumaDB.Server.Configuration;

/// <summary>The <c>[otlp]</c> table: limits of the OTLP receivers and retention of the telemetry tables.</summary>
public sealed class OtlpSection
{
    /// <summary>Largest OTLP request, compressed or decompressed.</summary>
    public long MaxRequestSize { get; set; } = 16L << 20;

    /// <summary>OTLP requests stored at once; more are refused so senders back off.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Retention of otel_traces; zero keeps spans forever.</summary>
    public TimeSpan TracesTtl { get; set; } = TimeSpan.Zero;

    /// <summary>Retention of otel_logs; zero keeps log records forever.</summary>
    public TimeSpan LogsTtl { get; set; } = TimeSpan.Zero;
}
