using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>Collects one scrape into a <see cref="MetricWriteBatch"/> and writes it to the store in one commit.</summary>
public sealed class MetricStoreScrapeAppender(MetricStore store) : IScrapeAppender
{
    private readonly MetricWriteBatch _batch = new();

    /// <summary>What the last commit did.</summary>
    public MetricWriteResult LastResult { get; private set; }

    /// <inheritdoc/>
    public void Append(IReadOnlyList<KeyValuePair<string, string>> labels, long timestampMs, double value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var list = new Label[labels.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new Label(labels[i].Key, labels[i].Value);
        }

        _batch.Add(LabelSet.Create(list), timestampMs, value);
    }

    /// <inheritdoc/>
    public void Metadata(string family, MetricType type, string help, string unit) =>
        _batch.AddMetadata(family, new MetricMetadata(type.ToWord(), help, unit));

    /// <inheritdoc/>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            LastResult = await store.WriteAsync(_batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _batch.Clear();
        }
    }
}
