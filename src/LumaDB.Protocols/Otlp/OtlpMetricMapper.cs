using System.Globalization;
using Google.Protobuf.Collections;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Metrics.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Converts OTLP metrics to Prometheus samples: gauges and non-monotonic sums as gauges, monotonic sums as
/// <c>_total</c> counters, histograms as <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, summaries as quantiles plus
/// <c>_sum</c>/<c>_count</c>. Resource attributes become <c>job</c> and <c>instance</c>, and all of them are
/// kept on one <c>target_info</c> series per resource. Delta temporality and exponential histograms have no
/// Prometheus form: those data points are rejected and counted (partial success).
/// </summary>
public static class OtlpMetricMapper
{
    private const long NanosPerMilli = 1_000_000;

    /// <summary>Converts every data point of the request.</summary>
    public static OtlpBatch<MetricSample> Map(ExportMetricsServiceRequest request, long receivedUnixNano)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = new List<MetricSample>();
        var rejected = 0L;
        string? why = null;
        using var text = new OtlpAttributes();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resourceAttributes = resourceMetrics.Resource?.Attributes ?? [];
            var target = TargetLabels(resourceAttributes);
            var latestMs = long.MinValue;
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                var scopeLabels = new List<Label>(target);
                if (scopeMetrics.Scope is { } scope)
                {
                    AddIfSet(scopeLabels, "otel_scope_name", scope.Name);
                    AddIfSet(scopeLabels, "otel_scope_version", scope.Version);
                }

