using System.Diagnostics.Metrics;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Hosting;

/// <summary>The storage engine's own figures, exported on luma's <c>/metrics</c> through the <c>LumaDB.Storage</c> meter.</summary>
internal sealed class StorageMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LumaDB.Storage";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Observes the shard <paramref name="shard"/> returns (null before it is open and after it is closed).</summary>
    public StorageMetrics(Func<Shard?> shard)
    {
        _meter.CreateObservableCounter("luma.storage.write_stalls", () => shard()?.WriteStalls ?? 0, "{commit}", "Commits that waited for a running flush because writes had outrun it.");
        _meter.CreateObservableGauge("luma.storage.memtable.size", () => shard()?.ActiveMemtableBytes ?? 0, "By", "Bytes in the active memtable.");
    }

    public void Dispose() => _meter.Dispose();
}
