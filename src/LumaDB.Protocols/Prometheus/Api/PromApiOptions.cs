namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>Limits and identity of the Prometheus HTTP API.</summary>
public sealed class PromApiOptions
{
    /// <summary>How far back an instant selector looks for a sample (ms).</summary>
    public long LookbackDeltaMs { get; init; } = 5 * 60 * 1000;

    /// <summary>Longest a query may run; a query's own <c>timeout</c> parameter can only shorten it.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Most samples a query may hold in memory at once.</summary>
    public long MaxSamples { get; init; } = 50_000_000;

    /// <summary>Most points a range query may return per series.</summary>
    public long MaxPointsPerSeries { get; init; } = 11_000;

    /// <summary>The version reported by <c>/api/v1/status/buildinfo</c>.</summary>
    public string Version { get; init; } = "0.0.0";

    /// <summary>The source revision reported by <c>/api/v1/status/buildinfo</c>.</summary>
    public string Revision { get; init; } = "unknown";

    /// <summary>The runtime reported as <c>goVersion</c>, the field clients read.</summary>
    public string Runtime { get; init; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>Retention reported by <c>/api/v1/status/runtimeinfo</c>.</summary>
    public string StorageRetention { get; init; } = "";
}
