using System.Text;

namespace LumaDB.Server.Configuration;

/// <summary>Writes configuration as TOML: the effective values for <c>luma config</c>, or the documented example file.</summary>
public static class ConfigPrinter
{
    /// <summary>What a secret is shown as.</summary>
    public const string Mask = "********";

    /// <summary>The effective configuration, every key present, secrets masked.</summary>
    public static string Effective(LumaOptions options, ConfigSchema? schema = null, string? sourceFile = null)
    {
        schema ??= ConfigSchema.Luma;
        var text = new StringBuilder();
        text.Append("# Effective LumaDB configuration");
        text.Append(sourceFile is null ? " (built-in defaults" : $" (from {sourceFile}");
        text.Append(", environment and flags)\n");
        foreach (var section in schema.Sections)
        {
            text.Append('\n').Append('[').Append(section).Append("]\n");
            foreach (var key in schema.KeysOf(section))
            {
                var value = key.GetValue(options);
                var shown = key.IsSecret && !IsEmpty(value) ? ConfigValueText.Quote(Mask) : ConfigValueText.ToToml(key, value);
                text.Append(key.Name).Append(" = ").Append(shown).Append('\n');
            }
        }

        text.Append("\n[log.levels]\n");
        foreach (var (category, level) in options.Log.Levels)
        {
            text.Append(ConfigValueText.Quote(category)).Append(" = ").Append(ConfigValueText.Quote(level)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The example file: every key with its description and default, commented where it is a default.</summary>
    public static string Example(ConfigSchema? schema = null)
    {
        schema ??= ConfigSchema.Luma;
        var defaults = new LumaOptions();
        var text = new StringBuilder();
        text.Append("# LumaDB configuration: every key, its meaning and its default.\n");
        text.Append("# No file is needed: each key below shows its built-in default.\n");
        text.Append("# Precedence, lowest first: defaults < this file < environment (LUMA_SECTION__KEY) < flags (--set section.key=value).\n");
        text.Append("# Durations: \"500ms\", \"10s\", \"5m\", \"1h30m\". Sizes: \"64MiB\", \"1GiB\".\n");
        foreach (var section in schema.Sections)
        {
            text.Append('\n');
            if (schema.SectionDescriptions.TryGetValue(section, out var about))
            {
                text.Append("# ").Append(about).Append('\n');
            }

            text.Append('[').Append(section).Append("]\n");
            foreach (var key in schema.KeysOf(section))
            {
                text.Append("# ").Append(key.Description).Append('\n');
                text.Append("# Accepts ").Append(key.Expectation).Append(". Environment: ").Append(key.EnvironmentVariable).Append('\n');
                text.Append(key.Name).Append(" = ").Append(ConfigValueText.ToToml(key, key.GetValue(defaults))).Append('\n');
            }
        }

        text.Append("\n# Per-category log levels; a category covers every category whose name starts with it.\n");
        text.Append("[log.levels]\n");
        text.Append("# \"Microsoft.AspNetCore\" = \"warning\"\n");
        text.Append("# \"LumaDB.Protocols\" = \"debug\"\n");
        return text.ToString();
    }

    private static bool IsEmpty(object value) => value is string { Length: 0 };
}
