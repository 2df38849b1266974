using System.CommandLine;
using LumaDB.Server.Configuration;
using LumaDB.Server.Hosting;

namespace LumaDB.Server.Cli;

/// <summary>The <c>luma</c> command line: <c>serve</c> (the default), <c>config</c> and <c>version</c>.</summary>
public static class LumaCommandLine
{
    /// <summary>Exit code for a configuration or usage error.</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Parses the arguments and runs the chosen command.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var configOption = new Option<string?>("--config", "-c")
        {
            Description = "TOML configuration file. Without it, LUMA_CONFIG or ./config.toml is used if present; otherwise built-in defaults.",
            HelpName = "FILE",
        };
        var dataDirOption = new Option<string?>("--data-dir", "-d")
        {
            Description = "Data directory, overriding [server] data_dir (default ./data).",
            HelpName = "DIR",
        };
        var setOption = new Option<string[]>("--set", "-s")
        {
            Description = "Override one setting, e.g. --set http.port=8081 or --set log.level=debug. Repeatable; wins over the file and LUMA_SECTION__KEY environment variables.",
            HelpName = "SECTION.KEY=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var serve = new Command("serve", "Run the LumaDB server (the default command).");
        AddConfigOptions(serve);
        serve.SetAction((result, _) => ServeAsync(Sources(result)));

        var config = new Command("config", "Print the effective configuration as TOML (secrets masked) and exit.");
        AddConfigOptions(config);
        var exampleOption = new Option<bool>("--example") { Description = "Print the documented example file with every key at its default instead." };
        config.Options.Add(exampleOption);
        config.SetAction(result => result.GetValue(exampleOption) ? PrintExample() : PrintConfig(Sources(result)));

        var version = new Command("version", "Print the version and build of this binary.");
        version.SetAction(_ =>
        {
            Console.Out.WriteLine(BuildInfo.Describe());
            return 0;
        });

        var root = new RootCommand("LumaDB: one server for metrics, logs, traces and relational data, speaking PostgreSQL, Prometheus and OTLP.");
        AddConfigOptions(root);
        root.Subcommands.Add(serve);
        root.Subcommands.Add(config);
        root.Subcommands.Add(version);
        root.SetAction((result, _) => ServeAsync(Sources(result)));

        // The host handles SIGTERM/SIGINT itself, with the configured grace period.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

        void AddConfigOptions(Command command)
        {
            command.Options.Add(configOption);
            command.Options.Add(dataDirOption);
            command.Options.Add(setOption);
        }

        ConfigSources Sources(ParseResult result) => new()
        {
            ConfigFile = result.GetValue(configOption),
            DataDirFlag = result.GetValue(dataDirOption),
            SetFlags = result.GetValue(setOption) ?? [],
            Environment = ConfigSources.ProcessEnvironment(),
        };
    }

    private static async Task<int> ServeAsync(ConfigSources sources)
    {
        if (!TryLoad(sources, out var loaded))
        {
            return ConfigErrorExitCode;
        }

        return await LumaServer.RunAsync(loaded, Console.Error);
    }

    private static int PrintConfig(ConfigSources sources)
    {
        if (!TryLoad(sources, out var loaded))
        {
            return ConfigErrorExitCode;
        }

        Console.Out.Write(ConfigPrinter.Effective(loaded.Options, sourceFile: loaded.ConfigFile));
        return 0;
    }

    private static int PrintExample()
    {
        Console.Out.Write(ConfigPrinter.Example());
        return 0;
    }

    private static bool TryLoad(ConfigSources sources, out LoadedConfig loaded)
    {
        try
        {
            loaded = ConfigLoader.Load(sources);
            return true;
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine("luma: invalid configuration: " + e.Message);
            loaded = null!;
            return false;
        }
    }
}
