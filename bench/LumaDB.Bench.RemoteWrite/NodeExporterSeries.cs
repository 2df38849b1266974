using System.Globalization;

namespace LumaDB.Bench.RemoteWrite;

/// <summary>
/// A realistic set of node_exporter-like series: per host, CPU seconds per cpu and mode, memory, filesystem and
/// network figures, each with job/instance labels. Values move like real counters and gauges.
/// </summary>
internal sealed class NodeExporterSeries
{
    private static readonly string[] CpuModes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
    private static readonly string[] Devices = ["eth0", "eth1", "lo"];
    private static readonly string[] Mounts = ["/", "/boot", "/var", "/home"];

    public NodeExporterSeries(int seriesCount)
    {
        var all = new List<(string Name, string Value)[]>(seriesCount);
        for (var host = 0; all.Count < seriesCount; host++)
        {
            var instance = string.Create(CultureInfo.InvariantCulture, $"host-{host:D5}:9100");
            (string, string)[] Base(string name) => [("__name__", name), ("instance", instance), ("job", "node")];
            for (var cpu = 0; cpu < 4; cpu++)
            {
                foreach (var mode in CpuModes)
                {
                    all.Add([.. Base("node_cpu_seconds_total"), ("cpu", cpu.ToString(CultureInfo.InvariantCulture)), ("mode", mode)]);
                }
            }

            foreach (var name in new[] { "node_memory_MemAvailable_bytes", "node_memory_MemFree_bytes", "node_memory_Cached_bytes", "node_load1", "node_load5", "node_load15" })
            {
                all.Add(Base(name));
            }

            foreach (var device in Devices)
            {
                foreach (var name in new[] { "node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_network_receive_packets_total", "node_network_transmit_packets_total" })
                {
                    all.Add([.. Base(name), ("device", device)]);
                }
            }

            foreach (var mount in Mounts)
            {
                foreach (var name in new[] { "node_filesystem_avail_bytes", "node_filesystem_size_bytes" })
                {
                    all.Add([.. Base(name), ("device", "/dev/sda1"), ("fstype", "ext4"), ("mountpoint", mount)]);
                }
            }
        }

        // Labels sorted by name, as remote write senders must send them.
        Series = [.. all.Take(seriesCount).Select(s => s.OrderBy(l => l.Name, StringComparer.Ordinal).ToArray())];
        Values = new double[seriesCount];
        var random = new Random(1);
        for (var i = 0; i < seriesCount; i++)
        {
            Values[i] = random.Next(1, 1_000_000);
        }
    }

    public IReadOnlyList<(string Name, string Value)[]> Series { get; }

    /// <summary>Current value per series; counters grow, gauges wander.</summary>
    public double[] Values { get; }

    public double Next(int series, Random random)
    {
        var name = Series[series][0].Value;
        Values[series] = name.EndsWith("_total", StringComparison.Ordinal)
            ? Values[series] + random.Next(0, 100) / 10.0
            : Math.Max(0, Values[series] + random.Next(-1000, 1000));
        return Values[series];
    }
}
