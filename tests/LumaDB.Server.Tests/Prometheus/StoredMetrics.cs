using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>Reads what a stopped server stored: opens its metric store directory in-process, as a restart would.</summary>
public static class StoredMetrics
{
    public static readonly ulong StaleNaNBits = 0x7ff0000000000002;

    public static async Task<IReadOnlyList<StoredSeries>> ReadAllAsync(string lumaDataDir)
    {
        await using var store = new MetricStore(new MetricStoreOptions { Directory = Path.Combine(lumaDataDir, "metrics") });
        await store.OpenAsync();
        return store.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], long.MinValue, long.MaxValue);
    }

    public static bool IsStale(double value) => BitConverter.DoubleToUInt64Bits(value) == StaleNaNBits;
}
