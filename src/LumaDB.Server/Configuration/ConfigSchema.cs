namespace LumaDB.Server.Configuration;

/// <summary>Every key luma's configuration accepts, with its type, bounds and documentation.</summary>
public sealed partial class ConfigSchema
{
    private readonly Dictionary<string, ConfigKey> _byPath;

    /// <summary>Creates a schema from keys; sections are documented in the order they first appear.</summary>
    public ConfigSchema(IEnumerable<ConfigKey> keys, IReadOnlyDictionary<string, string> sectionDescriptions)
    {
        Keys = [.. keys];
        _byPath = Keys.ToDictionary(k => k.Path, StringComparer.Ordinal);
        SectionDescriptions = sectionDescriptions;
        Sections = [.. Keys.Select(k => k.Section).Distinct()];
    }

    /// <summary>All keys in documentation order.</summary>
    public IReadOnlyList<ConfigKey> Keys { get; }

    /// <summary>Section names in documentation order.</summary>
    public IReadOnlyList<string> Sections { get; }

    /// <summary>A sentence or two per section.</summary>
    public IReadOnlyDictionary<string, string> SectionDescriptions { get; }

    /// <summary>Finds a key by <c>section.name</c>.</summary>
    public ConfigKey? Find(string section, string name) => _byPath.GetValueOrDefault(section + "." + name);

    /// <summary>The keys of one section.</summary>
    public IEnumerable<ConfigKey> KeysOf(string section) => Keys.Where(k => k.Section == section);

    /// <summary>luma's schema.</summary>
    public static ConfigSchema Luma { get; } = BuildLuma();

    private static ConfigSchema BuildLuma()
    {
        var keys = new List<ConfigKey>
        {
            new("server", "data_dir", ConfigValueKind.String,
                "Directory that holds all data (WAL, segments, catalog). Created if missing; relative paths are relative to the working directory.",
                o => o.Server.DataDir, (o, v) => o.Server.DataDir = (string)v),
            new("server", "listen_address", ConfigValueKind.Address,
                "Address every listener binds unless its own 'address' is set. Use \"0.0.0.0\" or \"::\" to accept connections from other hosts.",
                o => o.Server.ListenAddress, (o, v) => o.Server.ListenAddress = (string)v),
            new("server", "shutdown_grace_period", ConfigValueKind.Duration,
                "After SIGTERM or SIGINT, how long in-flight requests may take to finish before connections are closed.",
                o => o.Server.ShutdownGracePeriod, (o, v) => o.Server.ShutdownGracePeriod = (TimeSpan)v)
            { Minimum = 0, Maximum = (long)TimeSpan.FromHours(1).TotalMilliseconds },

            new("log", "format", ConfigValueKind.Enum,
                "\"text\" writes one readable line per event; \"json\" writes one JSON object per line for log shippers.",
                o => o.Log.Format, (o, v) => o.Log.Format = (string)v)
            { AllowedValues = ["text", "json"] },
            new("log", "level", ConfigValueKind.Enum,
                "Minimum level of events written, for every category without an entry in [log.levels].",
                o => o.Log.Level, (o, v) => o.Log.Level = (string)v)
            { AllowedValues = [.. LogSection.LevelWords.Keys] },
        };

        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["server"] = "Process-wide settings.",
            ["log"] = "Logging. Per-category levels go in [log.levels], e.g. \"LumaDB.Protocols\" = \"debug\" or \"Microsoft.AspNetCore\" = \"warning\".",
        };

