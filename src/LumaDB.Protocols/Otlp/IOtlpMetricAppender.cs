using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Otlp;

/// <summary>Where OTLP metrics go once converted to Prometheus samples: the metric store's append path.</summary>
public interface IOtlpMetricAppender
{
    /// <summary>
    /// Appends every sample of one request, durably. Throws <see cref="OtlpUnavailableException"/> when the store
    /// cannot take writes now and <see cref="OtlpInvalidException"/> when it refuses the request whole.
    /// </summary>
    ValueTask<MetricWriteResult> AppendAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken);
}
