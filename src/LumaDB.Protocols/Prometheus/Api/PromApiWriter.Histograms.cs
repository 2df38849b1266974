using System.Text.Json;
using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.Api;

/// <content>
/// Native histograms as Prometheus's API writes them: <c>[ts, {"count", "sum", "buckets": [[rule, lower, upper,
/// count], ...]}]</c> with numbers as strings, buckets in ascending order, empty buckets left out. The rule
/// says which bounds are inclusive: 0 upper only (positive and custom buckets), 1 lower only (negative
/// buckets), 3 both (the zero bucket).
/// </content>
public static partial class PromApiWriter
{
    private static void WriteHistogramPoint(Utf8JsonWriter json, long timestampMs, FloatHistogram h)
    {
        json.WriteStartArray();
        json.WriteNumberValue(PromValueFormat.Seconds(timestampMs));
        json.WriteStartObject();
        json.WriteString("count"u8, PromValueFormat.Value(h.Count));
        json.WriteString("sum"u8, PromValueFormat.Value(h.Sum));
        var buckets = h.AllBuckets();
        if (buckets.Exists(static b => b.Count != 0))
        {
            json.WriteStartArray("buckets"u8);
            foreach (var b in buckets)
            {
                if (b.Count == 0)
                {
                    continue;
                }

                var rule = h.UsesCustomBuckets ? 0 : b.Lower < 0 && b.Upper > 0 ? 3 : b.Upper <= 0 ? 1 : 0;
                json.WriteStartArray();
                json.WriteNumberValue(rule);
                json.WriteStringValue(PromValueFormat.Value(b.Lower));
                json.WriteStringValue(PromValueFormat.Value(b.Upper));
                json.WriteStringValue(PromValueFormat.Value(b.Count));
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }
}
