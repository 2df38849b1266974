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

        foreach (var job in options.Scrape)
        {
            AppendScrapeJob(text, job);
        }

        return text.ToString();
    }

    private static void AppendScrapeJob(StringBuilder text, ScrapeSection job)
    {
        static string Secret(string value) => ConfigValueText.Quote(value.Length == 0 ? "" : Mask);
        static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(ConfigValueText.Quote)) + "]";
        static string Duration(TimeSpan value) => ConfigValueText.Quote(ConfigValueText.FormatDuration((long)value.TotalMilliseconds));

        text.Append("\n[[scrape]]\n");
        text.Append("job_name = ").Append(ConfigValueText.Quote(job.JobName)).Append('\n');
        text.Append("targets = ").Append(List(job.Targets)).Append('\n');
        text.Append("interval = ").Append(Duration(job.Interval)).Append('\n');
        text.Append("timeout = ").Append(Duration(job.Timeout)).Append('\n');
        text.Append("metrics_path = ").Append(ConfigValueText.Quote(job.MetricsPath)).Append('\n');
        text.Append("scheme = ").Append(ConfigValueText.Quote(job.Scheme)).Append('\n');
        text.Append("honor_labels = ").Append(job.HonorLabels ? "true" : "false").Append('\n');
        text.Append("honor_timestamps = ").Append(job.HonorTimestamps ? "true" : "false").Append('\n');
        text.Append("basic_auth_username = ").Append(ConfigValueText.Quote(job.BasicAuthUsername)).Append('\n');
        text.Append("basic_auth_password = ").Append(Secret(job.BasicAuthPassword)).Append('\n');
        text.Append("bearer_token = ").Append(Secret(job.BearerToken)).Append('\n');
        foreach (var rule in job.MetricRelabel)
        {
            text.Append("\n[[scrape.metric_relabel]]\n");
            text.Append("action = ").Append(ConfigValueText.Quote(rule.Action)).Append('\n');
            text.Append("source_labels = ").Append(List(rule.SourceLabels)).Append('\n');
            text.Append("regex = ").Append(ConfigValueText.Quote(rule.Regex)).Append('\n');
            if (rule.TargetLabel.Length > 0)
            {
                text.Append("target_label = ").Append(ConfigValueText.Quote(rule.TargetLabel)).Append('\n');
            }

            text.Append("replacement = ").Append(ConfigValueText.Quote(rule.Replacement)).Append('\n');
            text.Append("separator = ").Append(ConfigValueText.Quote(rule.Separator)).Append('\n');
        }
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
        text.Append("""

            # Scrape jobs: one [[scrape]] table per job; none by default. Each target becomes the `instance`
            # label and the job name the `job` label; up, scrape_duration_seconds, scrape_samples_scraped,
            # scrape_samples_post_metric_relabeling and scrape_series_added are recorded per target.
            #
            # [[scrape]]
            # job_name = "node"                  # required, unique
            # targets = ["127.0.0.1:9100"]       # required, host:port
            # interval = "15s"
            # timeout = "10s"                    # at most the interval
            # metrics_path = "/metrics"
            # scheme = "http"                    # or "https"
            # honor_labels = false               # true keeps the target's own job/instance labels
            # honor_timestamps = true            # false stamps samples with the scrape time
            # basic_auth_username = ""
            # basic_auth_password = ""           # secret: masked by `luma config`
            # bearer_token = ""                  # secret: masked by `luma config`
            #
            # Rules applied to every scraped series, in order (Prometheus's metric_relabel_configs):
            # [[scrape.metric_relabel]]
            # action = "drop"                    # replace, keep, drop, labeldrop, labelkeep
            # source_labels = ["__name__"]
            # regex = "go_.*"                    # anchored at both ends
            # target_label = ""                  # replace only
            # replacement = "$1"
            # separator = ";"

            """);
        return text.ToString();
    }

    private static bool IsEmpty(object value) => value is string { Length: 0 };
}
