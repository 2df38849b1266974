using LumaDB.Server.Configuration;

namespace LumaDB.Server.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("luma-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string text)
    {
        var path = Path.Combine(_dir.FullName, "luma.toml");
        File.WriteAllText(path, text);
        return path;
    }

    private ConfigSources Sources(string? file = null, Dictionary<string, string>? env = null, string[]? set = null, string? dataDir = null) => new()
    {
        ConfigFile = file,
        Environment = env ?? [],
        SetFlags = set ?? [],
        DataDirFlag = dataDir,
        WorkingDirectory = _dir.FullName,
    };

    private static ConfigException LoadFails(ConfigSources sources) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(sources));

    [Fact]
    public void Without_any_source_every_setting_has_its_default()
    {
        var options = ConfigLoader.Load(Sources()).Options;

        Assert.Equal("./data", options.Server.DataDir);
        Assert.Equal("127.0.0.1", options.Server.ListenAddress);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Server.ShutdownGracePeriod);
        Assert.Equal([5432, 8080, 9090, 4317, 4318, 50051], options.Listeners.Select(l => l.Port));
        Assert.Equal("text", options.Log.Format);
        Assert.Equal("information", options.Log.Level);
    }

    [Fact]
    public void File_overrides_default_environment_overrides_file_and_flag_overrides_environment()
    {
        var file = WriteFile("""
            [http]
            port = 1001
            [prometheus]
            port = 1002
            [postgres]
            port = 1003
            """);
        var env = new Dictionary<string, string> { ["LUMA_PROMETHEUS__PORT"] = "2002", ["LUMA_POSTGRES__PORT"] = "2003" };

        var options = ConfigLoader.Load(Sources(file, env, ["postgres.port=3003"])).Options;

        Assert.Equal(1001, options.Http.Port);
        Assert.Equal(2002, options.Prometheus.Port);
        Assert.Equal(3003, options.Postgres.Port);
        Assert.Equal(4317, options.OtlpGrpc.Port);
    }

    [Fact]
    public void Data_dir_flag_wins_over_set_flag_and_file()
    {
        var file = WriteFile("[server]\ndata_dir = \"/from/file\"\n");

        var options = ConfigLoader.Load(Sources(file, set: ["server.data_dir=/from/set"], dataDir: "/from/flag")).Options;

        Assert.Equal("/from/flag", options.Server.DataDir);
    }

    [Fact]
    public void Config_toml_in_the_working_directory_is_used_when_no_file_is_named()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "config.toml"), "[http]\nport = 7070\n");

        var loaded = ConfigLoader.Load(Sources());

        Assert.Equal(7070, loaded.Options.Http.Port);
        Assert.Equal(Path.Combine(_dir.FullName, "config.toml"), loaded.ConfigFile);
    }

    [Fact]
    public void Luma_config_environment_variable_names_the_file()
    {
        var file = WriteFile("[http]\nport = 7171\n");

        var options = ConfigLoader.Load(Sources(env: new() { ["LUMA_CONFIG"] = file })).Options;

        Assert.Equal(7171, options.Http.Port);
    }

    [Fact]
    public void Durations_addresses_enums_and_log_levels_are_read_from_a_file()
    {
        var file = WriteFile("""
            [server]
            shutdown_grace_period = "1m30s"
            listen_address = "::"
            [log]
            format = "json"
            level = "debug"
            [log.levels]
            "Microsoft.AspNetCore" = "warning"
            LumaDB = "trace"
            """);

        var options = ConfigLoader.Load(Sources(file)).Options;

        Assert.Equal(TimeSpan.FromSeconds(90), options.Server.ShutdownGracePeriod);
        Assert.Equal("::", options.Server.ListenAddress);
        Assert.Equal("json", options.Log.Format);
        Assert.Equal("debug", options.Log.Level);
        Assert.Equal("warning", options.Log.Levels["Microsoft.AspNetCore"]);
        Assert.Equal("trace", options.Log.Levels["LumaDB"]);
    }

    [Fact]
    public void Cache_sizes_reach_the_engine_options_and_zero_turns_them_off()
    {
        var defaults = ConfigLoader.Load(Sources()).Options;
        Assert.Equal(256L << 20, defaults.Storage.ToDatabaseOptions().RowGroupCacheBytes);
        Assert.Equal(256L << 20, defaults.Metrics.WarmCache);

        var options = ConfigLoader.Load(Sources(set: ["storage.row_group_cache=0", "metrics.warm_cache=1GiB"])).Options;
        Assert.Equal(0, options.Storage.ToDatabaseOptions().RowGroupCacheBytes);
        Assert.Equal(1L << 30, options.Metrics.WarmCache);
    }

    [Fact]
    public void Dotted_keys_at_the_top_level_are_read_like_sections()
    {
        var file = WriteFile("http.port = 6060\n");

        Assert.Equal(6060, ConfigLoader.Load(Sources(file)).Options.Http.Port);
    }

    [Fact]
    public void Log_levels_can_be_set_per_category_with_a_flag()
    {
        var options = ConfigLoader.Load(Sources(set: ["log.levels.LumaDB.Storage=debug"])).Options;

        Assert.Equal("debug", options.Log.Levels["LumaDB.Storage"]);
    }

    [Fact]
    public void A_syntax_error_names_the_file_line_and_column()
    {
        var file = WriteFile("[server]\ndata_dir = \"./x\"\nlisten_address = = \"1.2.3.4\"\n");

        var error = LoadFails(Sources(file));

        Assert.StartsWith($"{file}:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOML syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_names_the_file_line_key_and_the_known_keys()
    {
        var file = WriteFile("[http]\n\nprot = 80\n");

        var error = LoadFails(Sources(file));

        Assert.Equal($"{file}:3: unknown key 'prot' in section [http]; known keys are port, address", error.Message);
    }

    [Fact]
    public void An_unknown_section_names_the_file_line_and_the_known_sections()
    {
        var file = WriteFile("\n[htpp]\nport = 80\n");

        var error = LoadFails(Sources(file));

        Assert.StartsWith($"{file}:2: unknown section [htpp]; known sections are [server], [log], [postgres], [http]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_names_the_key_what_was_expected_and_what_was_found()
    {
        var file = WriteFile("[http]\nport = \"eighty\"\n");

        var error = LoadFails(Sources(file));

        Assert.Equal($"{file}:2: key 'http.port' expects an integer from 0 to 65535, got the string \"eighty\"", error.Message);
    }

    [Fact]
    public void An_out_of_range_value_names_the_key_and_the_range()
    {
        var file = WriteFile("[postgres]\nport = 70000\n");

        var error = LoadFails(Sources(file));

        Assert.Equal($"{file}:2: key 'postgres.port' expects an integer from 0 to 65535, got the integer 70000", error.Message);
    }

    [Fact]
    public void A_memtable_budget_past_what_one_arena_can_address_is_refused_at_load()
    {
        var file = WriteFile("[storage]\nmemtable_budget = \"8GiB\"\n");

        var error = LoadFails(Sources(file));

        Assert.StartsWith($"{file}:2: key 'storage.memtable_budget' expects", error.Message);
        Assert.Contains("512", error.Message);
    }

    [Fact]
    public void A_value_outside_an_enum_lists_the_accepted_words()
    {
        var file = WriteFile("[log]\nformat = \"xml\"\n");

        var error = LoadFails(Sources(file));

        Assert.Equal($"{file}:2: key 'log.format' expects one of \"text\", \"json\", got the string \"xml\"", error.Message);
    }

    [Fact]
    public void A_bad_duration_is_refused_with_an_example_of_a_good_one()
    {
        var file = WriteFile("[server]\nshutdown_grace_period = \"ten seconds\"\n");

        var error = LoadFails(Sources(file));

        Assert.Contains("key 'server.shutdown_grace_period' expects a duration such as \"500ms\"", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{file}:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_environment_variable_is_named_in_the_error()
    {
        var error = LoadFails(Sources(env: new() { ["LUMA_HTTP__PORT"] = "abc" }));

        Assert.Equal("environment variable LUMA_HTTP__PORT: key 'http.port' expects an integer from 0 to 65535, got \"abc\" (\"abc\" is not an integer)", error.Message);
    }

    [Fact]
    public void An_unknown_environment_key_is_refused()
    {
        var error = LoadFails(Sources(env: new() { ["LUMA_HTTP__PROT"] = "1" }));

        Assert.StartsWith("environment variable LUMA_HTTP__PROT: unknown key 'prot' in section [http]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_set_flag_is_named_in_the_error()
    {
        Assert.Equal("--set http.port: expected section.key=value, e.g. --set http.port=8081", LoadFails(Sources(set: ["http.port"])).Message);
        Assert.StartsWith("--set log.level=loud: key 'log.level' expects one of", LoadFails(Sources(set: ["log.level=loud"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_listeners_on_one_port_are_refused()
    {
        var error = LoadFails(Sources(set: ["http.port=5000", "prometheus.port=5000"]));

        Assert.Equal("listeners [http] port and [prometheus] port are both set to 5000; each listener needs its own port (0 turns one off)", error.Message);
    }

    [Fact]
    public void Port_zero_turns_a_listener_off_and_is_not_a_clash()
    {
        var options = ConfigLoader.Load(Sources(set: ["http.port=0", "prometheus.port=0"])).Options;

        Assert.False(options.Http.Enabled);
        Assert.False(options.Prometheus.Enabled);
    }

    [Fact]
    public void A_named_config_file_that_does_not_exist_is_an_error()
    {
        var error = LoadFails(Sources(Path.Combine(_dir.FullName, "missing.toml")));

        Assert.Contains("missing.toml' (from --config) does not exist", error.Message, StringComparison.Ordinal);
    }
}
