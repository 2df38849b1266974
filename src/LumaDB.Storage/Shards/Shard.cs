using System.Buffers;
using System.Collections.Concurrent;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Tiering;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Storage.Shards;

/// <summary>
/// One shard: the unit that owns a WAL, the memtables, a segment manifest and a segment directory, and composes
/// them into commits, snapshot reads, flushes and recovery.
/// </summary>
/// <remarks>
/// All tables of the shard share one memtable keyed by table prefix + primary key (see
/// <see cref="TableLayout"/>): one freeze covers every table, so one flushed LSN in the manifest is true for all
/// of them. The commit seq is the WAL LSN of the commit's record, so recovery restores it from the WAL alone.
/// Commits apply to the memtable as their WAL appends complete, possibly out of order; a snapshot seq is only
/// handed out (<see cref="LastCommittedSeq"/>) once every commit at or below it has applied.
/// </remarks>
public sealed partial class Shard : IAsyncDisposable
{
    /// <summary>WAL record type of a write batch.</summary>
    internal const byte WriteBatchRecord = 1;

    private readonly ShardOptions _options;
    private readonly ILogger _logger;
    private readonly WriteAheadLog _wal;
    private readonly ShardManifest _manifest;
    private readonly SegmentWriter _segmentWriter;
    private readonly SegmentTiering? _tiering;
    private readonly RowGroupCache? _rowGroupCache;
    private readonly DecodedColumnCache? _columnCache;
    private readonly string _segmentDirectory;
    private readonly ConcurrentDictionary<ulong, TableLayout> _tables = new();
    private readonly Lock _applyLock = new();
    private readonly SortedSet<ulong> _appliedAhead = [];
    private readonly List<(ulong Seq, TaskCompletionSource Applied)> _waiters = [];
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly MemtableArenaPool _arenaPool;
    private volatile ShardView _view;
    private ulong _visibleSeq;
    private Task _backgroundFlush = Task.CompletedTask;
    private Exception? _backgroundFlushError;
    private long _writeStalls;
    private bool _disposed;

    private Shard(
        ShardOptions options,
        ILogger logger,
        WriteAheadLog wal,
        ShardManifest manifest,
        MemtableArenaPool arenaPool,
        RowMemtable recovered,
        FrozenMemtable[] recoveredFrozen,
        IReadOnlyList<string> orphans,
        long replayed)
    {
        _options = options;
        _arenaPool = arenaPool;
        _logger = logger;
        _wal = wal;
        _manifest = manifest;
        _segmentDirectory = SegmentDirectory(options.Directory);
        // A flush walks the memtable's skip list, which is in key order by construction: the writer only
        // compares each row group's first and last keys (cheap). Compaction merges and checks every row.
        _segmentWriter = new SegmentWriter(_segmentDirectory, new SegmentWriterOptions
        {
            RowGroupSize = options.SegmentWriter.RowGroupSize,
            Compression = options.SegmentWriter.Compression,
            CompressionLevel = options.SegmentWriter.CompressionLevel,
            VerifyKeyOrder = false,
        });
        if (options.ObjectStore is { } store && options.ColdCache is { } cache)
        {
            _tiering = new SegmentTiering(manifest, _segmentDirectory, store, cache, options.Tiering);
        }

        if (options.RowGroupCacheBytes > 0)
        {
            _rowGroupCache = new RowGroupCache(options.RowGroupCacheBytes);
        }

        if (options.ColumnCacheBytes > 0)
        {
            _columnCache = new DecodedColumnCache(options.ColumnCacheBytes);
        }

        foreach (var table in options.Tables)
        {
            AddTable(table);
        }

        _visibleSeq = wal.NextLsn - 1;
        var flushed = manifest.FlushedLsn;
        _view = new ShardView(recovered, recoveredFrozen, manifest.Segments.ToArray(), flushed < 0 ? 0 : (ulong)flushed, flushed < 0 ? 0 : (ulong)flushed);
        RemovedOrphans = orphans;
        ReplayedRecords = replayed;
        StartMaintenance();
    }

    /// <summary>
    /// The newest commit seq every earlier commit has applied below: a consistent snapshot of everything
    /// acknowledged so far.
    /// </summary>
    public ulong LastCommittedSeq
    {
        get
        {
            lock (_applyLock)
            {
                return _visibleSeq;
            }
        }
    }

    /// <summary>Live segments of the shard.</summary>
    public IReadOnlyList<SegmentEntry> Segments => _manifest.Segments;

