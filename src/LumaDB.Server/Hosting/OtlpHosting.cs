using LumaDB.Engine.Hosting;
using LumaDB.Engine.Metrics;
using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp;
using LumaDB.Protocols.Otlp.TraceApi;
using LumaDB.Server.Configuration;

namespace LumaDB.Server.Hosting;

/// <summary>
/// Wires OpenTelemetry ingest: the three OTLP gRPC services on otlp_grpc, <c>POST /v1/*</c> on otlp_http, the
/// trace API on http, and creation of otel_traces and otel_logs once storage has recovered.
/// </summary>
public static partial class OtlpHosting
{
    /// <summary>Registers the telemetry store, the receiver, the endpoints and the table creation at start-up.</summary>
    public static IServiceCollection AddLumaOtlp(this IServiceCollection services, LumaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var otlp = options.Otlp;
        var limits = new OtlpLimits
        {
            MaxRequestBytes = checked((int)otlp.MaxRequestSize),
            MaxConcurrentRequests = otlp.MaxConcurrentRequests,
        };
        services.AddSingleton(limits);
        services.AddSingleton(new TelemetryTableOptions
        {
            TracesTtl = otlp.TracesTtl > TimeSpan.Zero ? otlp.TracesTtl : null,
            LogsTtl = otlp.LogsTtl > TimeSpan.Zero ? otlp.LogsTtl : null,
        });
        services.AddSingleton<TelemetryStore>();
        services.AddSingleton<IOtlpMetricAppender>(sp => new MetricStoreOtlpAppender(sp.GetRequiredService<MetricStore>()));
        services.AddSingleton<OtlpReceiver>();
        services.AddSingleton<OtlpHttpEndpoint>();
        services.AddSingleton<TraceApiEndpoint>();
        services.AddHostedService<TelemetryTablesService>();

        // gRPC checks the decompressed message size itself and answers RESOURCE_EXHAUSTED; gzip is built in.
        services.AddGrpc()
            .AddServiceOptions<OtlpTraceGrpcService>(o => o.MaxReceiveMessageSize = limits.MaxRequestBytes)
            .AddServiceOptions<OtlpLogsGrpcService>(o => o.MaxReceiveMessageSize = limits.MaxRequestBytes)
            .AddServiceOptions<OtlpMetricsGrpcService>(o => o.MaxReceiveMessageSize = limits.MaxRequestBytes);
        return services;
    }

    /// <summary>Maps the OTLP services and endpoints and the trace API, each on its own listener.</summary>
    public static void MapLumaOtlp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<OtlpTraceGrpcService>().RequireListener(ListenerNames.OtlpGrpc);
        app.MapGrpcService<OtlpLogsGrpcService>().RequireListener(ListenerNames.OtlpGrpc);
        app.MapGrpcService<OtlpMetricsGrpcService>().RequireListener(ListenerNames.OtlpGrpc);

        var http = app.Services.GetRequiredService<OtlpHttpEndpoint>();
        app.MapPost("/v1/traces", (RequestDelegate)http.HandleTracesAsync).RequireListener(ListenerNames.OtlpHttp);
        app.MapPost("/v1/logs", (RequestDelegate)http.HandleLogsAsync).RequireListener(ListenerNames.OtlpHttp);
        app.MapPost("/v1/metrics", (RequestDelegate)http.HandleMetricsAsync).RequireListener(ListenerNames.OtlpHttp);
        foreach (var path in (string[])["/v1/traces", "/v1/logs", "/v1/metrics"])
        {
            app.MapPostOnly(path, ListenerNames.OtlpHttp);
        }

        var traces = app.Services.GetRequiredService<TraceApiEndpoint>();
        app.MapGet("/api/v1/traces/{traceId}", (RequestDelegate)traces.GetTraceAsync).RequireListener(ListenerNames.Http);
        app.MapGet("/api/v1/traces", (RequestDelegate)traces.SearchAsync).RequireListener(ListenerNames.Http);
    }

    /// <summary>Creates otel_traces and otel_logs in the catalog once storage has recovered, if they are absent.</summary>
    private sealed partial class TelemetryTablesService(Database database, TelemetryStore store, IHostApplicationLifetime lifetime, ILogger<TelemetryTablesService> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                // Recovery runs in the background; tables can only be created after it.
                while (!database.IsReady)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), stoppingToken);
                }

                var tables = await store.EnsureTablesAsync(stoppingToken);
                LogReady(tables.Traces.Name, tables.Logs.Name);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
            {
            }
            catch (TelemetryTableException e)
            {
                LogUnusable(e);
            }
        }

        [LoggerMessage(EventId = 320, Level = LogLevel.Debug, Message = "Telemetry tables {Traces} and {Logs} ready")]
        private partial void LogReady(string traces, string logs);

        [LoggerMessage(EventId = 321, Level = LogLevel.Error, Message = "OTLP traces and logs cannot be stored")]
        private partial void LogUnusable(Exception exception);
    }
}
