using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.Api;
using LumaDB.Server.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LumaDB.Server.Hosting;

/// <summary>Serves the Prometheus HTTP query API on the prometheus listener, reading the shared metric store.</summary>
public static class PrometheusQueryApi
{
    /// <summary>Registers the metric store unless something registered it already.</summary>
    public static void AddPrometheusQueryApi(this IServiceCollection services) =>
        services.TryAddSingleton(_ => new MetricStore());

    /// <summary>Maps <c>/api/v1/query</c>, <c>/api/v1/query_range</c> and the rest of the read API.</summary>
    public static void MapPrometheusQueryApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<LumaOptions>();
        var promql = options.PromQL;
        var api = new PromApiOptions
        {
            LookbackDeltaMs = (long)promql.LookbackDelta.TotalMilliseconds,
            QueryTimeout = promql.QueryTimeout,
            MaxSamples = promql.MaxSamples,
            MaxPointsPerSeries = promql.MaxPointsPerSeries,
            Version = BuildInfo.Version,
            Revision = BuildInfo.Commit,
            Runtime = BuildInfo.Runtime,
        };
        app.MapPrometheusApi(app.Services.GetRequiredService<MetricStore>(), api, app.Services.GetRequiredService<TimeProvider>())
            .RequireListener(ListenerNames.Prometheus);
    }
}
