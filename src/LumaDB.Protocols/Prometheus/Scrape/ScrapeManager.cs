using LumaDB.Engine.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>
/// Runs every target of every configured scrape job on its interval once the metric store has recovered,
/// each target with its own appender, until the host stops.
/// </summary>
public sealed partial class ScrapeManager(IReadOnlyList<ScrapeJob> jobs, MetricStore store, TimeProvider time, ILogger<ScrapeManager> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        while (!store.IsReady)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, stoppingToken).ConfigureAwait(false);
        }

        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var runs = new List<Task>();
        foreach (var job in jobs)
        {
            foreach (var target in job.Targets)
            {
                var scraper = new TargetScraper(job, target, http, new MetricStoreScrapeAppender(store), time, logger);
                runs.Add(RunTargetAsync(scraper, job.JobName, target, stoppingToken));
            }
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task RunTargetAsync(TargetScraper scraper, string job, string target, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scraper.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or SeriesLimitExceededException or IOException)
            {
                // A failed commit (store closing, series limit) loses that scrape only; the next tick tries again.
                LogCommitFailed(job, target, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Scrape of job {Job} target {Target} was not stored: {Reason}")]
    private partial void LogCommitFailed(string job, string target, string reason);
}
