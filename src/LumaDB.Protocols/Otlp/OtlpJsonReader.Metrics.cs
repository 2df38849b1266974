using System.Text.Json;
using Google.Protobuf.Collections;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Metrics.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>Metrics requests in OTLP/JSON.</summary>
public static partial class OtlpJsonReader
{
    /// <summary>Reads an <c>ExportMetricsServiceRequest</c>; throws <see cref="OtlpInvalidException"/> for anything malformed.</summary>
    public static ExportMetricsServiceRequest ReadMetrics(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        ExpectObject(root, "request");
        var request = new ExportMetricsServiceRequest();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is "resourceMetrics" or "resource_metrics" && !IsNull(p.Value))
            {
                foreach (var item in Array(p.Value, "resourceMetrics"))
                {
                    request.ResourceMetrics.Add(ReadResourceMetrics(item));
                }
            }
        }

        return request;
    }

    private static ResourceMetrics ReadResourceMetrics(JsonElement element)
    {
        ExpectObject(element, "resourceMetrics[]");
        var result = new ResourceMetrics();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "resource": result.Resource = ReadResource(p.Value); break;
                case "schemaUrl" or "schema_url": result.SchemaUrl = String(p.Value, "schemaUrl"); break;
                case "scopeMetrics" or "scope_metrics":
                    foreach (var item in Array(p.Value, "scopeMetrics"))
                    {
                        result.ScopeMetrics.Add(ReadScopeMetrics(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static ScopeMetrics ReadScopeMetrics(JsonElement element)
    {
        ExpectObject(element, "scopeMetrics[]");
        var result = new ScopeMetrics();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "scope": result.Scope = ReadScope(p.Value); break;
                case "schemaUrl" or "schema_url": result.SchemaUrl = String(p.Value, "schemaUrl"); break;
                case "metrics":
                    foreach (var item in Array(p.Value, "metrics"))
                    {
                        result.Metrics.Add(ReadMetric(item));
                    }

                    break;
            }
        }

        return result;
    }

    private static Metric ReadMetric(JsonElement element)
    {
        ExpectObject(element, "metric");
        var metric = new Metric();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "name": metric.Name = String(p.Value, "metric name"); break;
                case "description": metric.Description = String(p.Value, "metric description"); break;
                case "unit": metric.Unit = String(p.Value, "metric unit"); break;
                case "metadata": ReadAttributes(p.Value, metric.Metadata, "metric metadata"); break;
                case "gauge":
                    {
                        var gauge = new Gauge();
                        ReadNumberPoints(p.Value, gauge.DataPoints, out _, out _);
                        metric.Gauge = gauge;
                        break;
                    }

                case "sum":
                    {
                        var sum = new Sum();
                        ReadNumberPoints(p.Value, sum.DataPoints, out var temporality, out var monotonic);
                        sum.AggregationTemporality = temporality;
                        sum.IsMonotonic = monotonic;
                        metric.Sum = sum;
                        break;
                    }

                case "histogram":
                    {
                        var histogram = new Histogram();
                        ExpectObject(p.Value, "histogram");
                        foreach (var q in p.Value.EnumerateObject())
                        {
                            if (q.Name is "aggregationTemporality" or "aggregation_temporality" && !IsNull(q.Value))
                            {
                                histogram.AggregationTemporality = (AggregationTemporality)Enum(q.Value, "aggregationTemporality", TemporalityByName);
                            }
                            else if (q.Name is "dataPoints" or "data_points" && !IsNull(q.Value))
                            {
                                foreach (var item in Array(q.Value, "histogram dataPoints"))
                                {
                                    histogram.DataPoints.Add(ReadHistogramPoint(item));
                                }
                            }
                        }

                        metric.Histogram = histogram;
                        break;
                    }

                case "summary":
                    {
                        var summary = new Summary();
                        ExpectObject(p.Value, "summary");
                        if ((p.Value.TryGetProperty("dataPoints", out var points) || p.Value.TryGetProperty("data_points", out points)) && !IsNull(points))
                        {
                            foreach (var item in Array(points, "summary dataPoints"))
                            {
                                summary.DataPoints.Add(ReadSummaryPoint(item));
                            }
                        }

                        metric.Summary = summary;
                        break;
                    }

                case "exponentialHistogram" or "exponential_histogram":
                    {
                        // Not stored yet (the mapper rejects it and counts its points); only the points are counted here.
                        var exponential = new ExponentialHistogram();
                        ExpectObject(p.Value, "exponentialHistogram");
                        if ((p.Value.TryGetProperty("dataPoints", out var points) || p.Value.TryGetProperty("data_points", out points)) && !IsNull(points))
                        {
                            foreach (var unused in Array(points, "exponentialHistogram dataPoints"))
                            {
                                exponential.DataPoints.Add(new ExponentialHistogramDataPoint());
                            }
                        }

                        metric.ExponentialHistogram = exponential;
                        break;
                    }
            }
        }

        return metric;
    }

    private static void ReadNumberPoints(JsonElement element, RepeatedField<NumberDataPoint> into, out AggregationTemporality temporality, out bool monotonic)
    {
        ExpectObject(element, "metric data");
        temporality = AggregationTemporality.Unspecified;
        monotonic = false;
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "aggregationTemporality" or "aggregation_temporality": temporality = (AggregationTemporality)Enum(p.Value, "aggregationTemporality", TemporalityByName); break;
                case "isMonotonic" or "is_monotonic": monotonic = Bool(p.Value, "isMonotonic"); break;
                case "dataPoints" or "data_points":
                    foreach (var item in Array(p.Value, "dataPoints"))
                    {
                        into.Add(ReadNumberPoint(item));
                    }

                    break;
            }
        }
    }

    private static NumberDataPoint ReadNumberPoint(JsonElement element)
    {
        ExpectObject(element, "data point");
        var point = new NumberDataPoint();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "attributes": ReadAttributes(p.Value, point.Attributes, "data point attributes"); break;
                case "startTimeUnixNano" or "start_time_unix_nano": point.StartTimeUnixNano = UInt64(p.Value, "startTimeUnixNano"); break;
                case "timeUnixNano" or "time_unix_nano": point.TimeUnixNano = UInt64(p.Value, "timeUnixNano"); break;
                case "asDouble" or "as_double": point.AsDouble = Double(p.Value, "asDouble"); break;
                case "asInt" or "as_int": point.AsInt = Int64(p.Value, "asInt"); break;
                case "flags": point.Flags = UInt32(p.Value, "flags"); break;
            }
        }

        return point;
    }

    private static HistogramDataPoint ReadHistogramPoint(JsonElement element)
    {
        ExpectObject(element, "histogram data point");
        var point = new HistogramDataPoint();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "attributes": ReadAttributes(p.Value, point.Attributes, "data point attributes"); break;
                case "startTimeUnixNano" or "start_time_unix_nano": point.StartTimeUnixNano = UInt64(p.Value, "startTimeUnixNano"); break;
                case "timeUnixNano" or "time_unix_nano": point.TimeUnixNano = UInt64(p.Value, "timeUnixNano"); break;
                case "count": point.Count = UInt64(p.Value, "count"); break;
                case "sum": point.Sum = Double(p.Value, "sum"); break;
                case "min": point.Min = Double(p.Value, "min"); break;
                case "max": point.Max = Double(p.Value, "max"); break;
                case "flags": point.Flags = UInt32(p.Value, "flags"); break;
                case "bucketCounts" or "bucket_counts":
                    foreach (var item in Array(p.Value, "bucketCounts"))
                    {
                        point.BucketCounts.Add(UInt64(item, "bucketCounts[]"));
                    }

                    break;
                case "explicitBounds" or "explicit_bounds":
                    foreach (var item in Array(p.Value, "explicitBounds"))
                    {
                        point.ExplicitBounds.Add(Double(item, "explicitBounds[]"));
                    }

                    break;
            }
        }

        return point;
    }

    private static SummaryDataPoint ReadSummaryPoint(JsonElement element)
    {
        ExpectObject(element, "summary data point");
        var point = new SummaryDataPoint();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "attributes": ReadAttributes(p.Value, point.Attributes, "data point attributes"); break;
                case "startTimeUnixNano" or "start_time_unix_nano": point.StartTimeUnixNano = UInt64(p.Value, "startTimeUnixNano"); break;
                case "timeUnixNano" or "time_unix_nano": point.TimeUnixNano = UInt64(p.Value, "timeUnixNano"); break;
                case "count": point.Count = UInt64(p.Value, "count"); break;
                case "sum": point.Sum = Double(p.Value, "sum"); break;
                case "flags": point.Flags = UInt32(p.Value, "flags"); break;
                case "quantileValues" or "quantile_values":
                    foreach (var item in Array(p.Value, "quantileValues"))
                    {
                        ExpectObject(item, "quantileValues[]");
                        var quantile = new SummaryDataPoint.Types.ValueAtQuantile();
                        if (item.TryGetProperty("quantile", out var q) && !IsNull(q))
                        {
                            quantile.Quantile = Double(q, "quantile");
                        }

                        if (item.TryGetProperty("value", out var v) && !IsNull(v))
                        {
                            quantile.Value = Double(v, "value");
                        }

                        point.QuantileValues.Add(quantile);
                    }

                    break;
            }
        }

        return point;
    }

    private static int? TemporalityByName(string name) => name switch
    {
        "AGGREGATION_TEMPORALITY_UNSPECIFIED" => 0,
        "AGGREGATION_TEMPORALITY_DELTA" => 1,
        "AGGREGATION_TEMPORALITY_CUMULATIVE" => 2,
        _ => null,
    };
}
