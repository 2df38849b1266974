namespace LumaDB.Protocols.Otlp;

/// <summary>Where OTLP metrics go once converted to Prometheus samples: the metric store's append path.</summary>
public interface IOtlpMetricAppender
{
    /// <summary>Appends every sample of one request; returns how many the store took.</summary>
    ValueTask<long> AppendAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken);
}
