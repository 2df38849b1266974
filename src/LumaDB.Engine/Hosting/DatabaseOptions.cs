using LumaDB.Storage.Wal;

namespace LumaDB.Engine.Hosting;

/// <summary>Storage settings of a database (the server's <c>[storage]</c> section).</summary>
public sealed class DatabaseOptions
{
    /// <summary>Bytes of memtable after which a background flush writes segments and truncates the WAL.</summary>
    public long MemtableBudgetBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>When commits are forced to disk: every commit (<see cref="WalFsyncMode.Always"/>), on an interval, or never.</summary>
    public WalFsyncMode FsyncMode { get; init; } = WalFsyncMode.Always;

    /// <summary>Longest time written commits stay without fsync under <see cref="WalFsyncMode.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Size at which the WAL starts a new segment file.</summary>
    public long WalSegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Memory for decoded segment row groups kept for point lookups; 0 turns the cache off.</summary>
    public long RowGroupCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Memory for decoded segment column chunks kept for scans; 0 turns the cache off. About 50 bytes per row for
    /// six typical columns, so the default keeps some 20M rows' worth of the columns queries read.
    /// </summary>
    public long ColumnCacheBytes { get; init; } = 1L << 30;
}
