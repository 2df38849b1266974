namespace LumaDB.Engine.Metrics;

/// <summary>
/// Samples and metadata that <see cref="MetricStore.WriteAsync"/> makes durable together: one WAL record, all
/// or nothing after a crash. Reusable through <see cref="Clear"/>.
/// </summary>
public sealed partial class MetricWriteBatch
{
    private readonly List<LabelSet> _series = [];
    private readonly List<(int Series, long TimestampMs, double Value)> _samples = [];
    private readonly Dictionary<string, MetricMetadata> _metadata = new(StringComparer.Ordinal);

    /// <summary>Number of samples added.</summary>
    public int SampleCount => _samples.Count;

    /// <summary>Distinct series added (consecutive samples of one series share an entry).</summary>
    internal List<LabelSet> Series => _series;

    /// <summary>The samples, each pointing into <see cref="Series"/>.</summary>
    internal List<(int Series, long TimestampMs, double Value)> Samples => _samples;

    /// <summary>Metadata by family name; the last one added for a family wins.</summary>
    internal Dictionary<string, MetricMetadata> Metadata => _metadata;

    /// <summary>Starts a series; its samples follow through <see cref="AddSample(long, double)"/>.</summary>
    public void BeginSeries(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _series.Add(labels);
    }

    /// <summary>Adds a sample to the series begun last.</summary>
    public void AddSample(long timestampMs, double value)
    {
        if (_series.Count == 0)
        {
            throw new InvalidOperationException("BeginSeries must come before its samples.");
        }

        _samples.Add((_series.Count - 1, timestampMs, value));
    }

    /// <summary>Adds one sample of <paramref name="labels"/>.</summary>
    public void Add(LabelSet labels, long timestampMs, double value)
    {
        if (_series.Count == 0 || !ReferenceEquals(_series[^1], labels))
        {
            BeginSeries(labels);
        }

        AddSample(timestampMs, value);
    }

    /// <summary>Records a metric family's metadata.</summary>
    public void AddMetadata(string family, MetricMetadata metadata) => _metadata[family] = metadata;

    /// <summary>Empties the batch, keeping its capacity.</summary>
    public void Clear()
    {
        _series.Clear();
        _samples.Clear();
        _metadata.Clear();
        _histograms.Clear();
    }
}
