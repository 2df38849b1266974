namespace LumaDB.Server.Configuration;

/// <summary>One <c>[[scrape]]</c> job from the configuration file.</summary>
public sealed class ScrapeSection
{
    /// <summary>The job's name, used as the <c>job</c> label; unique across jobs.</summary>
    public string JobName { get; set; } = "";

    /// <summary>host:port targets.</summary>
    public List<string> Targets { get; } = [];

    /// <summary>Time between scrapes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a scrape may take; at most the interval.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP path of the metrics.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; set; } = "http";

    /// <summary>Keep the target's own job/instance labels instead of renaming them to exported_*.</summary>
    public bool HonorLabels { get; set; }

    /// <summary>Use timestamps the target exposes instead of the scrape time.</summary>
    public bool HonorTimestamps { get; set; } = true;

    /// <summary>Basic auth user name.</summary>
    public string BasicAuthUsername { get; set; } = "";

    /// <summary>Basic auth password (a secret).</summary>
    public string BasicAuthPassword { get; set; } = "";

    /// <summary>Bearer token (a secret).</summary>
    public string BearerToken { get; set; } = "";

    /// <summary>file:line of the job's [[scrape]] header, for messages about the job as a whole.</summary>
    internal string DeclaredAt { get; init; } = "[[scrape]]";

    /// <summary>Rules applied to every scraped series, in order.</summary>
    public List<RelabelSection> MetricRelabel { get; } = [];
}

/// <summary>One <c>[[scrape.metric_relabel]]</c> rule.</summary>
public sealed class RelabelSection
{
    /// <summary>replace, keep, drop, labeldrop or labelkeep.</summary>
    public string Action { get; set; } = "replace";

    /// <summary>Labels whose values are joined with the separator and matched.</summary>
    public List<string> SourceLabels { get; } = [];

    /// <summary>The regular expression, anchored at both ends.</summary>
    public string Regex { get; set; } = "(.*)";

    /// <summary>The label a replace rule sets.</summary>
    public string TargetLabel { get; set; } = "";

    /// <summary>The replacement template; <c>$1</c> refers to the first group.</summary>
    public string Replacement { get; set; } = "$1";

    /// <summary>Joins source label values.</summary>
    public string Separator { get; set; } = ";";
}
