namespace LumaDB.Server.Configuration;

/// <content>The <c>[metrics]</c> keys.</content>
public sealed partial class ConfigSchema
{
    private static void AddMetrics(List<ConfigKey> keys, Dictionary<string, string> descriptions)
    {
        descriptions["metrics"] = "Metric store: Prometheus remote write and scraped samples. Samples are durable in the WAL before a write is acknowledged.";
        keys.Add(new ConfigKey("metrics", "max_active_series", ConfigValueKind.Integer,
            "Most series the store holds; a write that would create more is refused whole with a 400 naming this key. 0 turns the limit off.",
            o => o.Metrics.MaxActiveSeries, (o, v) => o.Metrics.MaxActiveSeries = (long)v)
        { Minimum = 0, Maximum = 1_000_000_000 });
        keys.Add(new ConfigKey("metrics", "out_of_order_window", ConfigValueKind.Duration,
            "How far behind a series' newest sample a late sample is still accepted; older ones are refused and counted. 0 refuses every late sample.",
            o => o.Metrics.OutOfOrderWindow, (o, v) => o.Metrics.OutOfOrderWindow = (TimeSpan)v)
        { Minimum = 0, Maximum = (long)TimeSpan.FromDays(7).TotalMilliseconds });
        keys.Add(new ConfigKey("metrics", "max_concurrent_writes", ConfigValueKind.Integer,
            "Remote write requests stored at once; further requests are answered 429 so senders back off and retry.",
            o => o.Metrics.MaxConcurrentWrites, (o, v) => o.Metrics.MaxConcurrentWrites = checked((int)(long)v))
        { Minimum = 1, Maximum = 10_000 });
        keys.Add(new ConfigKey("metrics", "flush_size", ConfigValueKind.Size,
            "Bytes of sample log after which a checkpoint writes every series' new Gorilla chunks to Parquet segments and trims the log (a checkpoint also runs every two minutes while writes arrive). Larger means fewer checkpoints and a longer replay after a crash.",
            o => o.Metrics.FlushSize, (o, v) => o.Metrics.FlushSize = (long)v)
        { Minimum = 1 << 20, Maximum = 1L << 34 });
        keys.Add(new ConfigKey("metrics", "warm_cache", ConfigValueKind.Size,
            "Memory for Gorilla-compressed chunks older than the two-hour hot window, kept so range queries over them skip the segment files; the oldest go first. Empty after a restart. 0 turns it off.",
            o => o.Metrics.WarmCache, (o, v) => o.Metrics.WarmCache = (long)v)
        { Minimum = 0, Maximum = 1L << 38 });
        keys.Add(new ConfigKey("metrics", "retention", ConfigValueKind.Duration,
            "How long samples are kept (Prometheus's --storage.tsdb.retention.time): chunk segments whose samples all ended before now minus this are dropped whole about once a minute. \"0s\" keeps samples forever.",
            o => o.Metrics.Retention, (o, v) => o.Metrics.Retention = (TimeSpan)v)
        { Minimum = 0, Maximum = (long)TimeSpan.FromDays(36_500).TotalMilliseconds });
    }
}
