namespace LumaDB.Benchmarks.Storage;

/// <summary>Synthetic but realistic metric series for the codec figures.</summary>
internal static class SeriesGenerator
{
    public const long Start = 1_700_000_000_000L;

    /// <summary>A request counter scraped every 15 s: idle a third of the time, a few requests otherwise.</summary>
    public static (long[] Times, double[] Values) Counter(int count, int seed) =>
        Generate(count, seed, 0.0,
            random => 15_000 + (random.Next(50) == 0 ? random.Next(-3, 4) : 0),
            (random, value) => value + (random.Next(3) == 0 ? 0 : random.Next(1, 20)));

    /// <summary>A busy counter that changes by a few hundred at every scrape.</summary>
    public static (long[] Times, double[] Values) BusyCounter(int count, int seed) =>
        Generate(count, seed, 0.0, _ => 15_000, (random, value) => value + random.Next(100, 400));

    /// <summary>A gauge with two-decimal readings (temperatures, queue lengths).</summary>
    public static (long[] Times, double[] Values) Gauge(int count, int seed) =>
        Generate(count, seed, 50.0, _ => 15_000, (random, value) => Math.Round(value + ((random.NextDouble() - 0.5) * 4), 2));

    private static (long[] Times, double[] Values) Generate(int count, int seed, double first, Func<Random, long> step, Func<Random, double, double> next)
    {
        var random = new Random(seed);
        var times = new long[count];
        var values = new double[count];
        var t = Start;
        var value = first;
        for (var i = 0; i < count; i++)
        {
            t += step(random);
            value = next(random, value);
            times[i] = t;
            values[i] = value;
        }

        return (times, values);
    }
}
