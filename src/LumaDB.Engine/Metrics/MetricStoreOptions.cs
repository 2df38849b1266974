using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace LumaDB.Engine.Metrics;

/// <summary>Settings of a <see cref="MetricStore"/>.</summary>
public sealed class MetricStoreOptions
{
    /// <summary>
    /// Directory of the store's shard (WAL, manifest, Parquet segments). Null keeps everything in memory, which
    /// only tests and the PromQL conformance runner want.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>Most series the store accepts; a write that would create more is refused whole. 0: no limit.</summary>
    public long MaxActiveSeries { get; init; }

    /// <summary>How far behind a series' newest sample a late sample is still accepted; zero refuses every late sample.</summary>
    public TimeSpan OutOfOrderWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Samples per Gorilla chunk in the hot tier.</summary>
    public int SamplesPerChunk { get; init; } = 120;

    /// <summary>When a write is durable: <see cref="WalFsyncMode.Always"/> syncs the WAL before a write is acknowledged.</summary>
    public WalFsyncMode FsyncMode { get; init; } = WalFsyncMode.Always;

    /// <summary>Bytes of rows in the shard's memtable after which they are flushed to Parquet segments.</summary>
    public long MemtableBudgetBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How far back (from now) a durable store keeps samples in the in-memory hot tier; older ones are read from
    /// the shard's segments. Recovery loads only this window.
    /// </summary>
    public TimeSpan HotRetention { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Clock that <see cref="HotRetention"/> is measured against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger of the store and its shard.</summary>
    public ILogger? Logger { get; init; }
}
