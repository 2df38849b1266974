namespace LumaDB.Bench.PromQL;

/// <summary>
/// Deterministic node_exporter-like data per host: CPU seconds counters (8 CPUs x 6 modes), network byte
/// counters (2 devices), a memory gauge and a classic histogram <c>http_request_duration_seconds</c> (2 handlers,
/// 12 <c>le</c> buckets plus _sum and _count): 79 series per host.
/// </summary>
internal sealed class DashboardData
{
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity];
    /// <summary>Typical Grafana range queries over this data.</summary>
    public static readonly string[] Queries =
    [
        "rate(node_cpu_seconds_total{mode=\"user\"}[5m])",
        "sum by (job) (rate(node_cpu_seconds_total[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
        "topk(5, rate(node_network_receive_bytes_total[5m]))",
        "sum by (instance) (rate(node_cpu_seconds_total{instance=~\"host-1.*\",mode!=\"idle\"}[5m]))",
        "avg by (job) (node_memory_MemAvailable_bytes)",
    ];

    private static readonly string[] Modes = ["idle", "user", "system", "iowait", "irq", "softirq"];

    public DashboardData(int hosts)
    {
        for (var h = 0; h < hosts; h++)
        {
            var instance = $"host-{h}";
            var job = $"job-{h % 4}";
            for (var cpu = 0; cpu < 8; cpu++)
            {
                foreach (var mode in Modes)
                {
                    Series.Add(new BenchSeries([("__name__", "node_cpu_seconds_total"), ("cpu", cpu.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("instance", instance), ("job", job), ("mode", mode)], Kind.Counter, -1));
                }
            }

            foreach (var device in new[] { "eth0", "eth1" })
            {
                Series.Add(new BenchSeries([("__name__", "node_network_receive_bytes_total"), ("device", device), ("instance", instance), ("job", job)], Kind.Counter, -1));
            }

            Series.Add(new BenchSeries([("__name__", "node_memory_MemAvailable_bytes"), ("instance", instance), ("job", job)], Kind.Gauge, -1));
            foreach (var handler in new[] { "/api", "/login" })
            {
                for (var b = 0; b < Bounds.Length; b++)
                {
                    var le = double.IsPositiveInfinity(Bounds[b]) ? "+Inf" : Bounds[b].ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Series.Add(new BenchSeries([("__name__", "http_request_duration_seconds_bucket"), ("handler", handler), ("instance", instance), ("job", job), ("le", le)], Kind.Bucket, b));
                }

                Series.Add(new BenchSeries([("__name__", "http_request_duration_seconds_count"), ("handler", handler), ("instance", instance), ("job", job)], Kind.Bucket, Bounds.Length - 1));
                Series.Add(new BenchSeries([("__name__", "http_request_duration_seconds_sum"), ("handler", handler), ("instance", instance), ("job", job)], Kind.Sum, -1));
            }
        }
    }

    public enum Kind
    {
        Counter,
        Gauge,
        Bucket,
        Sum,
    }

    public List<BenchSeries> Series { get; } = [];

    /// <summary>The value of series <paramref name="index"/> at step <paramref name="step"/> (cumulative for counters).</summary>
    public static double Value(BenchSeries s, int index, int step)
    {
        switch (s.Type)
        {
            case Kind.Gauge:
                return 4e9 + (Noise(index, step) * 1e9);
            case Kind.Counter:
                // Cumulative: the sum of per-step increments, in closed form so any step is O(1).
                return (step * (1.0 + (index % 7))) + Math.Floor(Noise(index, step) * 3);
            case Kind.Bucket:
                {
                    // Requests per step split over buckets by a fixed shape; cumulative over le and time.
                    double share = 0;
                    for (var b = 0; b <= s.Bucket; b++)
                    {
                        share += Shape(b);
                    }

                    return Math.Floor(step * 20 * share);
                }

            default:
                return step * 20 * 0.3;
        }
    }

    private static double Shape(int bucket) => bucket switch
    {
        0 => 0.05,
        1 => 0.1,
        2 => 0.15,
        3 => 0.2,
        4 => 0.2,
        5 => 0.15,
        6 => 0.08,
        7 => 0.04,
        8 => 0.02,
        9 => 0.01,
        _ => 0,
    };

    private static double Noise(int index, int step)
    {
        var x = (uint)((index * 2654435761u) ^ (step * 40503u));
        x ^= x >> 13;
        x *= 0x5bd1e995;
        x ^= x >> 15;
        return x / (double)uint.MaxValue;
    }
}

/// <summary>One generated series.</summary>
internal sealed record BenchSeries((string Name, string Value)[] Labels, DashboardData.Kind Type, int Bucket);
