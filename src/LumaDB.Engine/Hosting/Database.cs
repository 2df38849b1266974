using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Shards;
using Microsoft.Extensions.Logging;

namespace LumaDB.Engine.Hosting;

/// <summary>
/// The engine as one object the server hosts: it opens the data directory, recovers storage and the catalog,
/// reports readiness, runs transactions, and flushes and closes on shutdown.
/// </summary>
/// <remarks>
/// The data lives in one shard under <c>shards/0</c> of the data directory. The catalog is a system table of
/// that shard, so DDL commits in the same WAL record as the rows it goes with.
/// </remarks>
public sealed partial class Database : IAsyncDisposable
{
    private readonly ILogger<Database> _logger;
    private readonly string _dataDir;
    private readonly DatabaseOptions _options;
    private readonly CommitCoordinator _commits = new();
    private readonly HashSet<ulong> _layouts = [];
    private readonly StorageMetrics _metrics;
    private DataDirectoryLock? _directory;
    private Shard? _shard;
    private volatile CatalogSnapshot? _catalog;
    private long _nextId;
    private volatile DatabaseState _state = DatabaseState.Starting;

    /// <summary>Creates a database over a data directory with default storage settings; nothing is touched until <see cref="AcquireDataDirectory"/>.</summary>
    public Database(string dataDir, ILogger<Database> logger)
        : this(dataDir, new DatabaseOptions(), logger)
    {
    }

    /// <summary>Creates a database over a data directory; nothing is touched until <see cref="AcquireDataDirectory"/>.</summary>
    public Database(string dataDir, DatabaseOptions options, ILogger<Database> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataDir = dataDir;
        _options = options;
        _logger = logger;
        _metrics = new StorageMetrics(() => _shard);
    }

    /// <summary>The current life-cycle state.</summary>
    public DatabaseState State => _state;

    /// <summary>True once storage has recovered and queries and writes are served.</summary>
    public bool IsReady => _state == DatabaseState.Ready;

    /// <summary>The full path of the data directory once opened.</summary>
    public string? DataDirectory => _directory?.Path;

    /// <summary>The committed catalog as of now.</summary>
    /// <exception cref="InvalidOperationException">The database has not recovered yet.</exception>
    public CatalogSnapshot Catalog => _catalog ?? throw new InvalidOperationException("The database is not open.");

    /// <summary>The shard holding every table (storage-level access for ingest paths and tests).</summary>
    public Shard Shard => _shard ?? throw new InvalidOperationException("The database is not open.");

    /// <summary>Takes the data directory: creates it if needed and locks it against a second server.</summary>
    /// <exception cref="DataDirectoryException">The directory cannot be used.</exception>
    public void AcquireDataDirectory() => _directory ??= DataDirectoryLock.Acquire(_dataDir);

    /// <summary>
    /// Recovers storage from the data directory (manifest, segments, WAL replay), then the catalog from its
    /// system table, registers every table layout with the shard, and becomes ready.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AcquireDataDirectory();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var shard = await Shard.OpenAsync(
            new ShardOptions
            {
                Directory = Path.Combine(_directory!.Path, "shards", "0"),
                Tables = [CatalogStore.Layout, SequenceStore.Layout],
                MemtableBudgetBytes = _options.MemtableBudgetBytes,
                FsyncMode = _options.FsyncMode,
                FsyncInterval = _options.FsyncInterval,
                WalSegmentSizeBytes = _options.WalSegmentSizeBytes,
                RowGroupCacheBytes = _options.RowGroupCacheBytes,
                ColumnCacheBytes = _options.ColumnCacheBytes,
                Logger = _logger,
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            // Replay needs no layouts (it copies WAL records into the memtable); flushes and reads do, and the
            // first commit may start a flush, so every layout is registered before the database is ready.
            var catalog = await CatalogStore.LoadAsync(shard, shard.LastCommittedSeq, cancellationToken).ConfigureAwait(false);
            if (catalog is null)
            {
                var batch = new WriteBatch();
                CatalogStore.WriteChanges(CatalogSnapshot.Nothing, CatalogSnapshot.Empty, batch);
                var seq = await shard.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                catalog = CatalogSnapshot.Empty.AsCommitted(seq);
            }

            _storedSequenceValues = await SequenceStore.LoadAsync(shard, shard.LastCommittedSeq, cancellationToken).ConfigureAwait(false);
            _shard = shard;
            foreach (var table in catalog.TablesById.Values.Concat(catalog.Retired.Values))
            {
                EnsureLayout(table);
            }

            _nextId = (long)catalog.NextId;
            _catalog = catalog;
        }
        catch
        {
            _shard = null;
            await shard.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _state = DatabaseState.Ready;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        LogOpened(_directory!.Path, elapsed.TotalMilliseconds);
    }

    /// <summary>Starts a snapshot-isolation (REPEATABLE READ) transaction reading at the latest committed state.</summary>
    /// <exception cref="InvalidOperationException">The database has not recovered yet.</exception>
    public Transaction BeginTransaction() => BeginTransaction(TransactionIsolation.RepeatableRead);

