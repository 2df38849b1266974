using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Tiering;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace LumaDB.Storage.Shards;

/// <summary>Settings of one shard: where it lives, its tables, and the WAL, memtable and segment policies.</summary>
public sealed class ShardOptions
{
    /// <summary>The shard's directory; it holds <c>wal/</c>, <c>manifest/</c> and <c>segments/</c>.</summary>
    public required string Directory { get; init; }

    /// <summary>Layouts of the tables stored in the shard; more can be added with <see cref="Shard.AddTable"/>.</summary>
    public IReadOnlyList<TableLayout> Tables { get; init; } = [];

    /// <summary>Bytes of memtable entries after which a background flush starts.</summary>
    public long MemtableBudgetBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes of idle memtable arena chunks the shard keeps for its next memtables (reused memory costs no page
    /// faults). Null keeps twice <see cref="MemtableBudgetBytes"/>: the flushed memtable's chunks come back while
    /// its successor fills. A shard whose memtable is not its main copy of recent data can keep less.
    /// </summary>
    public long? MemtableArenaRetainedBytes { get; init; }

    /// <summary>Durability policy of commits.</summary>
    public WalFsyncMode FsyncMode { get; init; } = WalFsyncMode.Always;

    /// <summary>Longest time written commits stay without fsync under <see cref="WalFsyncMode.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Size at which the WAL starts a new segment file; truncation after a flush deletes whole files.</summary>
    public long WalSegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest WAL record, hence largest write batch (one commit), in bytes. A commit is one record so that replay
    /// applies all of it or none; 1 GiB lets a transaction load millions of rows (pgbench -i -s 10 commits about
    /// 130 MB in one COPY), as PostgreSQL's 1 GB field limit does.
    /// </summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>
    /// How flushes lay out segment files. Row groups of 4096 rows by default: a point lookup decodes a whole
    /// row group, and on a 100,000-row segment that took a lookup from about 55 ms (65,536-row groups) to 5 ms,
    /// while flushes and full scans also got faster.
    /// </summary>
    public SegmentWriterOptions SegmentWriter { get; init; } = new() { RowGroupSize = 4096 };

    /// <summary>Tuning of the segment manifest.</summary>
    public ManifestOptions Manifest { get; init; } = new();

    /// <summary>
    /// Bytes of decoded segment row groups kept for point lookups (least recently used out first); 0 turns the
    /// cache off. A warm lookup then opens no file once its row group is cached. A miss decodes a whole row group
    /// (thousands of rows) for one row, so the default holds a table of a few million narrow rows (pgbench's 1M
    /// accounts decode to about 115 MiB, which at 64 MiB missed on most random lookups).
    /// </summary>
    public long RowGroupCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Bytes of decoded segment column chunks kept for scans (least recently used out first); 0 turns the cache
    /// off. A scan then decodes only the columns and row groups not yet held, so repeated analytical queries skip
    /// Parquet decompression. Off by default; the database turns it on for its table shard.
    /// </summary>
    public long ColumnCacheBytes { get; init; }

    /// <summary>Rows per record batch returned by scans.</summary>
    public int ScanBatchRows { get; init; } = 8192;

    /// <summary>Object store of the cold tier; with <see cref="ColdCache"/>, cold segments are readable.</summary>
    public IObjectStore? ObjectStore { get; init; }

    /// <summary>Local cache through which cold segments are read.</summary>
    public ColdSegmentCache? ColdCache { get; init; }

    /// <summary>How segments move to the cold tier.</summary>
    public TieringOptions? Tiering { get; init; }

    /// <summary>Size-tiered compaction of warm segments.</summary>
    public CompactionOptions Compaction { get; init; } = new();

    /// <summary>
    /// Retention TTL per table id: segments whose newest time-column value is older than now - TTL are dropped
    /// whole. Tables need a time column. <see cref="Shard.SetRetention"/> changes it at run time.
    /// </summary>
    public IReadOnlyDictionary<ulong, TimeSpan> RetentionTtl { get; init; } = new Dictionary<ulong, TimeSpan>();

    /// <summary>
    /// How often background maintenance (retention, compaction, the tiering schedule) runs, timed by
    /// <see cref="TimeProvider"/>; null or zero runs none on a timer (compaction still follows flushes when
    /// <see cref="CompactionOptions.Background"/> is on).
    /// </summary>
    public TimeSpan? MaintenanceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Clock of the WAL's fsync interval, of retention and tiering ages, and of the maintenance timer.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger of the shard and its WAL.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Runs after a flush has written its segment files and before it commits them to the manifest; tests throw
    /// from it to stand for a crash at that point.
    /// </summary>
    internal Func<CancellationToken, ValueTask>? BeforeManifestCommit { get; init; }

    /// <summary>
    /// Runs after a compaction has written its output and before the manifest swaps it in; tests throw from it to
    /// stand for a crash at that point.
    /// </summary>
    internal Func<CancellationToken, ValueTask>? BeforeCompactionCommit { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Compaction);
        Compaction.Validate();
        ArgumentNullException.ThrowIfNull(RetentionTtl);
        ArgumentException.ThrowIfNullOrEmpty(Directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MemtableBudgetBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MemtableBudgetBytes, RowMemtable.MaxBudgetBytes);
        if (MemtableArenaRetainedBytes is { } retained)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(retained, nameof(MemtableArenaRetainedBytes));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ScanBatchRows);
        ArgumentOutOfRangeException.ThrowIfNegative(RowGroupCacheBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(ColumnCacheBytes);
        ArgumentNullException.ThrowIfNull(Tables);
        if (Tables.Select(t => t.TableId).Distinct().Count() != Tables.Count)
        {
            throw new ArgumentException("Two table layouts share a table id.", nameof(Tables));
        }
    }
}
