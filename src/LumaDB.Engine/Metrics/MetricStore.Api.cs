namespace LumaDB.Engine.Metrics;

/// <summary>The query API's reads: series, label names and values over a window, metadata and exemplars (kept in memory).</summary>
public sealed partial class MetricStore
{
    // Exemplars kept per series; the oldest are dropped beyond this, as Prometheus's circular exemplar buffer does.
    private const int MaxExemplarsPerSeries = 64;

    private readonly Lock _exemplarLock = new();
    private readonly Dictionary<LabelSet, List<Exemplar>> _exemplars = [];

    /// <summary>Attaches an exemplar to the series named by <paramref name="series"/>.</summary>
    public void AddExemplar(LabelSet series, Exemplar exemplar)
    {
        lock (_exemplarLock)
        {
            if (!_exemplars.TryGetValue(series, out var list))
            {
                list = [];
                _exemplars.Add(series, list);
            }

            var at = list.Count;
            while (at > 0 && list[at - 1].TimestampMs > exemplar.TimestampMs)
            {
                at--;
            }

            if (at > 0 && list[at - 1] == exemplar)
            {
                return;
            }

            list.Insert(at, exemplar);
            if (list.Count > MaxExemplarsPerSeries)
            {
                list.RemoveAt(0);
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<LabelSet> Series(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var ids = MatchingIds(matcherSets, mint, maxt);
        var result = new List<LabelSet>(ids.Count);
        foreach (var id in ids)
        {
            result.Add(_index.LabelsOf(id));
        }

        result.Sort(LabelSet.Compare);
        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelNames(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        if (matcherSets.Count == 0 && IsUnbounded(mint, maxt))
        {
            return _index.LabelNames();
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in MatchingIds(matcherSets, mint, maxt))
        {
            foreach (var label in _index.LabelsOf(id).Labels)
            {
                names.Add(label.Name);
            }
        }

        return [.. names];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        if (matcherSets.Count == 0 && IsUnbounded(mint, maxt))
        {
            return _index.LabelValues(name);
        }

        var values = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in MatchingIds(matcherSets, mint, maxt))
        {
            var value = _index.LabelsOf(id).Get(name);
            if (value.Length > 0)
            {
                values.Add(value);
            }
        }

        return [.. values];
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, IReadOnlyList<MetricMetadata>> Metadata(string? metric)
    {
        var result = new Dictionary<string, IReadOnlyList<MetricMetadata>>(StringComparer.Ordinal);
        if (metric is not null)
        {
            if (TryGetMetadata(metric, out var one))
            {
                result[metric] = [one];
            }

            return result;
        }

        foreach (var (name, metadata) in AllMetadata())
        {
            result[name] = [metadata];
        }

        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<SeriesExemplars> Exemplars(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var result = new List<SeriesExemplars>();
        lock (_exemplarLock)
        {
            foreach (var (series, list) in _exemplars)
            {
                if (!matcherSets.Any(set => set.All(m => m.Matches(series.Get(m.Name)))))
                {
                    continue;
                }

                var inWindow = list.Where(e => e.TimestampMs >= mint && e.TimestampMs <= maxt).ToList();
                if (inWindow.Count > 0)
                {
                    result.Add(new SeriesExemplars(series, inWindow));
                }
            }
        }

        result.Sort(static (a, b) => LabelSet.Compare(a.Series, b.Series));
        return result;
    }

    // The API's default window is all time; then no sample needs to be looked at.
    private static bool IsUnbounded(long mint, long maxt) => mint <= long.MinValue / 4 && maxt >= long.MaxValue / 4;

    private HashSet<ulong> MatchingIds(IReadOnlyList<IReadOnlyList<SeriesMatcher>> matcherSets, long mint, long maxt)
    {
        var ids = new HashSet<ulong>();
        foreach (var set in matcherSets.Count == 0 ? [[]] : matcherSets)
        {
            foreach (var id in _index.Select(set).Ids)
            {
                ids.Add(id);
            }
        }

        if (IsUnbounded(mint, maxt))
        {
            return ids;
        }

        var withSamples = ReadSamples(ids, mint, maxt);
        ids.RemoveWhere(id => !withSamples.ContainsKey(id) && !HasHistograms(id, mint, maxt));
        return ids;
    }
}
