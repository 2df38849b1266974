namespace LumaDB.Engine.Metrics;

/// <summary>What a query engine needs from metric storage: series selection by matchers over a time window.</summary>
public interface IMetricSource
{
    /// <summary>
    /// Series matching every matcher, with their samples in [<paramref name="mint"/>, <paramref name="maxt"/>]
    /// (ms, inclusive). Series with no sample in the window are left out.
    /// </summary>
    IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt);

    /// <summary>
    /// Native histogram samples of the series matching every matcher in [<paramref name="mint"/>,
    /// <paramref name="maxt"/>] (ms, inclusive); series without a histogram in the window are left out.
    /// </summary>
    IReadOnlyList<StoredHistogramSeries> SelectHistograms(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt) => [];

    /// <summary>
    /// Label sets of the series that match any of <paramref name="matcherSets"/> (every matcher of a set) and have
    /// a sample in [<paramref name="mint"/>, <paramref name="maxt"/>], sorted and without duplicates.
    /// </summary>
    IReadOnlyList<LabelSet> Series(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var seen = new HashSet<LabelSet>();
        foreach (var set in matcherSets)
        {
            foreach (var s in Select(set, mint, maxt))
            {
                seen.Add(s.Labels);
            }
        }

        var result = seen.ToList();
        result.Sort(LabelSet.Compare);
        return result;
    }

    /// <summary>
    /// Label names in use by the series <see cref="Series"/> would return, sorted; no matcher sets means every
    /// series with a sample in the window.
    /// </summary>
    IReadOnlyList<string> LabelNames(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var labels in Series(matcherSets.Count == 0 ? [[]] : matcherSets, mint, maxt))
        {
            foreach (var label in labels.Labels)
            {
                names.Add(label.Name);
            }
        }

        return [.. names];
    }

    /// <summary>Values of label <paramref name="name"/> among the series <see cref="LabelNames"/> would look at, sorted.</summary>
    IReadOnlyList<string> LabelValues(string name, IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var values = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var labels in Series(matcherSets.Count == 0 ? [[]] : matcherSets, mint, maxt))
        {
            var value = labels.Get(name);
            if (value.Length > 0)
            {
                values.Add(value);
            }
        }

        return [.. values];
    }

    /// <summary>Metadata per metric family name; <paramref name="metric"/> narrows to one family.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<MetricMetadata>> Metadata(string? metric) =>
        new Dictionary<string, IReadOnlyList<MetricMetadata>>(StringComparer.Ordinal);

    /// <summary>Exemplars in [<paramref name="mint"/>, <paramref name="maxt"/>] of the series matching any matcher set.</summary>
    IReadOnlyList<SeriesExemplars> Exemplars(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt) => [];
}
