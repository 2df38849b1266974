using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;

namespace LumaDB.Query.Tests.PromQL.Engine;

/// <summary>
/// The series-wise range evaluation must answer exactly as the step-by-step path does: every supported shape is
/// run both ways over random data with counter resets, gaps, staleness markers, NaN and infinities.
/// </summary>
public sealed class SeriesWiseRangeTests
{
    private static readonly double Stale = BitConverter.UInt64BitsToDouble(0x7ff0000000000002);

    /// <summary>Shapes that must take the series-wise path.</summary>
    public static readonly TheoryData<string> Supported = new()
    {
        "c_total",
        "g offset 2m",
        "c_total{instance=~\"i[12].*\",job!=\"b\"}",
        "rate(c_total[5m])",
        "rate(c_total[5m] offset 90s)",
        "increase(c_total[3m])",
        "delta(g[5m])",
        "irate(c_total[5m])",
        "idelta(g[2m])",
        "deriv(g[5m])",
        "predict_linear(g[5m], 600)",
        "resets(c_total[10m])",
        "changes(g[5m])",
        "sum_over_time(g[5m])",
        "avg_over_time(g[5m])",
        "min_over_time(g[4m])",
        "max_over_time(g[4m])",
        "count_over_time(g[5m])",
        "last_over_time(g[5m])",
        "first_over_time(g[5m])",
        "present_over_time(g[5m])",
        "stddev_over_time(g[5m])",
        "stdvar_over_time(g[5m])",
        "quantile_over_time(0.7, g[5m])",
        "mad_over_time(g[5m])",
        "ts_of_last_over_time(g[5m])",
        "ts_of_first_over_time(g[5m])",
        "ts_of_min_over_time(g[5m])",
        "ts_of_max_over_time(g[5m])",
        "sum(rate(c_total[5m]))",
        "sum by (job) (rate(c_total[5m]))",
        "sum without (instance) (rate(c_total[5m]))",
        "avg by (job) (g)",
        "min by (job) (g)",
        "max(g)",
        "count by (job) (g)",
        "group by (job) (g)",
        "stddev by (job) (g)",
        "stdvar(g)",
        "quantile by (job) (0.9, g)",
        "topk(3, rate(c_total[5m]))",
        "bottomk by (job) (2, g)",
        "topk(2, floor(g))",
        "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
        "histogram_quantile(0.5, rate(h_bucket[5m]))",
        "histogram_quantile(0.99, sum by (job, le) (rate(h_bucket[5m])))",
        "rate(c_total[5m]) * 60",
        "2 * g",
        "g > 0.5",
        "0.5 < g",
        "g > bool 0.5",
        "-g",
        "abs(g)",
        "g ^ 2",
        "g % 3",
        "max(sum(g))",
        "count(sum by (job) (g))",
        "sum by (instance) (rate(c_total{instance=~\"i1.*\",job!=\"c\"}[5m]))",
        "c_total + g",
        "rate(c_total[5m]) / on (instance, job) g",
        "g > ignoring (extra) rate(c_total[5m])",
        "g >= bool c_total",
        "sum by (job) (rate(c_total[5m])) / sum by (job) (rate(h_bucket{le=\"+Inf\"}[5m]))",
        "g and c_total > 50",
        "g unless c_total > 50",
        "g > 1 or c_total",
        "sum(rate(c_total[5m]) * on (instance) g)",
        "1 - avg by (job) (rate(c_total[5m]))",
        "clamp_min(g, 0.5)",
        "clamp_max(g, 1)",
        "clamp(g, -0.5, 2)",
        "round(g)",
        "round(g, 0.25)",
        "sum by (job) (clamp_min(rate(c_total[5m]), 1))",
    };

    /// <summary>Shapes the series-wise path leaves to the step-by-step path.</summary>
    public static readonly TheoryData<string> Unsupported = new()
    {
        "rate(c_total[5m:1m])",
        "g @ 300",
        "sum by (__name__) (g)",
        "c_total * on (instance) group_left (x) g",
        "timestamp(g)",
        "label_replace(g, \"x\", \"$1\", \"job\", \"(.*)\")",
        "sum(sum by (job) (g))",
        "count_values(\"v\", floor(g))",
        "clamp(g, 2, 1)",
        "round(g, scalar(g))",
    };

    private static MetricStore RandomStore(int seed)
    {
        var random = new Random(seed);
        var store = new MetricStore();
        string[] jobs = ["a", "b", "c"];
        for (var s = 0; s < 12; s++)
        {
            var labels = new[] { ("job", jobs[s % 3]), ("instance", "i" + s) };
            AppendSeries(store, random, Labels("c_total", labels), counter: true);
            AppendSeries(store, random, Labels("g", labels), counter: false);
            if (s < 6)
            {
                var count = 0.0;
                foreach (var le in new[] { "0.1", "0.5", "1", "+Inf" })
                {
                    var bucket = Labels("h_bucket", [.. labels, ("le", le)]);
                    AppendSeries(store, new Random(seed * 31 + s), bucket, counter: true, scale: 1 + count);
                    count++;
                }
            }
        }

        return store;
    }

    private static LabelSet Labels(string name, (string, string)[] labels) => LabelSet.Create([("__name__", name), .. labels]);

