using LumaDB.Engine.Hosting;
using LumaDB.Storage.Wal;

namespace LumaDB.Server.Configuration;

/// <summary>[storage]: how commits become durable and when memory is flushed to segments.</summary>
public sealed class StorageSection
{
    /// <summary>Words of <see cref="Fsync"/> and the WAL policy each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, WalFsyncMode> FsyncWords = new Dictionary<string, WalFsyncMode>(StringComparer.Ordinal)
    {
        ["always"] = WalFsyncMode.Always,
        ["interval"] = WalFsyncMode.Interval,
        ["never"] = WalFsyncMode.Never,
    };

    /// <summary>Bytes of memtable after which a flush writes segments.</summary>
    public long MemtableBudget { get; set; } = 64L << 20;

    /// <summary>"always", "interval" or "never".</summary>
    public string Fsync { get; set; } = "always";

    /// <summary>Longest time acknowledged commits stay without fsync under "interval".</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Size at which the WAL starts a new file.</summary>
    public long WalSegmentSize { get; set; } = 64L << 20;

    /// <summary>Memory for decoded segment row groups that point lookups reuse; 0 turns the cache off.</summary>
    public long RowGroupCache { get; set; } = 256L << 20;

    /// <summary>Memory for decoded segment column chunks that scans reuse; 0 turns the cache off.</summary>
    public long ColumnCache { get; set; } = 1L << 30;

    /// <summary>The engine's options for these settings.</summary>
    public DatabaseOptions ToDatabaseOptions() => new()
    {
        MemtableBudgetBytes = MemtableBudget,
        FsyncMode = FsyncWords[Fsync],
        FsyncInterval = FsyncInterval,
        WalSegmentSizeBytes = WalSegmentSize,
        RowGroupCacheBytes = RowGroupCache,
        ColumnCacheBytes = ColumnCache,
    };
}
