using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL.Engine;

public sealed class PromQLEngineTests
{
    /// <summary>Counts selections so tests can check that a range query reads each selector once.</summary>
    private sealed class CountingSource(IMetricSource inner) : IMetricSource
    {
        public int Selects { get; private set; }

        public IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
        {
            Selects++;
            return inner.Select(matchers, mint, maxt);
        }
    }

    private static MetricStore Counter()
    {
        var store = new MetricStore();
        var labels = LabelSet.Create(("__name__", "http_requests_total"), ("job", "api"));
        for (var i = 0; i <= 60; i++)
        {
            store.Append(labels, i * 60_000L, i * 60);
        }

        return store;
    }

    [Fact]
    public void A_range_query_reads_each_selector_once_not_once_per_step()
    {
        using var store = Counter();
        var source = new CountingSource(store);
        var engine = new PromQLEngine(source);
        var result = engine.Range("rate(http_requests_total[5m]) + on(job) http_requests_total", 600_000, 3_000_000, 60_000);
        Assert.Equal(2, source.Selects);
        var series = Assert.Single(result.Matrix);
        Assert.Equal(41, series.Values.Length);
    }

    [Fact]
    public void Rate_of_a_steady_counter_is_its_slope_and_drops_the_name()
    {
        using var store = Counter();
        var result = new PromQLEngine(store).Instant("rate(http_requests_total[5m])", 1_800_000);
        var sample = Assert.Single(result.Vector);
        Assert.Equal(1.0, sample.Value, 9);
        Assert.Equal(LabelSet.Create(("job", "api")), sample.Labels);
    }

    [Fact]
    public void A_staleness_marker_ends_the_series_for_instant_selectors()
    {
        using var store = new MetricStore();
        var labels = LabelSet.Create(("__name__", "x"));
        store.Append(labels, 0, 1);
        store.Append(labels, 60_000, BitConverter.UInt64BitsToDouble(0x7ff0000000000002));
        var engine = new PromQLEngine(store);
        Assert.Single(engine.Instant("x", 30_000).Vector);
        Assert.Empty(engine.Instant("x", 90_000).Vector);
    }

    [Fact]
    public void The_lookback_delta_is_configurable()
    {
        using var store = new MetricStore();
        store.Append(LabelSet.Create(("__name__", "x")), 0, 1);
        var engine = new PromQLEngine(store, new PromQLEngineOptions { LookbackDeltaMs = 60_000 });
        Assert.Single(engine.Instant("x", 59_000).Vector);
        Assert.Empty(engine.Instant("x", 60_000).Vector);
    }

    [Fact]
    public void A_scalar_range_query_returns_one_unlabelled_series()
    {
        using var store = new MetricStore();
        var result = new PromQLEngine(store).Range("time() * 2", 0, 120_000, 60_000);
        Assert.Equal(PromQLValueType.Matrix, result.Type);
        var series = Assert.Single(result.Matrix);
        Assert.Equal(LabelSet.Empty, series.Labels);
        Assert.Equal([0.0, 120, 240], series.Values);
    }

    [Fact]
    public void One_to_one_matching_with_duplicates_on_the_right_fails()
    {
        using var store = new MetricStore();
        store.Append(LabelSet.Create(("__name__", "a"), ("x", "1")), 0, 1);
        store.Append(LabelSet.Create(("__name__", "b"), ("x", "1"), ("y", "1")), 0, 1);
        store.Append(LabelSet.Create(("__name__", "b"), ("x", "1"), ("y", "2")), 0, 1);
        Assert.Throws<PromQLEvaluationException>(() => new PromQLEngine(store).Instant("a + on(x) b", 0));
    }

    [Fact]
    public void Count_values_rejects_a_label_name_that_is_not_utf8_and_quotes_its_bytes()
    {
        using var store = Counter();
        var engine = new PromQLEngine(store);
        var e = Assert.Throws<PromQLEvaluationException>(() => engine.Instant("count_values(\"a\\xc5z\", http_requests_total)", 600_000));
        Assert.Equal("invalid label name \"a\\xc5z\"", e.Message);

        // The same letter written as valid UTF-8 bytes is a label name like any other.
        var ok = engine.Instant("count_values(\"a\\xc3\\xa9z\", http_requests_total)", 600_000);
        Assert.Equal("600", Assert.Single(ok.Vector).Labels.Get("a\u00e9z"));
    }

    [Fact]
    public void On_keeps_only_the_matching_labels_so_a_comparison_drops_the_metric_name()
    {
        using var store = Counter();
        var result = new PromQLEngine(store).Instant("http_requests_total > on(job) http_requests_total * 0", 600_000);
        var sample = Assert.Single(result.Vector);
        Assert.Equal(LabelSet.Create(("job", "api")), sample.Labels);
    }
}
