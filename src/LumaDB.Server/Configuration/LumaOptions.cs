namespace LumaDB.Server.Configuration;

/// <summary>The whole effective configuration of a luma server. Property initializers are the defaults.</summary>
public sealed partial class LumaOptions
{
    /// <summary>Process-wide settings.</summary>
    public ServerSection Server { get; } = new();

    /// <summary>Logging settings.</summary>
    public LogSection Log { get; } = new();

    /// <summary>[storage]: memtable, WAL and fsync settings.</summary>
    public StorageSection Storage { get; } = new();

    /// <summary>PostgreSQL wire protocol listener.</summary>
    public ListenerSection Postgres { get; } = new(ListenerNames.Postgres, 5432);

    /// <summary>PostgreSQL sessions: bootstrap user, authentication, limits.</summary>
    public PostgresSessionSection PostgresSession { get; } = new();

    /// <summary>PostgreSQL TLS and authentication rules.</summary>
    public PostgresSecuritySection PostgresSecurity { get; } = new();

    /// <summary>HTTP API, health, self-metrics and web console listener.</summary>
    public ListenerSection Http { get; } = new(ListenerNames.Http, 8080);

    /// <summary>Prometheus remote write and query API listener.</summary>
    public ListenerSection Prometheus { get; } = new(ListenerNames.Prometheus, 9090);

    /// <summary>OTLP over gRPC listener.</summary>
    public ListenerSection OtlpGrpc { get; } = new(ListenerNames.OtlpGrpc, 4317);

    /// <summary>OTLP over HTTP listener.</summary>
    public ListenerSection OtlpHttp { get; } = new(ListenerNames.OtlpHttp, 4318);

    /// <summary>Internal gRPC listener: health and administration.</summary>
    public ListenerSection InternalGrpc { get; } = new(ListenerNames.InternalGrpc, 50051);

    /// <summary>Metric store limits (<c>[metrics]</c>).</summary>
    public MetricsSection Metrics { get; } = new();

    /// <summary>OTLP limits and telemetry table retention (<c>[otlp]</c>).</summary>
    public OtlpSection Otlp { get; } = new();

    /// <summary>Scrape jobs (<c>[[scrape]]</c>), in file order.</summary>
    public List<ScrapeSection> Scrape { get; } = [];

    /// <summary>Every listener, in a fixed order.</summary>
    public IReadOnlyList<ListenerSection> Listeners => [Postgres, Http, Prometheus, OtlpGrpc, OtlpHttp, InternalGrpc];
}

/// <summary>The <c>[server]</c> table.</summary>
public sealed class ServerSection
{
    /// <summary>Where all data lives.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>The address every listener binds unless its own <c>address</c> is set.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>How long in-flight work may take to finish after SIGTERM/SIGINT.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The <c>[log]</c> table and its <c>[log.levels]</c> sub-table.</summary>
public sealed class LogSection
{
    /// <summary><c>text</c> or <c>json</c>.</summary>
    public string Format { get; set; } = "text";

    /// <summary>The minimum level for categories without their own entry.</summary>
    public string Level { get; set; } = "information";

    /// <summary>Per-category minimum levels; a category matches itself and every category below it.</summary>
    public SortedDictionary<string, string> Levels { get; } = new(StringComparer.Ordinal);

    /// <summary>The accepted level words, mapped to <see cref="LogLevel"/>.</summary>
    public static readonly IReadOnlyDictionary<string, LogLevel> LevelWords = new Dictionary<string, LogLevel>(StringComparer.Ordinal)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["information"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        ["critical"] = LogLevel.Critical,
        ["none"] = LogLevel.None,
    };
}

/// <summary>The session settings of the <c>[postgres]</c> table.</summary>
public sealed class PostgresSessionSection
{
    /// <summary>The superuser that exists from the first start.</summary>
    public string BootstrapUser { get; set; } = "luma";

    /// <summary>Its password; empty trusts loopback clients only.</summary>
    public string BootstrapPassword { get; set; } = "";

    /// <summary>scram-sha-256, md5 or password.</summary>
    public string PasswordMethod { get; set; } = "scram-sha-256";

    /// <summary>Whether the cleartext password method may be used without TLS.</summary>
    public bool AllowCleartextPassword { get; set; }

    /// <summary>Time allowed for startup and authentication.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest message accepted after startup.</summary>
    public long MaxMessageSize { get; set; } = 64L << 20;

    /// <summary>Most connections open at once (max_connections).</summary>
    public int MaxConnections { get; set; } = 100;

    /// <summary>Default statement_timeout; zero is off.</summary>
    public TimeSpan StatementTimeout { get; set; }

    /// <summary>Default idle_session_timeout; zero is off.</summary>
    public TimeSpan IdleSessionTimeout { get; set; }

    /// <summary>Default idle_in_transaction_session_timeout; zero is off.</summary>
    public TimeSpan IdleInTransactionSessionTimeout { get; set; }
}

/// <summary>A listener's table: its port (0 turns it off) and an optional address of its own.</summary>
public sealed class ListenerSection(string name, int defaultPort)
{
    /// <summary>The listener's name, which is also its TOML table.</summary>
    public string Name { get; } = name;

    /// <summary>The TCP port; 0 means the listener is off.</summary>
    public int Port { get; set; } = defaultPort;

    /// <summary>The address to bind; empty means <see cref="ServerSection.ListenAddress"/>.</summary>
    public string Address { get; set; } = "";

    /// <summary>Whether the listener is on.</summary>
    public bool Enabled => Port != 0;
}

/// <summary>The names of luma's listeners, used as config tables, metric labels and log fields.</summary>
public static class ListenerNames
{
    /// <summary>PostgreSQL v3 wire protocol.</summary>
    public const string Postgres = "postgres";

    /// <summary>REST, health, self-metrics, console.</summary>
    public const string Http = "http";

    /// <summary>Prometheus remote write and HTTP query API.</summary>
    public const string Prometheus = "prometheus";

    /// <summary>OTLP/gRPC.</summary>
    public const string OtlpGrpc = "otlp_grpc";

    /// <summary>OTLP/HTTP.</summary>
    public const string OtlpHttp = "otlp_http";

    /// <summary>Internal gRPC: health and admin.</summary>
    public const string InternalGrpc = "internal_grpc";
}
