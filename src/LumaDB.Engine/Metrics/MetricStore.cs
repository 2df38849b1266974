using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// Metric samples in the hot tier: a <see cref="SeriesIndex"/> that names series and a Gorilla-compressed
/// <see cref="SeriesMemtable"/> that holds their samples by series id.
/// </summary>
public sealed partial class MetricStore : IMetricSource, IDisposable
{
    private readonly SeriesIndex _index = new();
    private readonly SeriesMemtable _samples;

    /// <summary>Creates an empty store.</summary>
    public MetricStore(SeriesMemtableOptions? options = null) => _samples = new SeriesMemtable(options);

    /// <summary>The series index.</summary>
    public SeriesIndex Index => _index;

    /// <summary>Number of samples held.</summary>
    public long SampleCount => _samples.SampleCount;

    /// <summary>Appends one sample to the series named by <paramref name="labels"/>.</summary>
    public SeriesAppendResult Append(LabelSet labels, long timestampMs, double value) =>
        _samples.Append(_index.GetOrAdd(labels), timestampMs, value);

    /// <inheritdoc/>
    public IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
    {
        var ids = _index.Select(matchers);
        var result = new List<StoredSeries>(ids.Count);
        var buffer = new List<Sample>();
        foreach (var id in ids.Ids)
        {
            buffer.Clear();
            if (_samples.Read(id, mint, maxt, buffer) == 0)
            {
                continue;
            }

            var ts = new long[buffer.Count];
            var vs = new double[buffer.Count];
            for (var i = 0; i < buffer.Count; i++)
            {
                ts[i] = buffer[i].TimestampMs;
                vs[i] = buffer[i].Value;
            }

            result.Add(new StoredSeries(_index.LabelsOf(id), ts, vs));
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _samples.Dispose();
}
