using LumaDB.Engine.Metrics;

namespace LumaDB.Server.Hosting;

/// <summary>
/// Recovers the metric store when the host starts (in the background: remote write answers 503 until it is
/// done) and flushes and closes it when the host stops.
/// </summary>
public sealed partial class MetricStoreService(MetricStore store, IHostApplicationLifetime lifetime, ILogger<MetricStoreService> logger) : IHostedService
{
    private Task? _recovery;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _recovery = BackgroundRecovery.Start(
            async stopping =>
            {
                await store.OpenAsync(stopping);
                LogRecovered(store.Index.Count, store.SampleCount, store.ReplayedRecords);
            },
            lifetime,
            LogRecoveryFailed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_recovery is not null)
        {
            await _recovery.WaitAsync(cancellationToken);
        }

        await store.DisposeAsync();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Metric store recovered: {Series} series, {Samples} samples, {Replayed} WAL records replayed")]
    private partial void LogRecovered(int series, long samples, long replayed);

    [LoggerMessage(EventId = 21, Level = LogLevel.Critical, Message = "Metric store recovery failed; stopping")]
    private partial void LogRecoveryFailed(Exception exception);
}
