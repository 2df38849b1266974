namespace LumaDB.Server.Configuration;

/// <summary>The <c>[metrics]</c> table: limits and rules of the metric store.</summary>
public sealed class MetricsSection
{
    /// <summary>Most series the store holds; a write that would create more is refused. 0: no limit.</summary>
    public long MaxActiveSeries { get; set; } = 2_000_000;

    /// <summary>How far behind a series' newest sample a late sample is still accepted.</summary>
    public TimeSpan OutOfOrderWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Remote write requests written at once; more are answered 429.</summary>
    public int MaxConcurrentWrites { get; set; } = 64;

    /// <summary>
    /// Bytes of sample log after which a checkpoint stores the chunks as rows and trims the log. The log is on disk,
    /// so this bounds replay time after a crash, not memory.
    /// </summary>
    public long FlushSize { get; set; } = 64L << 20;

    /// <summary>Memory for compressed chunks that left the hot window, kept for range queries; 0 turns it off.</summary>
    public long WarmCache { get; set; } = 256L << 20;

    /// <summary>How long samples are kept; zero keeps them forever.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.Zero;
}
