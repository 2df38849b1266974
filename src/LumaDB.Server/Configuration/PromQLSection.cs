namespace LumaDB.Server.Configuration;

/// <summary>[promql]: PromQL query limits; the defaults are Prometheus's.</summary>
public sealed class PromQLSection
{
    /// <summary>How far back an instant selector looks for a sample.</summary>
    public TimeSpan LookbackDelta { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest a query may run.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most samples a query may hold in memory at once.</summary>
    public long MaxSamples { get; set; } = 50_000_000;

    /// <summary>Most points a range query may return per series.</summary>
    public long MaxPointsPerSeries { get; set; } = 11_000;
}
