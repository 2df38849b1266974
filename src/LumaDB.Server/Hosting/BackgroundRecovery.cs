namespace LumaDB.Server.Hosting;

/// <summary>
/// Runs a store's recovery while the listeners come up (health answers at once, readiness once it is done);
/// a failed recovery is logged and stops the host with exit code 1, a shutdown during recovery just ends it.
/// </summary>
internal static class BackgroundRecovery
{
    /// <summary>Starts <paramref name="recover"/> on the thread pool and returns the task to await at stop.</summary>
    public static Task Start(Func<CancellationToken, Task> recover, IHostApplicationLifetime lifetime, Action<Exception> logFailure) =>
        Task.Run(async () =>
        {
            try
            {
                await recover(lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logFailure(e);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
        }, CancellationToken.None);
}
