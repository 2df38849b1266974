namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>The two text formats a scrape target may answer in.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4: timestamps in milliseconds, no EOF marker.</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0: timestamps in seconds, exemplars, <c># UNIT</c>, and a closing <c># EOF</c>.</summary>
    OpenMetrics,
}