                foreach (var metric in scopeMetrics.Metrics)
                {
                    var before = samples.Count;
                    var (metricRejected, reason) = MapMetric(metric, scopeLabels, text, samples, receivedUnixNano);
                    rejected += metricRejected;
                    why ??= reason;
                    for (var i = before; i < samples.Count; i++)
                    {
                        latestMs = Math.Max(latestMs, samples[i].TimestampMs);
                    }
                }
            }

            if (latestMs != long.MinValue && resourceAttributes.Count > 0)
            {
                var info = new List<Label>(target) { new(LabelSet.MetricName, "target_info") };
                foreach (var kv in resourceAttributes)
                {
                    if (kv.Key is not ("service.name" or "service.namespace" or "service.instance.id"))
                    {
                        info.Add(new Label(PrometheusNames.LabelName(kv.Key), text.ToText(kv.Value)));
                    }
                }

                samples.Add(new MetricSample(LabelSet.Create(info), latestMs, 1));
            }
        }

        return new OtlpBatch<MetricSample>(samples, rejected, why);
    }

    private static (long Rejected, string? Reason) MapMetric(Metric metric, List<Label> baseLabels, OtlpAttributes text, List<MetricSample> samples, long receivedUnixNano)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                {
                    var name = PrometheusNames.MetricName(metric.Name, metric.Unit, isCounter: false, isGauge: true);
                    foreach (var point in metric.Gauge.DataPoints)
                    {
                        AddNumber(samples, name, baseLabels, text, point, receivedUnixNano);
                    }

                    return (0, null);
                }

            case Metric.DataOneofCase.Sum:
                {
                    var sum = metric.Sum;
                    if (sum.AggregationTemporality == AggregationTemporality.Delta)
                    {
                        return (sum.DataPoints.Count, $"metric {metric.Name}: delta sums have no Prometheus form; send cumulative temporality");
                    }

                    var name = PrometheusNames.MetricName(metric.Name, metric.Unit, isCounter: sum.IsMonotonic, isGauge: !sum.IsMonotonic);
                    foreach (var point in sum.DataPoints)
                    {
                        AddNumber(samples, name, baseLabels, text, point, receivedUnixNano);
                    }

                    return (0, null);
                }

            case Metric.DataOneofCase.Histogram:
                {
                    var histogram = metric.Histogram;
                    if (histogram.AggregationTemporality == AggregationTemporality.Delta)
                    {
                        return (histogram.DataPoints.Count, $"metric {metric.Name}: delta histograms have no Prometheus form; send cumulative temporality");
                    }

                    var name = PrometheusNames.MetricName(metric.Name, metric.Unit, isCounter: false, isGauge: false);
                    foreach (var point in histogram.DataPoints)
                    {
                        AddHistogram(samples, name, baseLabels, text, point, receivedUnixNano);
                    }

                    return (0, null);
                }

            case Metric.DataOneofCase.Summary:
                {
                    var name = PrometheusNames.MetricName(metric.Name, metric.Unit, isCounter: false, isGauge: false);
                    foreach (var point in metric.Summary.DataPoints)
                    {
                        if ((point.Flags & 1) != 0)
                        {
                            continue;
                        }

                        var labels = PointLabels(baseLabels, text, point.Attributes);
                        var ms = Millis(point.TimeUnixNano, receivedUnixNano);
                        foreach (var quantile in point.QuantileValues)
                        {
                            var withQuantile = new List<Label>(labels) { new("quantile", FormatBound(quantile.Quantile)) };
                            samples.Add(Sample(name, withQuantile, ms, quantile.Value));
                        }

                        samples.Add(Sample(name + "_sum", labels, ms, point.Sum));
                        samples.Add(Sample(name + "_count", labels, ms, point.Count));
                    }

                    return (0, null);
                }

            case Metric.DataOneofCase.ExponentialHistogram:
                return (metric.ExponentialHistogram.DataPoints.Count, $"metric {metric.Name}: exponential histograms are not stored yet");

            default:
                return (0, null);
        }
    }

    private static void AddNumber(List<MetricSample> samples, string name, List<Label> baseLabels, OtlpAttributes text, NumberDataPoint point, long receivedUnixNano)
    {
        // A point flagged "no recorded value" marks a series that went away; it has nothing to store.
        if ((point.Flags & 1) != 0)
        {
            return;
        }

        var value = point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;
        samples.Add(Sample(name, PointLabels(baseLabels, text, point.Attributes), Millis(point.TimeUnixNano, receivedUnixNano), value));
    }

    private static void AddHistogram(List<MetricSample> samples, string name, List<Label> baseLabels, OtlpAttributes text, HistogramDataPoint point, long receivedUnixNano)
    {
        if ((point.Flags & 1) != 0)
        {
            return;
        }

        if (point.BucketCounts.Count > 0 && point.BucketCounts.Count != point.ExplicitBounds.Count + 1)
        {
            throw new OtlpInvalidException($"histogram {name}: {point.BucketCounts.Count} bucket counts for {point.ExplicitBounds.Count} bounds (want bounds + 1)");
        }

        var labels = PointLabels(baseLabels, text, point.Attributes);
        var ms = Millis(point.TimeUnixNano, receivedUnixNano);
        var cumulative = 0UL;
        for (var i = 0; i < point.BucketCounts.Count; i++)
        {
            cumulative += point.BucketCounts[i];
            var bound = i < point.ExplicitBounds.Count ? FormatBound(point.ExplicitBounds[i]) : "+Inf";
            samples.Add(Sample(name + "_bucket", new List<Label>(labels) { new("le", bound) }, ms, cumulative));
        }

        if (point.BucketCounts.Count == 0)
        {
            samples.Add(Sample(name + "_bucket", new List<Label>(labels) { new("le", "+Inf") }, ms, point.Count));
        }

        if (point.HasSum)
        {
            samples.Add(Sample(name + "_sum", labels, ms, point.Sum));
        }

        samples.Add(Sample(name + "_count", labels, ms, point.Count));
    }

    private static MetricSample Sample(string name, List<Label> labels, long ms, double value)
    {
        var all = new List<Label>(labels.Count + 1);
        all.AddRange(labels);
        all.Add(new Label(LabelSet.MetricName, name));
        return new MetricSample(LabelSet.Create(all), ms, value);
    }

    private static List<Label> PointLabels(List<Label> baseLabels, OtlpAttributes text, RepeatedField<KeyValue> attributes)
    {
        var labels = new List<Label>(baseLabels.Count + attributes.Count);
        foreach (var kv in attributes)
        {
            labels.Add(new Label(PrometheusNames.LabelName(kv.Key), text.ToText(kv.Value)));
        }

        // Resource and scope labels win over a point attribute of the same name, as in the compatibility spec.
        labels.AddRange(baseLabels);
        return labels;
    }

    private static List<Label> TargetLabels(RepeatedField<KeyValue> resource)
    {
        var labels = new List<Label>(2);
        var service = OtlpAttributes.FindString(resource, "service.name");
        var serviceNamespace = OtlpAttributes.FindString(resource, "service.namespace");
        if (service is { Length: > 0 })
        {
            labels.Add(new Label("job", serviceNamespace is { Length: > 0 } ns ? ns + "/" + service : service));
        }

        AddIfSet(labels, "instance", OtlpAttributes.FindString(resource, "service.instance.id"));
        return labels;
    }

    private static void AddIfSet(List<Label> labels, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            labels.Add(new Label(name, value));
        }
    }

    private static long Millis(ulong unixNano, long receivedUnixNano) =>
        (unixNano == 0 ? receivedUnixNano : OtlpTime.ToNanos(unixNano, "data point time_unix_nano")) / NanosPerMilli;

    private static string FormatBound(double bound) => double.IsPositiveInfinity(bound) ? "+Inf" : bound.ToString("R", CultureInfo.InvariantCulture);
}