    /// <summary>The tiering routine of the shard's segments, when the options gave an object store and a cache.</summary>
    public SegmentTiering? Tiering => _tiering;

    /// <summary>Segment files the last open deleted because the manifest did not reference them.</summary>
    public IReadOnlyList<string> RemovedOrphans { get; }

    /// <summary>WAL records the last open replayed into the memtable.</summary>
    public long ReplayedRecords { get; }

    /// <summary>Bytes in the active memtable.</summary>
    public long ActiveMemtableBytes => _view.Active.ApproximateBytes;

    /// <summary>
    /// Commits that waited for a running flush because the active memtable had reached
    /// <see cref="MemtableStallFactor"/> times its budget.
    /// </summary>
    public long WriteStalls => Interlocked.Read(ref _writeStalls);

    /// <summary>
    /// Multiple of the memtable budget at which commits wait for the running flush. Between one and this the
    /// memtable fills while the previous one is flushed; past it writes have outrun the flush.
    /// </summary>
    public const int MemtableStallFactor = 2;

    /// <summary>The pool the shard's memtables take their arena chunks from and hand them back to.</summary>
    public MemtableArenaPool MemtableArena => _arenaPool;

    /// <summary>The error of the last background flush that failed, or null; the rows stay in the WAL and memtable.</summary>
    public Exception? LastBackgroundFlushError => Volatile.Read(ref _backgroundFlushError);

    /// <summary>Frozen memtables not yet flushed (a replay of a long WAL leaves several).</summary>
    public int FrozenMemtableCount => _view.Frozen.Length;

    /// <summary>WAL segment files present (fewer after a flush truncates the log).</summary>
    public int WalSegmentCount => _wal.SegmentCount;

    /// <summary>
    /// Opens a shard, recovering it: the manifest first (its flushed LSN and live segments), then the removal of
    /// segment files the manifest does not reference, then a replay of the WAL after the flushed LSN into a fresh
    /// memtable. The next commit seq continues from the WAL.
    /// </summary>
    public static async Task<Shard> OpenAsync(ShardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var logger = options.Logger ?? NullLogger.Instance;
        var manifest = ShardManifest.Open(Path.Combine(options.Directory, "manifest"), options.Manifest);
        try
        {
            var orphans = manifest.RemoveOrphanFiles(SegmentDirectory(options.Directory));
            // Idle chunks for about two memtables: the one being flushed is handed back while its successor fills.
            var arenaPool = new MemtableArenaPool(options.MemtableArenaRetainedBytes ?? 2 * options.MemtableBudgetBytes, warmAhead: true);
            var memtable = new RowMemtable(options.MemtableBudgetBytes, arenaPool);
            var replayFrom = (ulong)(manifest.FlushedLsn + 1);
            long replayed = 0;
            var walOptions = new WalOptions
            {
                Directory = Path.Combine(options.Directory, "wal"),
                FsyncMode = options.FsyncMode,
                FsyncInterval = options.FsyncInterval,
                SegmentSizeBytes = options.WalSegmentSizeBytes,
                MaxRecordBytes = options.MaxBatchBytes,
                TimeProvider = options.TimeProvider,
            };
            var frozen = new List<FrozenMemtable>();
            var wal = WriteAheadLog.Open(walOptions, replayFrom, record =>
            {
                if (record.Type == WriteBatchRecord)
                {
                    WriteBatch.Apply(record.Payload, memtable, record.Lsn);
                    replayed++;
                    if (memtable.IsFull)
                    {
                        // A WAL can hold more than one memtable's worth (writers run ahead of a flush, or flushes
                        // failed): replay into a chain of memtables, as the writes went, and flush them after.
                        memtable.Freeze();
                        frozen.Insert(0, new FrozenMemtable(memtable, record.Lsn));
                        memtable = new RowMemtable(options.MemtableBudgetBytes, arenaPool);
                    }
                }
            }, logger);

            if (manifest.FlushedLsn >= 0 && wal.NextLsn <= (ulong)manifest.FlushedLsn)
            {
                // Seqs would restart below data already in segments and collide with it.
                await wal.DisposeAsync().ConfigureAwait(false);
                throw new InvalidDataException(
                    $"The WAL ends at LSN {wal.NextLsn - 1} but the manifest has flushed up to {manifest.FlushedLsn}: WAL files are missing.");
            }

            ShardLog.Opened(logger, options.Directory, manifest.Segments.Count, replayed, orphans.Count, wal.NextLsn);
            return new Shard(options, logger, wal, manifest, arenaPool, memtable, [.. frozen], orphans, replayed);
        }
        catch
        {
            manifest.Dispose();
            throw;
        }
    }

