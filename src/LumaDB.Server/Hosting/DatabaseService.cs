using LumaDB.Engine.Hosting;

namespace LumaDB.Server.Hosting;

/// <summary>Opens the database when the host starts and closes it, flushing, when the host stops.</summary>
public sealed partial class DatabaseService(Database database, IHostApplicationLifetime lifetime, ILogger<DatabaseService> logger) : IHostedService
{
    private Task? _recovery;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The directory lock is taken before any listener opens, so a second server on the same data fails fast.
        database.AcquireDataDirectory();

        // Recovery runs while listeners come up: /health answers at once, /ready once recovery is done.
        _recovery = BackgroundRecovery.Start(database.RecoverAsync, lifetime, LogRecoveryFailed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_recovery is not null)
        {
            await _recovery.WaitAsync(cancellationToken);
        }

        await database.DisposeAsync();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "Storage recovery failed; stopping")]
    private partial void LogRecoveryFailed(Exception exception);
}
