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

    /// <summary>How long acknowledged writes may wait for a sync when <see cref="FsyncMode"/> is <see cref="WalFsyncMode.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Bytes of rows (checkpointed chunks, series, histograms) in the shard's memtable after which they are flushed
    /// to Parquet segments. Reads of recent samples go to the hot tier, so the memtable only stages rows.
    /// </summary>
    public long MemtableBudgetBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Bytes of sample log records after which a checkpoint stores the hot tier's chunks as rows and trims the log.
    /// Larger means fewer copies of growing head chunks in the shard but a longer replay after a crash.
    /// </summary>
    public long CheckpointLogBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Longest time between checkpoints while writes arrive.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How far back (from now) a durable store keeps samples in the in-memory hot tier; older ones are read from
    /// the shard's segments. Recovery loads only this window.
    /// </summary>
    public TimeSpan HotRetention { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Bytes of compressed chunks kept in memory after they age out of the hot window, so range reads of the
    /// hours before it decode chunks instead of scanning the shard's segments; past it the oldest go. 0 turns the
    /// warm cache off. Recovery does not refill it: after a restart older samples come from the segments.
    /// </summary>
    public long WarmCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// How long stored samples are kept: the shard's maintenance drops chunk (and histogram) segments whose samples
    /// all ended before now minus this, and memory lets go of chunks that old. Null keeps everything.
    /// </summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Clock that <see cref="HotRetention"/> is measured against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger of the store and its shard.</summary>
    public ILogger? Logger { get; init; }
}
