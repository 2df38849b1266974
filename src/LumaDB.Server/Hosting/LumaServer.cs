using System.Net;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Postgres;
using LumaDB.Protocols.Postgres.Auth;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Metrics;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Server.Admin;
using LumaDB.Server.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LumaDB.Server.Hosting;

/// <summary>
/// Wires a luma server from its configuration: one Kestrel server with a listener per protocol, the database,
/// health, self-metrics and admin endpoints, logging and graceful shutdown.
/// </summary>
public static class LumaServer
{
    /// <summary>Builds the application; nothing listens until it is started.</summary>
    public static WebApplication Build(LoadedConfig config)
    {
        var options = config.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "luma",
            ContentRootPath = AppContext.BaseDirectory,
        });

        // All settings come from luma's own configuration, never from appsettings files or ASPNETCORE_ variables.
        builder.Configuration.Sources.Clear();

        ConfigureLogging(builder.Logging, options.Log);
        ConfigureKestrel(builder.WebHost, options);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServerStatus>();
        services.AddSingleton<ListenerPorts>();
        services.AddSingleton<ListenerMetrics>();
        services.AddSingleton<MatcherPolicy, ListenerMatcherPolicy>();
        services.AddSingleton(sp => new Database(options.Server.DataDir, options.Storage.ToDatabaseOptions(), sp.GetRequiredService<ILogger<Database>>()));
        services.AddHostedService<DatabaseService>();
        services.AddLumaMetrics(options);
        services.AddLumaOtlp(options);
        services.AddSingleton(sp => PostgresOptions(options, sp.GetRequiredService<Database>(), new CompositeTableProvider(PgCatalog.Instance, new MetricTableProvider(sp.GetRequiredService<IMetricSource>()))));
        services.AddSingleton<PgAuthenticator>();
        services.AddSingleton<PgSessionRegistry>();
        services.AddSingleton<IConnectionListenerFactory, PgTransportFactory>();
        services.AddPrometheusQueryApi();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = options.Server.ShutdownGracePeriod);
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        services.AddGrpc();
        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false)
            .AddCheck("database", () => HealthCheckResult.Healthy(), tags: ["live"]);
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "storage",
            sp => new DatabaseReadyCheck(sp.GetRequiredService<Database>()),
            HealthStatus.Unhealthy,
            ["ready"]));

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("luma", serviceVersion: BuildInfo.Version))
            .WithMetrics(m => m
                .AddMeter(ListenerMetrics.MeterName)
                .AddMeter("LumaDB.*")
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                .AddMeter("Microsoft.AspNetCore.Hosting")
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                .AddPrometheusExporter());

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static PgServerOptions PostgresOptions(LumaOptions options, Database database, ISystemTableProvider tables)
    {
        var session = options.PostgresSession;
        return new PgServerOptions
        {
            BootstrapUser = session.BootstrapUser,
            BootstrapPassword = session.BootstrapPassword,
            PasswordMethod = session.PasswordMethod switch
            {
                "md5" => PgPasswordMethod.Md5,
                "password" => PgPasswordMethod.Password,
                _ => PgPasswordMethod.ScramSha256,
            },
            AllowCleartextPassword = session.AllowCleartextPassword,
            StartupTimeout = session.StartupTimeout,
            MaxMessageBytes = (int)session.MaxMessageSize,
            MaxConnections = session.MaxConnections,
            StatementTimeout = session.StatementTimeout,
            IdleSessionTimeout = session.IdleSessionTimeout,
            IdleInTransactionSessionTimeout = session.IdleInTransactionSessionTimeout,
            TlsMode = PostgresSecurityConfig.TlsMode(options),
            Certificate = PostgresSecurityConfig.LoadCertificate(options),
            AuthRules = PostgresSecurityConfig.ParseRules(options.PostgresSecurity.AuthRules),
            SessionFactory = _ => new SqlSession(database, tables) { ParallelWorkers = options.Sql.EffectiveParallelWorkers },
            RoleLookup = name => database.Catalog.FindRole(name),
        };
    }

    private static void MapEndpoints(WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ListenerMetrics>();
        var ports = app.Services.GetRequiredService<ListenerPorts>();
        app.Use((context, next) =>
        {
            if (ports.NameOf(context.Connection.LocalPort) is { } listener)
            {
                metrics.RequestReceived(listener);
            }

            return next(context);
        });

        app.MapHealth();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireListener(ListenerNames.Http);
        app.MapGrpcHealthChecksService().RequireListener(ListenerNames.InternalGrpc);
        app.MapGrpcService<AdminService>().RequireListener(ListenerNames.InternalGrpc);
        app.MapLumaMetrics();
        app.MapPrometheusQueryApi();
        app.MapLumaOtlp();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogSection log)
    {
        logging.ClearProviders();
        if (log.Format == "json")
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        logging.SetMinimumLevel(LogSection.LevelWords[log.Level]);

        // ASP.NET Core's per-request information logs drown a server's own; a [log.levels] entry brings them back.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        foreach (var (category, level) in log.Levels)
        {
            logging.AddFilter(category, LogSection.LevelWords[level]);
        }
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, LumaOptions options)
    {
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var metrics = kestrel.ApplicationServices.GetRequiredService<ListenerMetrics>();
            foreach (var listener in options.Listeners.Where(l => l.Enabled))
            {
                var address = IPAddress.Parse(ServerStatus.ListenerAddress(options, listener));
                // The PostgreSQL listener's own endpoint type selects its thread-per-connection transport (PgTransportFactory).
                var endPoint = listener.Name == ListenerNames.Postgres ? new PgListenEndPoint(address, listener.Port) : new IPEndPoint(address, listener.Port);
                kestrel.Listen(endPoint, listen =>
                {
                    var name = listener.Name;
                    listen.Use(next => connection => metrics.TrackConnectionAsync(name, next, connection));
                    switch (name)
                    {
                        case ListenerNames.Postgres:
                            listen.UseConnectionHandler<PgConnectionHandler>();
                            break;
                        case ListenerNames.OtlpGrpc:
                        case ListenerNames.InternalGrpc:
                            listen.Protocols = HttpProtocols.Http2;
                            break;
                        default:
                            // Without TLS there is no ALPN to negotiate HTTP/2, so the HTTP listeners speak HTTP/1.1.
                            listen.Protocols = HttpProtocols.Http1;
                            break;
                    }
                });
            }
        });
    }

    /// <summary>Thread-pool workers kept beyond one per core, for background work that holds a worker for long.</summary>
    private const int SpareWorkers = 6;

    /// <summary>
    /// Raises the thread pool's floor above one worker per core. Flushes and compactions run on the pool in
    /// CPU-bound stretches of tens of milliseconds; with a worker per core, a merge and a flush can hold every
    /// worker of a 2-core machine while requests queue behind them (the OTLP bench's export p99 was 150–165 ms,
    /// against 54–70 ms with eight workers). With spare workers the kernel shares the cores among all of them.
    /// </summary>
    private static void KeepSpareWorkers()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + SpareWorkers), completionPorts);
    }

    /// <summary>Starts the server and waits for SIGTERM/SIGINT; returns the process exit code.</summary>
    public static async Task<int> RunAsync(LoadedConfig config, TextWriter error)
    {
        KeepSpareWorkers();
        WebApplication app;
        try
        {
            app = Build(config);
        }
        catch (Exception e) when (e is ConfigException or DataDirectoryException)
        {
            await error.WriteLineAsync("luma: " + e.Message);
            return 1;
        }

        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LumaDB.Server");
            try
            {
                await app.StartAsync();
            }
            catch (DataDirectoryException e)
            {
                await error.WriteLineAsync("luma: cannot start: " + e.Message);
                return 1;
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await error.WriteLineAsync("luma: cannot start: " + DescribeBindFailure(config.Options, e, "is already in use"));
                return 1;
            }
            catch (IOException e) when (e.Message.Contains("Failed to bind", StringComparison.Ordinal))
            {
                await error.WriteLineAsync("luma: cannot start: " + DescribeBindFailure(config.Options, e, "cannot be bound: " + (e.InnerException?.Message ?? e.Message)));
                return 1;
            }

            LogStarted(logger, config, app.Services.GetRequiredService<ServerStatus>());
            await app.WaitForShutdownAsync();
            logger.LogInformation("Shutdown complete");
        }

        return Environment.ExitCode;
    }

    private static string DescribeBindFailure(LumaOptions options, Exception e, string problem)
    {
        var text = e.Message + " " + e.InnerException?.Message;
        foreach (var listener in options.Listeners.Where(l => l.Enabled))
        {
            if (text.Contains($":{listener.Port}:", StringComparison.Ordinal) || text.Contains($":{listener.Port} ", StringComparison.Ordinal))
            {
                var address = ServerStatus.ListenerAddress(options, listener);
                return $"the {listener.Name} listener's address {address}:{listener.Port} ([{listener.Name}] port) {problem}. " +
                    $"Stop whatever uses it or choose another port, e.g. --set {listener.Name}.port=N (0 turns the listener off).";
            }
        }

        return e.Message;
    }

    private static void LogStarted(ILogger logger, LoadedConfig config, ServerStatus status)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var listeners = string.Join(", ", status.Listeners.Select(l => $"{l.Name}={l.Address}:{l.Port}"));
        logger.LogInformation("{Build} started; config {ConfigFile}; listening on {Listeners}",
            BuildInfo.Describe(), config.ConfigFile ?? "(built-in defaults)", listeners);
    }
}

/// <summary>Reports healthy once storage has recovered; serves the gRPC health service's readiness.</summary>
public sealed class DatabaseReadyCheck(Database database) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.IsReady ? HealthCheckResult.Healthy("storage recovered") : HealthCheckResult.Unhealthy("storage " + database.State.ToString().ToLowerInvariant()));
}
