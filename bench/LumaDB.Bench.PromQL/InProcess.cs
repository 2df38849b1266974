using System.Diagnostics;
using System.Globalization;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;

namespace LumaDB.Bench.PromQL;

/// <summary>
/// Times the dashboard queries on the engine alone (no HTTP, no JSON) over an in-memory metric store, with
/// series-wise range evaluation and with the step-by-step path, and checks that both give the same result.
/// </summary>
internal static class InProcess
{
    private const int IntervalMs = 15_000;

    public static void Run(Dictionary<string, string> options)
    {
        var hosts = int.Parse(options.GetValueOrDefault("hosts", "128"), CultureInfo.InvariantCulture);
        var hours = double.Parse(options.GetValueOrDefault("hours", "6"), CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        var stepMs = int.Parse(options.GetValueOrDefault("step", "30"), CultureInfo.InvariantCulture) * 1000L;
        var data = new DashboardData(hosts);
        var steps = (int)(hours * 3600 * 1000 / IntervalMs);
        using var store = new MetricStore();
        for (var s = 0; s < data.Series.Count; s++)
        {
            var labels = LabelSet.Create(data.Series[s].Labels);
            for (var step = 0; step < steps; step++)
            {
                store.Append(labels, (long)step * IntervalMs, DashboardData.Value(data.Series[s], s, step));
            }
        }

        Console.WriteLine($"series {data.Series.Count}, samples per series {steps}, step {stepMs / 1000} s");
        var start = 300_000 + 7_000L;
        var end = (long)(steps - 1) * IntervalMs;
        var timed = new TimedSource(store);
        var engines = new[]
        {
            ("series-wise", new PromQLEngine(timed)),
            ("step-by-step", new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false })),
        };
        Console.WriteLine($"{"query",-100} {"series-wise ms",15} {"(fetch ms)",11} {"step-by-step ms",16} {"speed-up",9}  same");
        foreach (var query in DashboardData.Queries)
        {
            var expr = PromQLParser.Parse(query);
            var medians = new double[engines.Length];
            var fetch = 0.0;
            var results = new QueryResult[engines.Length];
            for (var e = 0; e < engines.Length; e++)
            {
                var times = new List<double>();
                for (var r = 0; r < runs + 1; r++)
                {
                    // The other mode's garbage is not this run's cost.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    timed.Elapsed = TimeSpan.Zero;
                    var sw = Stopwatch.StartNew();
                    results[e] = engines[e].Item2.Range(expr, start, end, stepMs);
                    if (r > 0)
                    {
                        times.Add(sw.Elapsed.TotalMilliseconds);
                    }
                }

                times.Sort();
                medians[e] = times[times.Count / 2];
                if (e == 0)
                {
                    fetch = timed.Elapsed.TotalMilliseconds;
                }
            }

            var same = Same(results[0], results[1]);
            Console.WriteLine($"{query,-100} {medians[0],15:F1} {fetch,11:F1} {medians[1],16:F1} {medians[1] / medians[0],9:F2}  {(same ? "yes" : "NO")}");
        }
    }

    /// <summary>Adds up the time spent selecting series (the last run's, as the engine reads each selector once).</summary>
    private sealed class TimedSource(IMetricSource inner) : IMetricSource
    {
        public TimeSpan Elapsed { get; set; }

        public IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
        {
            var sw = Stopwatch.StartNew();
            var result = inner.Select(matchers, mint, maxt);
            Elapsed += sw.Elapsed;
            return result;
        }
    }

    private static bool Same(QueryResult a, QueryResult b)
    {
        if (a.Matrix.Count != b.Matrix.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Matrix.Count; i++)
        {
            if (!a.Matrix[i].Labels.Equals(b.Matrix[i].Labels) || !a.Matrix[i].Timestamps.AsSpan().SequenceEqual(b.Matrix[i].Timestamps)
                || !a.Matrix[i].Values.AsSpan().SequenceEqual(b.Matrix[i].Values))
            {
                return false;
            }
        }

        return true;
    }
}
