using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace LumaDB.Server.Configuration;

/// <summary>Reads <c>[[scrape]]</c> jobs and their <c>[[scrape.metric_relabel]]</c> rules, checking each key.</summary>
internal static class ScrapeConfigReader
{
    private static readonly string[] Actions = ["replace", "keep", "drop", "labeldrop", "labelkeep"];

    /// <summary>The keys a <c>[[scrape]]</c> table accepts.</summary>
    public static readonly string[] JobKeys =
    [
        "job_name", "targets", "interval", "timeout", "metrics_path", "scheme", "honor_labels", "honor_timestamps",
        "basic_auth_username", "basic_auth_password", "bearer_token",
    ];

    /// <summary>The keys a <c>[[scrape.metric_relabel]]</c> table accepts.</summary>
    public static readonly string[] RelabelKeys = ["action", "source_labels", "regex", "target_label", "replacement", "separator"];

    public static void ReadJobKey(ScrapeSection job, string key, ValueSyntax? value, string where)
    {
        switch (key)
        {
            case "job_name":
                job.JobName = String(value, where, key, "a non-empty string");
                break;
            case "targets":
                foreach (var target in Strings(value, where, key, "an array of \"host:port\" strings"))
                {
                    if (!Uri.TryCreate("http://" + target, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || target.Contains('/', StringComparison.Ordinal))
                    {
                        throw new ConfigException($"{where}: key 'scrape.targets' expects \"host:port\" strings, got \"{target}\"");
                    }

                    job.Targets.Add(target);
                }

                break;
            case "interval":
                job.Interval = Duration(value, where, key);
                break;
            case "timeout":
                job.Timeout = Duration(value, where, key);
                break;
            case "metrics_path":
                job.MetricsPath = String(value, where, key, "a path starting with /");
                if (!job.MetricsPath.StartsWith('/'))
                {
                    throw new ConfigException($"{where}: key 'scrape.metrics_path' expects a path starting with /, got \"{job.MetricsPath}\"");
                }

                break;
            case "scheme":
                job.Scheme = String(value, where, key, "\"http\" or \"https\"");
                if (job.Scheme is not ("http" or "https"))
                {
                    throw new ConfigException($"{where}: key 'scrape.scheme' expects \"http\" or \"https\", got \"{job.Scheme}\"");
                }

                break;
            case "honor_labels":
                job.HonorLabels = Boolean(value, where, key);
                break;
            case "honor_timestamps":
                job.HonorTimestamps = Boolean(value, where, key);
                break;
            case "basic_auth_username":
                job.BasicAuthUsername = String(value, where, key, "a string", allowEmpty: true);
                break;
            case "basic_auth_password":
                job.BasicAuthPassword = String(value, where, key, "a string", allowEmpty: true);
                break;
            case "bearer_token":
                job.BearerToken = String(value, where, key, "a string", allowEmpty: true);
                break;
            default:
                throw new ConfigException($"{where}: unknown key '{key}' in [[scrape]]; known keys are {string.Join(", ", JobKeys)}");
        }
    }

    public static void ReadRelabelKey(RelabelSection rule, string key, ValueSyntax? value, string where)
    {
        switch (key)
        {
            case "action":
                rule.Action = String(value, where, key, "one of " + string.Join(", ", Actions));
                if (!Actions.Contains(rule.Action))
                {
                    throw new ConfigException($"{where}: key 'scrape.metric_relabel.action' expects one of {string.Join(", ", Actions.Select(a => '"' + a + '"'))}, got \"{rule.Action}\"");
                }

                break;
            case "source_labels":
                rule.SourceLabels.AddRange(Strings(value, where, key, "an array of label names"));
                break;
            case "regex":
                rule.Regex = String(value, where, key, "a regular expression", allowEmpty: true);
                try
                {
                    _ = new Regex(rule.Regex, RegexOptions.NonBacktracking);
                }
                catch (ArgumentException e)
                {
                    throw new ConfigException($"{where}: key 'scrape.metric_relabel.regex' is not a valid regular expression: {e.Message}");
                }

                break;
            case "target_label":
                rule.TargetLabel = String(value, where, key, "a label name");
                break;
            case "replacement":
                rule.Replacement = String(value, where, key, "a string", allowEmpty: true);
                break;
            case "separator":
                rule.Separator = String(value, where, key, "a string", allowEmpty: true);
                break;
            default:
                throw new ConfigException($"{where}: unknown key '{key}' in [[scrape.metric_relabel]]; known keys are {string.Join(", ", RelabelKeys)}");
        }
    }

    /// <summary>Checks a finished job; the location names its [[scrape]] line.</summary>
    public static void Validate(ScrapeSection job, IEnumerable<ScrapeSection> earlier, string where)
    {
        if (job.JobName.Length == 0)
        {
            throw new ConfigException($"{where}: [[scrape]] needs job_name");
        }

        if (earlier.Any(j => j.JobName == job.JobName))
        {
            throw new ConfigException($"{where}: scrape job \"{job.JobName}\" is defined twice; job names must be unique");
        }

        if (job.Targets.Count == 0)
        {
            throw new ConfigException($"{where}: scrape job \"{job.JobName}\" needs at least one target in 'targets'");
        }

        if (job.Timeout > job.Interval)
        {
            throw new ConfigException($"{where}: scrape job \"{job.JobName}\" has a timeout ({ConfigValueText.FormatDuration((long)job.Timeout.TotalMilliseconds)}) longer than its interval ({ConfigValueText.FormatDuration((long)job.Interval.TotalMilliseconds)})");
        }

        foreach (var rule in job.MetricRelabel.Where(r => r.Action == "replace" && r.TargetLabel.Length == 0))
        {
            throw new ConfigException($"{where}: a replace rule of scrape job \"{job.JobName}\" needs target_label");
        }
    }

    private static string String(ValueSyntax? value, string where, string key, string expected, bool allowEmpty = false) =>
        value is StringValueSyntax { Value: { } text } && (allowEmpty || text.Length > 0)
            ? text
            : throw new ConfigException($"{where}: key 'scrape.{key}' expects {expected}, got {ConfigLoader.Describe(value)}");

    private static bool Boolean(ValueSyntax? value, string where, string key) =>
        value is BooleanValueSyntax b ? b.Value : throw new ConfigException($"{where}: key 'scrape.{key}' expects true or false, got {ConfigLoader.Describe(value)}");

    private static TimeSpan Duration(ValueSyntax? value, string where, string key) =>
        value is StringValueSyntax { Value: { } text } && ConfigValueText.TryParseDuration(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw new ConfigException($"{where}: key 'scrape.{key}' expects a positive duration such as \"15s\", got {ConfigLoader.Describe(value)}");

    private static List<string> Strings(ValueSyntax? value, string where, string key, string expected)
    {
        if (value is not ArraySyntax array)
        {
            throw new ConfigException($"{where}: key 'scrape.{key}' expects {expected}, got {ConfigLoader.Describe(value)}");
        }

        var result = new List<string>();
        foreach (var item in array.Items)
        {
            result.Add(item.Value is StringValueSyntax { Value: { Length: > 0 } text }
                ? text
                : throw new ConfigException($"{where}: key 'scrape.{key}' expects {expected}, got an element that is {ConfigLoader.Describe(item.Value)}"));
        }

        return result;
    }
}
