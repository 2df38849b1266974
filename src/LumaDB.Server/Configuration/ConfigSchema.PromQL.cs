namespace LumaDB.Server.Configuration;

/// <summary>The [promql] section: limits of PromQL queries served by the Prometheus HTTP API.</summary>
public sealed partial class ConfigSchema
{
    private static void AddPromQL(List<ConfigKey> keys, Dictionary<string, string> descriptions)
    {
        descriptions["promql"] = "PromQL queries of the Prometheus HTTP API (/api/v1/query, /api/v1/query_range): lookback and limits.";
        keys.Add(new ConfigKey("promql", "lookback_delta", ConfigValueKind.Duration,
            "How far back an instant selector looks for a series' newest sample; older series are treated as gone.",
            o => o.PromQL.LookbackDelta, (o, v) => o.PromQL.LookbackDelta = (TimeSpan)v)
        { Minimum = 1, Maximum = (long)TimeSpan.FromDays(7).TotalMilliseconds });
        keys.Add(new ConfigKey("promql", "query_timeout", ConfigValueKind.Duration,
            "Longest a query may run before it is stopped with a timeout error; a request's timeout parameter can only shorten it.",
            o => o.PromQL.QueryTimeout, (o, v) => o.PromQL.QueryTimeout = (TimeSpan)v)
        { Minimum = 1, Maximum = (long)TimeSpan.FromHours(1).TotalMilliseconds });
        keys.Add(new ConfigKey("promql", "max_samples", ConfigValueKind.Integer,
            "Most samples a query may hold in memory at once; a query that needs more fails instead of exhausting memory.",
            o => o.PromQL.MaxSamples, (o, v) => o.PromQL.MaxSamples = (long)v)
        { Minimum = 1, Maximum = long.MaxValue / 2 });
        keys.Add(new ConfigKey("promql", "max_points_per_series", ConfigValueKind.Integer,
            "Most points a range query may return per series ((end - start) / step); more is refused, asking for a coarser step.",
            o => o.PromQL.MaxPointsPerSeries, (o, v) => o.PromQL.MaxPointsPerSeries = (long)v)
        { Minimum = 1, Maximum = 10_000_000 });
    }
}