    /// <summary>
    /// Starts a transaction at <paramref name="isolation"/> reading at the latest committed state. Its snapshot
    /// is registered with the shard until it ends, so flush and compaction keep every version it can see.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database has not recovered yet.</exception>
    public Transaction BeginTransaction(TransactionIsolation isolation)
    {
        var catalog = Catalog;
        return new Transaction(this, Shard, Shard.AcquireSnapshot(), catalog, isolation);
    }

    /// <summary>Row locks held by open transactions (for diagnostics and tests).</summary>
    public int HeldRowLocks => RowLocks.Count;

    /// <summary>The row locks of every transaction on this database.</summary>
    internal RowLockTable RowLocks { get; } = new();

    /// <summary>
    /// Commits a batch without a transaction: no snapshot, no conflict check, one WAL record, durable under the
    /// fsync policy when this returns. For ingest paths (metrics, traces, logs) that only append rows under keys
    /// no transaction updates; a transaction that wrote the same key still sees the conflict when it commits
    /// after this, but not while this is in flight.
    /// </summary>
    public ValueTask<ulong> AppendAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Shard.CommitAsync(batch, cancellationToken);
    }

    /// <summary>Writes the memtables to segments and truncates the WAL.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Shard.FlushAsync(cancellationToken);

    /// <summary>Stops accepting work, flushes, and releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == DatabaseState.Stopped)
        {
            return;
        }

        _state = DatabaseState.Stopping;
        if (_shard is { } shard)
        {
            try
            {
                await StoreExactSequenceValuesAsync().ConfigureAwait(false);
                await shard.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or InvalidDataException)
            {
                // The WAL still holds everything; the next open replays it.
                LogFlushFailed(error);
            }

            await shard.DisposeAsync().ConfigureAwait(false);
            _shard = null;
        }

        _directory?.Dispose();
        _directory = null;
        _metrics.Dispose();
        _state = DatabaseState.Stopped;
        LogClosed();
    }

    /// <summary>A catalog id no other object has had or will have.</summary>
    internal ulong AllocateId() => (ulong)Interlocked.Increment(ref _nextId) - 1;

    /// <summary>Makes a table's layout known to the shard, once per table id.</summary>
    internal void EnsureLayout(TableDefinition table)
    {
        lock (_layouts)
        {
            if (_layouts.Add(table.Id))
            {
                Shard.AddTable(table.Layout);
            }

            // Every catalog change passes here, so the shard's maintenance follows the table's current definition.
            Shard.SetRetention(table.Id, table.TimeColumn >= 0 ? table.Ttl : null);
            Shard.SetCompaction(table.Id, table.Compaction);
        }
    }

    /// <summary>Checks a transaction's writes against commits after its snapshot and commits them as one WAL record.</summary>
    internal async ValueTask<ulong> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        var shard = Shard;
        var ddl = plan.Catalog is not null;
        await _commits.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var holding = true;
        try
        {
            var committed = Catalog;
            if (ddl && committed.Version != plan.BaseCatalog.Version)
            {
                throw new TransactionConflictException("could not serialize access due to concurrent catalog change", catalogChanged: true);
            }

            foreach (var id in plan.TablesChecked)
            {
                if (!ReferenceEquals(committed.FindTable(id), plan.BaseCatalog.FindTable(id)))
                {
                    throw new TransactionConflictException("could not serialize access due to concurrent change of a table definition", catalogChanged: true);
                }
            }

            _commits.CheckInFlight(plan);
            foreach (var (layout, key, since) in plan.Keys)
            {
                if (await shard.HasVersionAfterAsync(layout, key, since, cancellationToken).ConfigureAwait(false))
                {
                    throw new TransactionConflictException();
                }
            }

            if (plan.Catalog is { } catalog)
            {
                foreach (var table in catalog.TablesById.Values.Concat(catalog.Retired.Values))
                {
                    EnsureLayout(table);
                }
            }

            _commits.Register(plan);

            // Data-only commits leave the gate once registered, so their WAL appends group; DDL keeps it until
            // the new catalog is published, so catalog versions follow commit order.
            if (!ddl)
            {
                _commits.Gate.Release();
                holding = false;
            }

            ulong seq = 0;
            try
            {
                seq = await shard.CommitAsync(plan.Batch, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _commits.Complete(plan, seq);
            }

            if (plan.Catalog is { } published)
            {
                _catalog = published.AsCommitted(seq);
            }

            return seq;
        }
        finally
        {
            if (holding)
            {
                _commits.Gate.Release();
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Data directory {Path} opened and recovered in {ElapsedMs:F1} ms")]
    private partial void LogOpened(string path, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Database closed")]
    private partial void LogClosed();

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Flush at shutdown failed; the WAL keeps the data")]
    private partial void LogFlushFailed(Exception error);
}
