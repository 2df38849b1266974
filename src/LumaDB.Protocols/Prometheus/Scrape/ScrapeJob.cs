namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>One <c>[[scrape]]</c> job: what to scrape, how often, and what to do with the labels.</summary>
public sealed class ScrapeJob
{
    /// <summary>The <c>job</c> label of every series scraped.</summary>
    public required string JobName { get; init; }

    /// <summary>host:port of each target; each becomes the <c>instance</c> label.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>Time between scrapes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one scrape may take; at most the interval.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP path of the metrics.</summary>
    public string MetricsPath { get; init; } = "/metrics";

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; init; } = "http";

    /// <summary>Basic auth user name, if any.</summary>
    public string? BasicAuthUser { get; init; }

    /// <summary>Basic auth password.</summary>
    public string? BasicAuthPassword { get; init; }

    /// <summary>Bearer token, if any.</summary>
    public string? BearerToken { get; init; }

    /// <summary>When true, labels in the scraped data win over <c>job</c>/<c>instance</c>; else they are kept as <c>exported_*</c>.</summary>
    public bool HonorLabels { get; init; }

    /// <summary>When true, timestamps in the scraped data are used; else the scrape time.</summary>
    public bool HonorTimestamps { get; init; } = true;

    /// <summary>Rules applied to every scraped series (Prometheus's metric_relabel_configs).</summary>
    public IReadOnlyList<RelabelRule> MetricRelabeling { get; init; } = [];

    /// <summary>The URL of a target.</summary>
    public Uri UrlOf(string target) => new($"{Scheme}://{target}{MetricsPath}");
}
