using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LumaDB.Server.Configuration;

/// <summary>
/// Builds <see cref="LumaOptions"/> from defaults, then the TOML file, then <c>LUMA_SECTION__KEY</c> environment
/// variables, then <c>--set</c> flags. Any problem stops with one <see cref="ConfigException"/> naming the source,
/// line, key and what was expected.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The environment variable naming a config file when <c>--config</c> is not given.</summary>
    public const string ConfigFileVariable = "LUMA_CONFIG";

    private const string LogLevelsTable = "log.levels";

    /// <summary>Loads the effective configuration.</summary>
    public static LoadedConfig Load(ConfigSources sources, ConfigSchema? schema = null)
    {
        schema ??= ConfigSchema.Luma;
        var options = new LumaOptions();

        var file = ResolveConfigFile(sources);
        if (file is not null)
        {
            ApplyFile(schema, options, file);
        }

        ApplyEnvironment(schema, options, sources.Environment);
        foreach (var flag in sources.SetFlags)
        {
            ApplyFlag(schema, options, flag);
        }

        if (sources.DataDirFlag is { } dataDir)
        {
            if (dataDir.Length == 0)
            {
                throw new ConfigException("--data-dir: expected a directory path, got an empty string");
            }

            options.Server.DataDir = dataDir;
        }

        Validate(options);
        return new LoadedConfig(options, file);
    }

    private static string? ResolveConfigFile(ConfigSources sources)
    {
        if (sources.ConfigFile is { } explicitFile)
        {
            return File.Exists(explicitFile)
                ? Path.GetFullPath(explicitFile)
                : throw new ConfigException($"config file '{explicitFile}' (from --config) does not exist");
        }

        if (sources.Environment.TryGetValue(ConfigFileVariable, out var fromEnv) && fromEnv.Length > 0)
        {
            return File.Exists(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : throw new ConfigException($"config file '{fromEnv}' (from {ConfigFileVariable}) does not exist");
        }

        var local = Path.Combine(sources.WorkingDirectory, "config.toml");
        return File.Exists(local) ? local : null;
    }

    private static void ApplyFile(ConfigSchema schema, LumaOptions options, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config file '{path}' cannot be read: {e.Message}", e);
        }

        DocumentSyntax document;
        try
        {
            document = SyntaxParser.ParseStrict(text, path);
        }
        catch (TomlException e)
        {
            throw SyntaxError(path, e.Diagnostics?.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error), e);
        }

        if (document.HasErrors)
        {
            throw SyntaxError(path, document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error), null);
        }

        foreach (var keyValue in document.KeyValues)
        {
            var parts = KeyParts(keyValue.Key!);
            ApplyFileValue(schema, options, path, [], parts, keyValue);
        }

        foreach (var table in document.Tables)
        {
            var tableParts = KeyParts(table.Name!);
            var line = table.Span.Start.Line + 1;
            var tableName = string.Join('.', tableParts);
            if (table is TableArraySyntax)
            {
                ApplyTableArray(options, path, line, tableName, table);
                continue;
            }

            if (tableName != LogLevelsTable && (tableParts.Count != 1 || !schema.Sections.Contains(tableParts[0])))
            {
                throw new ConfigException($"{path}:{line}: unknown section [{tableName}]; known sections are {string.Join(", ", schema.Sections.Select(s => "[" + s + "]"))} and [{LogLevelsTable}]");
            }

            foreach (var keyValue in table.Items)
            {
                ApplyFileValue(schema, options, path, tableParts, KeyParts(keyValue.Key!), keyValue);
            }
        }
    }

    private static void ApplyTableArray(LumaOptions options, string path, int line, string tableName, TableSyntaxBase table)
    {
        switch (tableName)
        {
            case "scrape":
                var job = new ScrapeSection { DeclaredAt = $"{path}:{line}" };
                foreach (var keyValue in table.Items)
                {
                    ScrapeConfigReader.ReadJobKey(job, string.Join('.', KeyParts(keyValue.Key!)), keyValue.Value, $"{path}:{keyValue.Span.Start.Line + 1}");
                }

                // Validated once complete; its relabel rules may follow in [[scrape.metric_relabel]] tables.
                options.Scrape.Add(job);
                break;
            case "scrape.metric_relabel":
                if (options.Scrape.Count == 0)
                {
                    throw new ConfigException($"{path}:{line}: [[scrape.metric_relabel]] must follow the [[scrape]] job it belongs to");
                }

                var rule = new RelabelSection();
                foreach (var keyValue in table.Items)
                {
                    ScrapeConfigReader.ReadRelabelKey(rule, string.Join('.', KeyParts(keyValue.Key!)), keyValue.Value, $"{path}:{keyValue.Span.Start.Line + 1}");
                }

                options.Scrape[^1].MetricRelabel.Add(rule);
                break;
            default:
                throw new ConfigException($"{path}:{line}: [[{tableName}]] is not a known table array; known ones are [[scrape]] and [[scrape.metric_relabel]]");
        }
    }

    private static ConfigException SyntaxError(string path, DiagnosticMessage? first, TomlException? exception)
    {
        var message = first is not null
            ? $"{path}:{first.Span.Start.Line + 1}:{first.Span.Start.Column + 1}: TOML syntax error: {first.Message}"
            : $"{path}:{exception!.Line}:{exception.Column}: TOML syntax error: {exception.Message}";
        return exception is null ? new ConfigException(message) : new ConfigException(message, exception);
    }

    private static void ApplyFileValue(ConfigSchema schema, LumaOptions options, string path, IReadOnlyList<string> tableParts, IReadOnlyList<string> keyParts, KeyValueSyntax keyValue)
    {
        var full = tableParts.Concat(keyParts).ToList();
        var line = keyValue.Span.Start.Line + 1;
        var where = $"{path}:{line}";
        var value = keyValue.Value;

        if (full.Count >= 3 && full[0] == "log" && full[1] == "levels")
        {
            var category = string.Join('.', full.Skip(2));
            var level = value is StringValueSyntax s ? s.Value : null;
            SetCategoryLevel(options, category, level, where, Describe(value));
            return;
        }

        if (full.Count != 2)
        {
            var dotted = string.Join('.', full);
            throw new ConfigException(full.Count < 2
                ? $"{where}: key '{dotted}' must be inside a section such as [server]; known sections are {string.Join(", ", schema.Sections.Select(x => "[" + x + "]"))}"
                : $"{where}: unknown key '{dotted}'");
        }

        var key = schema.Find(full[0], full[1]) ?? throw UnknownKey(schema, where, full[0], full[1]);
        object? parsed = null;
        string? problem = null;
        switch (value)
        {
            case IntegerValueSyntax i when key.Kind is ConfigValueKind.Integer or ConfigValueKind.Size:
                parsed = ConfigValueText.TryParse(key, i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), out problem);
                break;
            case BooleanValueSyntax b when key.Kind == ConfigValueKind.Boolean:
                parsed = b.Value;
                break;
            case StringValueSyntax s when key.Kind is not (ConfigValueKind.Integer or ConfigValueKind.Boolean):
                parsed = ConfigValueText.TryParse(key, s.Value ?? "", out problem);
                break;
        }

        if (parsed is null)
        {
            throw new ConfigException($"{where}: key '{key.Path}' expects {key.Expectation}, got {Describe(value)}");
        }

        key.SetValue(options, parsed);
    }

    private static void ApplyEnvironment(ConfigSchema schema, LumaOptions options, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith("LUMA_", StringComparison.Ordinal) || !name.Contains("__", StringComparison.Ordinal))
            {
                continue;
            }

            var path = name["LUMA_".Length..].ToLowerInvariant();
            var separator = path.IndexOf("__", StringComparison.Ordinal);
            var section = path[..separator];
            var keyName = path[(separator + 2)..];
            var where = $"environment variable {name}";
            var key = schema.Find(section, keyName) ?? throw UnknownKey(schema, where, section, keyName);
            var value = ConfigValueText.TryParse(key, text, out var problem)
                ?? throw new ConfigException($"{where}: key '{key.Path}' expects {key.Expectation}, got \"{text}\" ({problem})");
            key.SetValue(options, value);
        }
    }

    private static void ApplyFlag(ConfigSchema schema, LumaOptions options, string flag)
    {
        var where = $"--set {flag}";
        var equals = flag.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ConfigException($"{where}: expected section.key=value, e.g. --set http.port=8081");
        }

        var path = flag[..equals].Trim();
        var text = flag[(equals + 1)..];
        if (path.StartsWith(LogLevelsTable + ".", StringComparison.Ordinal))
        {
            SetCategoryLevel(options, path[(LogLevelsTable.Length + 1)..], text, where, $"\"{text}\"");
            return;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw new ConfigException($"{where}: expected section.key=value, e.g. --set http.port=8081");
        }

        var key = schema.Find(path[..dot], path[(dot + 1)..]) ?? throw UnknownKey(schema, where, path[..dot], path[(dot + 1)..]);
        var value = ConfigValueText.TryParse(key, text, out var problem)
            ?? throw new ConfigException($"{where}: key '{key.Path}' expects {key.Expectation}, got \"{text}\" ({problem})");
        key.SetValue(options, value);
    }

    private static void SetCategoryLevel(LumaOptions options, string category, string? level, string where, string shown)
    {
        if (category.Length == 0)
        {
            throw new ConfigException($"{where}: a [log.levels] entry needs a category name");
        }

        if (level is null || !LogSection.LevelWords.ContainsKey(level.ToLowerInvariant()))
        {
            throw new ConfigException($"{where}: key 'log.levels.{category}' expects one of {string.Join(", ", LogSection.LevelWords.Keys.Select(v => '"' + v + '"'))}, got {shown}");
        }

        options.Log.Levels[category] = level.ToLowerInvariant();
    }

    private static void Validate(LumaOptions options)
    {
        if (options.PostgresSession.PasswordMethod == "password" && !options.PostgresSession.AllowCleartextPassword)
        {
            throw new ConfigException("key 'postgres.password_method' is \"password\" (cleartext) but 'postgres.allow_cleartext_password' is false; without TLS the password would cross the network unprotected");
        }

        PostgresSecurityConfig.Validate(options);
        for (var i = 0; i < options.Scrape.Count; i++)
        {
            var job = options.Scrape[i];
            ScrapeConfigReader.Validate(job, options.Scrape.Take(i), job.DeclaredAt);
        }

        var byPort = options.Listeners.Where(l => l.Enabled).GroupBy(l => l.Port).FirstOrDefault(g => g.Count() > 1);
        if (byPort is not null)
        {
            var names = byPort.Select(l => $"[{l.Name}] port").ToList();
            throw new ConfigException($"listeners {string.Join(" and ", names)} are both set to {byPort.Key}; each listener needs its own port (0 turns one off)");
        }
    }

    private static ConfigException UnknownKey(ConfigSchema schema, string where, string section, string name)
    {
        if (!schema.Sections.Contains(section))
        {
            return new ConfigException($"{where}: unknown section '{section}' in key '{section}.{name}'; known sections are {string.Join(", ", schema.Sections)}");
        }

        var known = string.Join(", ", schema.KeysOf(section).Select(k => k.Name));
        return new ConfigException($"{where}: unknown key '{name}' in section [{section}]; known keys are {known}");
    }

    private static List<string> KeyParts(KeySyntax key)
    {
        var parts = new List<string> { KeyText(key.Key) };
        foreach (var dotted in key.DotKeys)
        {
            parts.Add(KeyText(dotted.Key));
        }

        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    /// <summary>A TOML value in words, for error messages.</summary>
    internal static string Describe(ValueSyntax? value) => value switch
    {
        StringValueSyntax s => $"the string \"{s.Value}\"",
        IntegerValueSyntax i => $"the integer {i.Value}",
        FloatValueSyntax f => $"the float {f.Value}",
        BooleanValueSyntax b => b.Value ? "the boolean true" : "the boolean false",
        ArraySyntax => "an array",
        InlineTableSyntax => "an inline table",
        DateTimeValueSyntax => "a date-time",
        _ => "a value of another type",
    };
}

/// <summary>The effective options and the file they came from, if any.</summary>
public sealed record LoadedConfig(LumaOptions Options, string? ConfigFile);
