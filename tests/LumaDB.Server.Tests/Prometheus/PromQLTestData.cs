namespace LumaDB.Server.Tests.Prometheus;

/// <summary>
/// 55 minutes of samples every 15 s, the same on every call: counters (one with a reset), gauges and classic
/// histogram buckets, as remote write series.
/// </summary>
public static class PromQLTestData
{
    public const long StepMs = 15_000;

    public static List<(IReadOnlyList<(string Name, string Value)> Labels, IReadOnlyList<(long Ts, double Value)> Samples)> Build(long endMs)
    {
        // 55 minutes: a fresh Prometheus head accepts samples up to an hour older than its newest.
        var start = endMs - 3_300_000;
        var random = new Random(7);
        var series = new List<(IReadOnlyList<(string, string)>, IReadOnlyList<(long, double)>)>();

        void Counter(double rate, bool reset, params (string, string)[] labels)
        {
            var samples = new List<(long, double)>();
            double value = 0;
            for (var t = start; t <= endMs; t += StepMs)
            {
                value += rate * (0.5 + random.NextDouble());
                if (reset && t == start + 1_800_000)
                {
                    value = 3;
                }

                samples.Add((t, Math.Round(value, 3)));
            }

            series.Add((labels, samples));
        }

        void Gauge(double phase, params (string, string)[] labels)
        {
            var samples = new List<(long, double)>();
            for (var t = start; t <= endMs; t += StepMs)
            {
                samples.Add((t, Math.Round(50 + (20 * Math.Sin(phase + ((t - start) / 600_000.0))) + random.NextDouble(), 3)));
            }

            series.Add((labels, samples));
        }

        Counter(10, false, ("__name__", "http_requests_total"), ("job", "api"), ("instance", "a:80"), ("code", "200"));
        Counter(1, true, ("__name__", "http_requests_total"), ("job", "api"), ("instance", "a:80"), ("code", "500"));
        Counter(4, false, ("__name__", "http_requests_total"), ("job", "web"), ("instance", "b:80"), ("code", "200"));
        Gauge(0, ("__name__", "node_temperature_celsius"), ("instance", "a:80"), ("zone", "north"));
        Gauge(1, ("__name__", "node_temperature_celsius"), ("instance", "b:80"), ("zone", "south"));
        Gauge(2, ("__name__", "node_temperature_celsius"), ("instance", "c:80"), ("zone", "south"));

        // Cumulative histogram buckets: each bucket counts at least what the one below it counts.
        string[] bounds = ["0.1", "0.5", "1", "+Inf"];
        var buckets = bounds.Select(_ => new List<(long, double)>()).ToArray();
        var counts = new double[bounds.Length];
        for (var t = start; t <= endMs; t += StepMs)
        {
            double below = 0;
            for (var b = 0; b < bounds.Length; b++)
            {
                counts[b] += random.Next(0, 5);
                below = Math.Max(below, counts[b]);
                counts[b] = below;
                buckets[b].Add((t, counts[b]));
            }
        }

        for (var b = 0; b < bounds.Length; b++)
        {
            series.Add(([("__name__", "request_duration_seconds_bucket"), ("job", "api"), ("le", bounds[b])], buckets[b]));
        }

        return series;
    }
}
