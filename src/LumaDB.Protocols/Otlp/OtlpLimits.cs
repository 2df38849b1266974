namespace LumaDB.Protocols.Otlp;

/// <summary>Limits of the OTLP receivers.</summary>
public sealed class OtlpLimits
{
    /// <summary>Largest request accepted, compressed or not (HTTP 413, gRPC ResourceExhausted beyond it).</summary>
    public int MaxRequestBytes { get; init; } = 16 << 20;

    /// <summary>Requests stored at once; more are refused with HTTP 429 / gRPC Unavailable so senders back off.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>What Retry-After tells a refused sender.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(2);
}
