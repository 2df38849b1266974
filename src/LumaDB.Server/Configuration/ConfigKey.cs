namespace LumaDB.Server.Configuration;

/// <summary>
/// One setting of <c>config.toml</c>: where it lives, what it accepts, and how it reaches <see cref="LumaOptions"/>.
/// The schema is the single source for parsing, validation, <c>luma config</c> and the example file.
/// </summary>
public sealed class ConfigKey
{
    private readonly Func<LumaOptions, object> _get;
    private readonly Action<LumaOptions, object> _set;

    internal ConfigKey(
        string section,
        string name,
        ConfigValueKind kind,
        string description,
        Func<LumaOptions, object> get,
        Action<LumaOptions, object> set)
    {
        Section = section;
        Name = name;
        Kind = kind;
        Description = description;
        _get = get;
        _set = set;
    }

    /// <summary>The TOML table the key lives in, e.g. <c>http</c>.</summary>
    public string Section { get; }

    /// <summary>The key's name inside its table, e.g. <c>port</c>.</summary>
    public string Name { get; }

    /// <summary><c>section.name</c>, as used by <c>--set</c>.</summary>
    public string Path => Section + "." + Name;

    /// <summary>The environment variable that overrides the key.</summary>
    public string EnvironmentVariable => "LUMA_" + Section.ToUpperInvariant() + "__" + Name.ToUpperInvariant();

    /// <summary>The value type.</summary>
    public ConfigValueKind Kind { get; }

    /// <summary>One or two sentences for the example file and <c>luma config</c>.</summary>
    public string Description { get; }

    /// <summary>Smallest accepted value for integers, durations (milliseconds) and sizes (bytes).</summary>
    public long? Minimum { get; init; }

    /// <summary>Largest accepted value for integers, durations (milliseconds) and sizes (bytes).</summary>
    public long? Maximum { get; init; }

    /// <summary>The accepted words of an <see cref="ConfigValueKind.Enum"/> key.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>Whether an empty value is accepted (addresses that fall back to a server-wide one).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>Secrets are masked when the configuration is printed.</summary>
    public bool IsSecret { get; init; }

    /// <summary>Reads the key's current value from options.</summary>
    public object GetValue(LumaOptions options) => _get(options);

    /// <summary>Stores an already validated value into options.</summary>
    public void SetValue(LumaOptions options, object value) => _set(options, value);

    /// <summary>What the key accepts, in words, for error messages.</summary>
    public string Expectation => Kind switch
    {
        ConfigValueKind.Integer when Minimum is { } min && Maximum is { } max => $"an integer from {min} to {max}",
        ConfigValueKind.Integer => "an integer",
        ConfigValueKind.Boolean => "true or false",
        ConfigValueKind.String => "a string",
        ConfigValueKind.Enum => "one of " + string.Join(", ", AllowedValues.Select(v => '"' + v + '"')),
        ConfigValueKind.Duration => "a duration such as \"500ms\", \"10s\" or \"1m30s\"" + RangeSuffix(ConfigValueText.FormatDuration),
        ConfigValueKind.Address => AllowEmpty ? "an IP address such as \"127.0.0.1\" or \"::\", or \"\" for the server's listen_address" : "an IP address such as \"127.0.0.1\", \"0.0.0.0\" or \"::\"",
        ConfigValueKind.Size => "a size such as \"64MiB\", \"1GiB\" or a number of bytes" + RangeSuffix(v => ConfigValueText.FormatSize(v)),
        _ => Kind.ToString(),
    };

    private string RangeSuffix(Func<long, string> format) => (Minimum, Maximum) switch
    {
        ({ } min, { } max) => $" from {format(min)} to {format(max)}",
        ({ } min, null) => $" of at least {format(min)}",
        (null, { } max) => $" of at most {format(max)}",
        _ => "",
    };
}
