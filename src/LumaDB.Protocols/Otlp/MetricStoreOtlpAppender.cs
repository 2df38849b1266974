using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Otlp;

/// <summary>Appends OTLP metrics to the <see cref="MetricStore"/> through the same durable batch write remote write uses.</summary>
public sealed class MetricStoreOtlpAppender(MetricStore store) : IOtlpMetricAppender
{
    /// <inheritdoc />
    public async ValueTask<MetricWriteResult> AppendAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!store.IsReady)
        {
            throw new OtlpUnavailableException("the metric store is recovering", overloaded: false, TimeSpan.FromSeconds(2));
        }

        var batch = new MetricWriteBatch();
        foreach (var sample in samples)
        {
            batch.Add(sample.Labels, sample.TimestampMs, sample.Value);
        }

        try
        {
            return await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (SeriesLimitExceededException e)
        {
            throw new OtlpInvalidException(e.Message, e);
        }
    }
}
