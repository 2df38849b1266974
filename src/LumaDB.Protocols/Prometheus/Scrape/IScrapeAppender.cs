namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>
/// Receives one scrape's samples and applies them together: a scrape either lands whole or not at all,
/// like Prometheus's appender. Labels are sorted by name and include <c>__name__</c>.
/// </summary>
public interface IScrapeAppender
{
    /// <summary>Adds a sample to the pending scrape.</summary>
    void Append(IReadOnlyList<KeyValuePair<string, string>> labels, long timestampMs, double value);

    /// <summary>Records metric metadata seen in the scrape.</summary>
    void Metadata(string family, RemoteWrite.MetricType type, string help, string unit);

    /// <summary>Applies everything appended since the last commit.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
