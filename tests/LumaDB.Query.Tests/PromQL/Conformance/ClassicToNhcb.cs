using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Testing;

namespace LumaDB.Query.Tests.PromQL.Conformance;

/// <summary>
/// <c>load_with_nhcb</c>: every classic histogram of a block (<c>X_bucket{le}</c>, <c>X_sum</c>, <c>X_count</c>)
/// is also stored as a custom-bucket native histogram series <c>X</c>, one sample per slot where all of its
/// buckets have a value.
/// </summary>
internal static class ClassicToNhcb
{
    public static void Load(MetricStore store, LoadCommand load)
    {
        var interval = (long)load.Interval.TotalMilliseconds;
        var groups = new Dictionary<LabelSet, Group>();
        foreach (var series in load.Series)
        {
            var name = series.MetricName ?? "";
            var labels = ToLabels(series);
            if (name.EndsWith("_bucket", StringComparison.Ordinal) && PromQLParser.TryParseNumber(labels.Get("le"), out var le))
            {
                Of(groups, labels.Without("le").With(LabelSet.MetricName, name[..^7])).Buckets.Add((le, series.Values));
            }
            else if (name.EndsWith("_sum", StringComparison.Ordinal))
            {
                Of(groups, labels.With(LabelSet.MetricName, name[..^4])).Sum = series.Values;
            }
            else if (name.EndsWith("_count", StringComparison.Ordinal))
            {
                Of(groups, labels.With(LabelSet.MetricName, name[..^6])).Count = series.Values;
            }
        }

        foreach (var (labels, g) in groups)
        {
            if (g.Buckets.Count == 0)
            {
                continue;
            }

            g.Buckets.Sort((a, b) => a.Le.CompareTo(b.Le));
            var bounds = g.Buckets.Select(b => b.Le).Where(le => !double.IsPositiveInfinity(le)).ToArray();
            var slots = g.Buckets.Max(b => b.Values.Count);
            for (var i = 0; i < slots; i++)
            {
                if (g.Buckets.Any(b => i >= b.Values.Count || b.Values[i].Kind is not (SampleKind.Float or SampleKind.Stale)))
                {
                    continue;
                }

                if (g.Buckets.Any(b => b.Values[i].Kind == SampleKind.Stale))
                {
                    store.Append(labels, i * interval, SampleValue.StaleNaN);
                    continue;
                }

                var counts = new List<(int, double)>();
                double previous = 0;
                for (var k = 0; k < g.Buckets.Count; k++)
                {
                    var cumulative = g.Buckets[k].Values[i].Value;
                    counts.Add((k, cumulative - previous));
                    previous = cumulative;
                }

                var total = g.Count is { } c && i < c.Count && c[i].Kind == SampleKind.Float ? c[i].Value : previous;
                var sum = g.Sum is { } s && i < s.Count && s[i].Kind == SampleKind.Float ? s[i].Value : 0;
                var (spans, buckets) = FloatHistogram.Build(counts);
                store.AppendHistogram(labels, i * interval, new FloatHistogram
                {
                    Schema = FloatHistogram.CustomBucketsSchema,
                    Count = total,
                    Sum = sum,
                    PositiveSpans = spans,
                    PositiveBuckets = buckets,
                    CustomValues = bounds,
                });
            }
        }
    }

    private static LabelSet ToLabels(SeriesDescription s) =>
        LabelSet.Create(s.Labels.Select(kv => new Label(kv.Key, kv.Value)).ToList());

    private static Group Of(Dictionary<LabelSet, Group> groups, LabelSet key)
    {
        if (!groups.TryGetValue(key, out var g))
        {
            g = new Group();
            groups[key] = g;
        }

        return g;
    }

    private sealed class Group
    {
        public List<(double Le, IReadOnlyList<SampleValue> Values)> Buckets { get; } = [];
        public IReadOnlyList<SampleValue>? Sum { get; set; }
        public IReadOnlyList<SampleValue>? Count { get; set; }
    }
}
