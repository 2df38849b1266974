using Microsoft.Extensions.Logging;

namespace LumaDB.Engine.Hosting;

/// <summary>
/// The engine as one object the server hosts: it opens the data directory, recovers storage, reports
/// readiness, and flushes and closes on shutdown.
/// </summary>
public sealed partial class Database : IAsyncDisposable
{
    private readonly ILogger<Database> _logger;
    private readonly string _dataDir;
    private DataDirectoryLock? _directory;
    private volatile DatabaseState _state = DatabaseState.Starting;

    /// <summary>Creates a database over a data directory; nothing is touched until <see cref="AcquireDataDirectory"/>.</summary>
    public Database(string dataDir, ILogger<Database> logger)
    {
        _dataDir = dataDir;
        _logger = logger;
    }

    /// <summary>The current life-cycle state.</summary>
    public DatabaseState State => _state;

    /// <summary>True once storage has recovered and queries and writes are served.</summary>
    public bool IsReady => _state == DatabaseState.Ready;

    /// <summary>The full path of the data directory once opened.</summary>
    public string? DataDirectory => _directory?.Path;

    /// <summary>Takes the data directory: creates it if needed and locks it against a second server.</summary>
    /// <exception cref="DataDirectoryException">The directory cannot be used.</exception>
    public void AcquireDataDirectory() => _directory ??= DataDirectoryLock.Acquire(_dataDir);

    /// <summary>Recovers storage from the data directory; the database is ready when this completes.</summary>
    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AcquireDataDirectory();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _state = DatabaseState.Ready;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        LogOpened(_directory!.Path, elapsed.TotalMilliseconds);
        return Task.CompletedTask;
    }

    /// <summary>The committed catalog as of now.</summary>
    // CONTRACT: filled in by the catalog implementation.
    public Catalog.CatalogSnapshot Catalog => throw new NotImplementedException();

    /// <summary>Starts a transaction reading at the latest committed state.</summary>
    // CONTRACT: filled in by the transaction implementation.
    public Transactions.Transaction BeginTransaction() => throw new NotImplementedException();

    /// <summary>Stops accepting work, flushes, and releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == DatabaseState.Stopped)
        {
            return;
        }

        _state = DatabaseState.Stopping;
        await Task.Yield();
        _directory?.Dispose();
        _directory = null;
        _state = DatabaseState.Stopped;
        LogClosed();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Data directory {Path} opened and recovered in {ElapsedMs:F1} ms")]
    private partial void LogOpened(string path, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Database closed")]
    private partial void LogClosed();
}