        AddListener(keys, descriptions, o => o.Postgres, ListenerNames.Postgres, 5432, "PostgreSQL v3 wire protocol: psql, Npgsql, JDBC, Grafana's PostgreSQL data source.");
        keys.Add(new ConfigKey(ListenerNames.Postgres, "bootstrap_user", ConfigValueKind.String,
            "The superuser that exists from the first start.",
            o => o.PostgresSession.BootstrapUser, (o, v) => o.PostgresSession.BootstrapUser = (string)v));
        keys.Add(new ConfigKey(ListenerNames.Postgres, "bootstrap_password", ConfigValueKind.String,
            "The bootstrap user's password. Empty: trusted from loopback addresses only, every other address refused. Set: every login must give it.",
            o => o.PostgresSession.BootstrapPassword, (o, v) => o.PostgresSession.BootstrapPassword = (string)v)
        { IsSecret = true, AllowEmpty = true });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "password_method", ConfigValueKind.Enum,
            "How passwords are checked: \"scram-sha-256\" (default), \"md5\" for old clients, or \"password\" (cleartext; needs allow_cleartext_password).",
            o => o.PostgresSession.PasswordMethod, (o, v) => o.PostgresSession.PasswordMethod = (string)v)
        { AllowedValues = ["scram-sha-256", "md5", "password"] });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "allow_cleartext_password", ConfigValueKind.Boolean,
            "Allow the cleartext password method without TLS, where the password crosses the network unprotected.",
            o => o.PostgresSession.AllowCleartextPassword, (o, v) => o.PostgresSession.AllowCleartextPassword = (bool)v));
        keys.Add(new ConfigKey(ListenerNames.Postgres, "startup_timeout", ConfigValueKind.Duration,
            "A client must finish startup and authentication within this time, or its connection is closed.",
            o => o.PostgresSession.StartupTimeout, (o, v) => o.PostgresSession.StartupTimeout = (TimeSpan)v)
        { Minimum = 100, Maximum = (long)TimeSpan.FromMinutes(10).TotalMilliseconds });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "max_message_size", ConfigValueKind.Size,
            "Largest protocol message accepted after startup; a larger one ends the session with a protocol error.",
            o => o.PostgresSession.MaxMessageSize, (o, v) => o.PostgresSession.MaxMessageSize = (long)v)
        { Minimum = 1024, Maximum = 1L << 30 });
        AddPostgresSecurityKeys(keys);
        AddPostgresLimitKeys(keys);

        AddListener(keys, descriptions, o => o.Http, ListenerNames.Http, 8080, "HTTP: /health, /ready, /metrics (luma's own metrics), REST API and web console.");
        AddListener(keys, descriptions, o => o.Prometheus, ListenerNames.Prometheus, 9090, "Prometheus remote write (/api/v1/write) and the Prometheus HTTP query API.");
        AddListener(keys, descriptions, o => o.OtlpGrpc, ListenerNames.OtlpGrpc, 4317, "OpenTelemetry OTLP over gRPC (HTTP/2 without TLS).");
        AddListener(keys, descriptions, o => o.OtlpHttp, ListenerNames.OtlpHttp, 4318, "OpenTelemetry OTLP over HTTP (/v1/traces, /v1/logs, /v1/metrics).");
        AddListener(keys, descriptions, o => o.InternalGrpc, ListenerNames.InternalGrpc, 50051, "Internal gRPC (HTTP/2 without TLS): grpc.health.v1.Health and luma.admin.v1.Admin.");
        AddMetrics(keys, descriptions);
        AddPromQL(keys, descriptions);
        AddOtlp(keys, descriptions);

        AddStorage(keys, descriptions);
        AddScan(keys);
        AddSql(keys, descriptions);
        return new ConfigSchema(keys, descriptions);
    }

    private static void AddListener(
        List<ConfigKey> keys,
        Dictionary<string, string> descriptions,
        Func<LumaOptions, ListenerSection> section,
        string name,
        int defaultPort,
        string description)
    {
        descriptions[name] = description;
        keys.Add(new ConfigKey(name, "port", ConfigValueKind.Integer,
            $"TCP port (default {defaultPort}); 0 turns the listener off.",
            o => section(o).Port, (o, v) => section(o).Port = checked((int)(long)v))
        { Minimum = 0, Maximum = 65535 });
        keys.Add(new ConfigKey(name, "address", ConfigValueKind.Address,
            "Address to bind; empty means [server] listen_address.",
            o => section(o).Address, (o, v) => section(o).Address = (string)v)
        { AllowEmpty = true });
    }
}