    // Samples every 10-20 s over an hour with gaps, staleness markers, resets, NaN and infinities mixed in.
    private static void AppendSeries(MetricStore store, Random random, LabelSet labels, bool counter, double scale = 1)
    {
        var value = random.NextDouble() * 100;
        for (long t = random.Next(0, 30_000); t < 3_600_000; t += random.Next(10_000, 20_000))
        {
            var roll = random.NextDouble();
            if (roll < 0.03)
            {
                t += random.Next(60_000, 600_000);
                continue;
            }

            double v;
            if (roll < 0.05)
            {
                v = Stale;
            }
            else if (roll < 0.06)
            {
                v = double.NaN;
            }
            else if (roll < 0.065 && !counter)
            {
                v = random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity;
            }
            else if (counter)
            {
                value = roll < 0.09 ? random.NextDouble() * 5 : value + (random.NextDouble() * 10 * scale);
                v = value;
            }
            else
            {
                // Whole numbers now and then so ranks see ties.
                v = roll < 0.3 ? random.Next(3) : (random.NextDouble() * 4) - 1;
            }

            store.Append(labels, t, v);
        }
    }

    private static readonly (long Start, long End, long Step)[] Ranges =
    [
        (0, 3_600_000, 60_000),
        (600_000, 3_000_000, 15_000),
        (123_456, 3_900_000, 37_000),
        (1_800_000, 1_800_000, 60_000),
    ];

    [Theory]
    [MemberData(nameof(Supported))]
    public void A_supported_shape_is_computed_series_wise_and_matches_the_step_by_step_result(string query)
    {
        var expr = PromQLParser.Parse(query);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            using var store = RandomStore(seed);
            foreach (var (start, end, step) in Ranges)
            {
                var evaluator = new Evaluator(store, new PromQLEngineOptions(), start, end, step, expr);
                var fast = evaluator.TryEvalSeriesWise(expr);
                Assert.NotNull(fast);
                var slow = new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false }).Range(expr, start, end, step);
                AssertSame(slow.Matrix, fast, $"{query} seed {seed} range {start}..{end}/{step}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void An_unsupported_shape_falls_back_to_the_step_by_step_path(string query)
    {
        var expr = PromQLParser.Parse(query);
        using var store = RandomStore(4);
        var evaluator = new Evaluator(store, new PromQLEngineOptions(), 0, 3_600_000, 60_000, expr);
        Assert.Null(evaluator.TryEvalSeriesWise(expr));
        var slow = new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false }).Range(expr, 0, 3_600_000, 60_000);
        var engine = new PromQLEngine(store).Range(expr, 0, 3_600_000, 60_000);
        AssertSame(slow.Matrix, engine.Matrix, query);
    }

    [Fact]
    public void Label_sets_that_collide_after_dropping_the_name_report_the_step_by_step_error()
    {
        using var store = new MetricStore();
        for (long t = 0; t < 600_000; t += 15_000)
        {
            store.Append(LabelSet.Create(("__name__", "x_total"), ("job", "a")), t, t);
            store.Append(LabelSet.Create(("__name__", "y_total"), ("job", "a")), t, t * 2);
        }

        var expr = PromQLParser.Parse("rate({__name__=~\"x_total|y_total\"}[5m])");
        Assert.Null(new Evaluator(store, new PromQLEngineOptions(), 300_000, 600_000, 60_000, expr).TryEvalSeriesWise(expr));
        var e = Assert.Throws<PromQLEvaluationException>(() => new PromQLEngine(store).Range(expr, 300_000, 600_000, 60_000));
        Assert.Contains("same labelset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_whose_labels_collide_at_different_steps_merge_as_step_by_step()
    {
        using var store = new MetricStore();
        store.Append(LabelSet.Create(("__name__", "x"), ("job", "a")), 0, 1);
        store.Append(LabelSet.Create(("__name__", "y"), ("job", "a")), 1_200_000, 2);
        var expr = PromQLParser.Parse("-{job=\"a\"}");
        var fast = new Evaluator(store, new PromQLEngineOptions(), 0, 1_500_000, 60_000, expr).TryEvalSeriesWise(expr);
        Assert.NotNull(fast);
        var slow = new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false }).Range(expr, 0, 1_500_000, 60_000);
        AssertSame(slow.Matrix, fast, "merged");
        Assert.Equal(2, Assert.Single(fast).Values.Distinct().Count());
    }

    [Fact]
    public void A_duplicate_match_group_reports_the_step_by_step_error()
    {
        using var store = RandomStore(6);
        var expr = PromQLParser.Parse("c_total + on (job) g");
        Assert.Null(new Evaluator(store, new PromQLEngineOptions(), 0, 3_600_000, 60_000, expr).TryEvalSeriesWise(expr));
        var slow = Assert.Throws<PromQLEvaluationException>(() => new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false }).Range(expr, 0, 3_600_000, 60_000));
        var fast = Assert.Throws<PromQLEvaluationException>(() => new PromQLEngine(store).Range(expr, 0, 3_600_000, 60_000));
        Assert.Equal(slow.Message, fast.Message);
        Assert.Contains("duplicate series", fast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_limit_holds_for_series_wise_queries()
    {
        using var store = RandomStore(5);
        var options = new PromQLEngineOptions { MaxSamples = 200 };
        Assert.Throws<PromQLTooManySamplesException>(() => new PromQLEngine(store, options).Range("sum(rate(c_total[5m]))", 0, 3_600_000, 60_000));
    }

    private static void AssertSame(IReadOnlyList<MatrixSeries> expected, IReadOnlyList<MatrixSeries> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} series, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(e.Labels.Equals(a.Labels), $"{what}: series {i} is {a.Labels}, expected {e.Labels}");
            Assert.True(e.Timestamps.AsSpan().SequenceEqual(a.Timestamps), $"{what}: {e.Labels} steps differ");
            for (var j = 0; j < e.Values.Length; j++)
            {
                Assert.True(e.Values[j].Equals(a.Values[j]), $"{what}: {e.Labels} at {e.Timestamps[j]}: {a.Values[j]}, expected {e.Values[j]}");
            }
        }
    }
}
