namespace LumaDB.Engine.Metrics;

/// <summary>What a query engine needs from metric storage: series selection by matchers over a time window.</summary>
public interface IMetricSource
{
    /// <summary>
    /// Series matching every matcher, with their samples in [<paramref name="mint"/>, <paramref name="maxt"/>]
    /// (ms, inclusive). Series with no sample in the window are left out.
    /// </summary>
    IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt);
}
