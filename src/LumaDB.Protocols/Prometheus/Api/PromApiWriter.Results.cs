using System.Text.Json;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>Query results and the metadata endpoints' data straight from engine types, without copying.</summary>
public static partial class PromApiWriter
{
    /// <summary>A query result of any type, in Prometheus's shape for it.</summary>
    public static void WriteQueryResult(Utf8JsonWriter json, QueryResult result, long timeMs, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? infos = null)
    {
        switch (result.Type)
        {
            case PromQLValueType.Scalar:
                WriteScalar(json, timeMs, result.Scalar);
                return;
            case PromQLValueType.String:
                WriteString(json, timeMs, result.String ?? "");
                return;
            case PromQLValueType.Vector:
                BeginSuccess(json, "vector");
                foreach (var sample in result.Vector)
                {
                    json.WriteStartObject();
                    WriteLabels(json, "metric"u8, sample.Labels);
                    if (sample.Histogram is { } h)
                    {
                        json.WritePropertyName("histogram"u8);
                        WriteHistogramPoint(json, sample.TimestampMs, h);
                    }
                    else
                    {
                        json.WritePropertyName("value"u8);
                        WritePoint(json, (sample.TimestampMs, sample.Value));
                    }

                    json.WriteEndObject();
                }

                EndSuccess(json, warnings, infos);
                return;
            default:
                BeginSuccess(json, "matrix");
                foreach (var series in result.Matrix)
                {
                    json.WriteStartObject();
                    WriteLabels(json, "metric"u8, series.Labels);
                    var hasHistograms = series.HistogramTimestamps is { Length: > 0 };
                    if (series.Timestamps.Length > 0 || !hasHistograms)
                    {
                        json.WriteStartArray("values"u8);
                        for (var i = 0; i < series.Timestamps.Length; i++)
                        {
                            WritePoint(json, (series.Timestamps[i], series.Values[i]));
                        }

                        json.WriteEndArray();
                    }

                    if (hasHistograms)
                    {
                        json.WriteStartArray("histograms"u8);
                        for (var i = 0; i < series.HistogramTimestamps!.Length; i++)
                        {
                            WriteHistogramPoint(json, series.HistogramTimestamps[i], series.Histograms![i]);
                        }

                        json.WriteEndArray();
                    }

                    json.WriteEndObject();
                }

                EndSuccess(json, warnings, infos);
                return;
        }
    }

    /// <summary>The series endpoint's data: one label object per series.</summary>
    public static void WriteSeriesList(Utf8JsonWriter json, IEnumerable<LabelSet> series, IReadOnlyList<string>? warnings = null)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartArray("data"u8);
        foreach (var labels in series)
        {
            WriteLabels(json, default, labels);
        }

        json.WriteEndArray();
        WriteNotes(json, "warnings"u8, warnings);
        json.WriteEndObject();
    }

    /// <summary>The metadata endpoint's data: metric name to its list of type/help/unit entries.</summary>
    public static void WriteMetadata(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, IReadOnlyList<MetricMetadata>>> metadata)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        foreach (var (name, entries) in metadata)
        {
            json.WriteStartArray(name);
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, entry.Type);
                json.WriteString("help"u8, entry.Help);
                json.WriteString("unit"u8, entry.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The exemplars endpoint's data.</summary>
    public static void WriteExemplars(Utf8JsonWriter json, IEnumerable<SeriesExemplars> exemplars)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartArray("data"u8);
        foreach (var series in exemplars)
        {
            json.WriteStartObject();
            WriteLabels(json, "seriesLabels"u8, series.Series);
            json.WriteStartArray("exemplars"u8);
            foreach (var e in series.Exemplars)
            {
                json.WriteStartObject();
                WriteLabels(json, "labels"u8, e.Labels);
                json.WriteString("value"u8, PromValueFormat.Value(e.Value));
                json.WriteNumber("timestamp"u8, PromValueFormat.Seconds(e.TimestampMs));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A success envelope whose data is one string (format_query).</summary>
    public static void WriteStringData(Utf8JsonWriter json, string value)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteString("data"u8, value);
        json.WriteEndObject();
    }

    private static void WriteLabels(Utf8JsonWriter json, ReadOnlySpan<byte> property, LabelSet labels)
    {
        if (property.IsEmpty)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(property);
        }

        foreach (var label in labels.Labels)
        {
            json.WriteString(label.Name, label.Value);
        }

        json.WriteEndObject();
    }
}