    /// <summary>Makes a table's layout known to the shard (needed to flush and read its rows).</summary>
    public void AddTable(TableLayout table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!_tables.TryAdd(table.TableId, table) && !ReferenceEquals(_tables[table.TableId], table))
        {
            throw new InvalidOperationException($"Table {table.TableId} already has a layout.");
        }
    }

    /// <summary>
    /// Commits a batch: takes the next commit seq, appends one WAL record holding the whole batch, waits until
    /// it is durable under the fsync policy, applies it to the memtable, and returns its seq once every commit
    /// up to it is visible. A failed append applies nothing. Cancellation only stops the wait for visibility: a
    /// commit whose append completed is applied all the same.
    /// </summary>
    public async ValueTask<ulong> CommitAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch.Count == 0)
        {
            return LastCommittedSeq;
        }

        // Writes that outrun the flush would grow the active memtable without bound (the next flush starts only
        // when this one ends): past the stall size a commit waits for the running flush, which keeps memory
        // bounded and passes the slowdown on to writers, and through the receivers' in-flight limits to clients.
        var active = _view.Active;
        if ((active.ApproximateBytes >= MemtableStallFactor * _options.MemtableBudgetBytes || active.IsNearArenaLimit) && !_backgroundFlush.IsCompleted)
        {
            Interlocked.Increment(ref _writeStalls);

            // The flush's own failure is the flush's to report (and the next commit starts another): this commit
            // only waited for memory, and goes on unless it was cancelled.
            await _backgroundFlush.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        ulong committed;
        var length = batch.Encode(out var payload);
        TaskCompletionSource? visible;
        try
        {
            var seq = await _wal.AppendAsync(WriteBatchRecord, payload.AsMemory(0, length)).ConfigureAwait(false);
            visible = Apply(payload.AsSpan(0, length), seq);
            committed = seq;
        }
        finally
        {
            // The WAL has written the payload (or failed) and the memtable copied it: the buffer is free again.
            ArrayPool<byte>.Shared.Return(payload);
        }

        if (visible is not null)
        {
            await visible.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        MaybeStartBackgroundFlush();
        return committed;
    }

    /// <summary>
    /// Waits for a background flush and stops background maintenance, then closes the WAL (syncing it; emptied
    /// when every commit is already in segments) and the manifest. Nothing is flushed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _backgroundFlush.ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or InvalidDataException)
        {
            // Already recorded; the WAL still holds everything the failed flush did not make durable.
        }

        await StopMaintenanceAsync().ConfigureAwait(false);
        await CloseReadersAsync(_readerPool.Close()).ConfigureAwait(false);

        // Commits are WAL records numbered by their seq: after a flush of every commit (a clean shutdown), the
        // log holds nothing the segments lack and is closed empty.
        await _wal.DisposeAndTrimAsync(_view.FlushedSeq + 1).ConfigureAwait(false);
        _manifest.Dispose();
        _arenaPool.Close();
        _flushGate.Dispose();
        _maintenanceGate.Dispose();
        _maintenanceStop.Dispose();
    }

    private static string SegmentDirectory(string shardDirectory) => Path.Combine(shardDirectory, "segments");

    /// <summary>
    /// Applies a durable commit as the memtable's one writer and advances the visible seq past every commit now
    /// applied without gaps. Returns what to wait on when an earlier commit has not applied yet.
    /// </summary>
    private TaskCompletionSource? Apply(ReadOnlySpan<byte> payload, ulong seq)
    {
        lock (_applyLock)
        {
            WriteBatch.Apply(payload, _view.Active, seq);
            if (seq != _visibleSeq + 1)
            {
                _appliedAhead.Add(seq);
                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((seq, waiter));
                return waiter;
            }

            _visibleSeq = seq;
            while (_appliedAhead.Remove(_visibleSeq + 1))
            {
                _visibleSeq++;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Seq <= _visibleSeq)
                {
                    _waiters[i].Applied.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }

            return null;
        }
    }

    private TableLayout LayoutOf(ulong tableId) =>
        _tables.TryGetValue(tableId, out var layout) ? layout : throw new InvalidOperationException($"Table {tableId} has no layout in this shard.");
}
