namespace LumaDB.Server.Configuration;

/// <summary>Where configuration comes from, lowest precedence first: defaults, file, environment, flags.</summary>
public sealed class ConfigSources
{
    /// <summary>The config file given with <c>--config</c>; null to use <c>LUMA_CONFIG</c> or <c>./config.toml</c> if present.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Environment variables (only <c>LUMA_*</c> ones are read).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--set section.key=value</c> flags in the order given.</summary>
    public IReadOnlyList<string> SetFlags { get; init; } = [];

    /// <summary><c>--data-dir</c>, which wins over every other source of <c>server.data_dir</c>.</summary>
    public string? DataDirFlag { get; init; }

    /// <summary>The working directory used to find <c>./config.toml</c>.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Captures the process environment.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
