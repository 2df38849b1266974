using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using LumaDB.Protocols.Prometheus.Scrape;
using LumaDB.Server.Configuration;

namespace LumaDB.Server.Hosting;

/// <summary>Wires the metric store, Prometheus remote write on the prometheus listener and the scrape jobs.</summary>
public static class MetricsHosting
{
    /// <summary>Registers the store (a singleton the query API shares), its recovery, the receiver and the scrapers.</summary>
    public static IServiceCollection AddLumaMetrics(this IServiceCollection services, LumaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new MetricStore(ToStoreOptions(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger("LumaDB.Metrics"))));
        services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<MetricStore>());
        services.AddHostedService<MetricStoreService>();
        services.AddSingleton(sp => new MetricStoreReceiver(sp.GetRequiredService<MetricStore>(), options.Metrics.MaxConcurrentWrites));
        services.AddSingleton<IRemoteWriteReceiver>(sp => sp.GetRequiredService<MetricStoreReceiver>());
        services.AddSingleton(new RemoteWriteLimits());
        services.AddSingleton<RemoteWriteEndpoint>();
        IReadOnlyList<ScrapeJob> jobs = [.. options.Scrape.Select(ToJob)];
        services.AddHostedService(sp => new ScrapeManager(
            jobs, sp.GetRequiredService<MetricStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScrapeManager>>()));
        return services;
    }

    /// <summary>The metric store's options from the configuration: its folder under the data dir, its limits, and the
    /// <c>[storage]</c> durability settings, which hold for metrics as for tables.</summary>
    public static MetricStoreOptions ToStoreOptions(LumaOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MetricStoreOptions
        {
            Directory = Path.Combine(options.Server.DataDir, "metrics"),
            MaxActiveSeries = options.Metrics.MaxActiveSeries,
            OutOfOrderWindow = options.Metrics.OutOfOrderWindow,
            CheckpointLogBytes = options.Metrics.FlushSize,
            WarmCacheBytes = options.Metrics.WarmCache,
            Retention = options.Metrics.Retention > TimeSpan.Zero ? options.Metrics.Retention : null,
            FsyncMode = StorageSection.FsyncWords[options.Storage.Fsync],
            FsyncInterval = options.Storage.FsyncInterval,
            Logger = logger,
        };
    }

    /// <summary>Maps <c>POST /api/v1/write</c> on the prometheus listener.</summary>
    public static void MapLumaMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoint = app.Services.GetRequiredService<RemoteWriteEndpoint>();
        app.MapPost("/api/v1/write", (RequestDelegate)endpoint.HandleAsync).RequireListener(ListenerNames.Prometheus);
        app.MapPostOnly("/api/v1/write", ListenerNames.Prometheus);
    }

    /// <summary>The scraper's view of a <c>[[scrape]]</c> job.</summary>
    public static ScrapeJob ToJob(ScrapeSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new ScrapeJob
        {
            JobName = section.JobName,
            Targets = [.. section.Targets],
            Interval = section.Interval,
            Timeout = section.Timeout,
            MetricsPath = section.MetricsPath,
            Scheme = section.Scheme,
            HonorLabels = section.HonorLabels,
            HonorTimestamps = section.HonorTimestamps,
            BasicAuthUser = section.BasicAuthUsername.Length > 0 ? section.BasicAuthUsername : null,
            BasicAuthPassword = section.BasicAuthPassword,
            BearerToken = section.BearerToken.Length > 0 ? section.BearerToken : null,
            MetricRelabeling = [.. section.MetricRelabel.Select(r => new RelabelRule(
                r.Action switch
                {
                    "keep" => RelabelAction.Keep,
                    "drop" => RelabelAction.Drop,
                    "labeldrop" => RelabelAction.LabelDrop,
                    "labelkeep" => RelabelAction.LabelKeep,
                    _ => RelabelAction.Replace,
                },
                [.. r.SourceLabels],
                r.Regex,
                r.TargetLabel.Length > 0 ? r.TargetLabel : null,
                r.Replacement,
                r.Separator))],
        };
    }
}
