using System.Buffers;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;

namespace LumaDB.Query.Tests.PromQL.Engine;

public sealed class NativeHistogramEngineTests
{
    private static FloatHistogram Histogram(double count, double sum, params double[] buckets) => new()
    {
        Schema = 0,
        Count = count,
        Sum = sum,
        PositiveSpans = [new HistogramSpan(0, (uint)buckets.Length)],
        PositiveBuckets = buckets,
    };

    [Fact]
    public void Codec_round_trips_every_field()
    {
        var h = new FloatHistogram
        {
            Schema = 3,
            ZeroThreshold = 0.001,
            ZeroCount = 2,
            Count = 9,
            Sum = 12.5,
            PositiveSpans = [new HistogramSpan(-2, 2), new HistogramSpan(3, 1)],
            PositiveBuckets = [1, 2, 3],
            NegativeSpans = [new HistogramSpan(1, 1)],
            NegativeBuckets = [1],
            CounterResetHint = CounterResetHint.Gauge,
            IsInteger = true,
        };
        var buffer = new ArrayBufferWriter<byte>();
        HistogramCodec.Encode(h, buffer);
        var back = HistogramCodec.Decode(buffer.WrittenSpan);
        Assert.True(back.Equivalent(h));
        Assert.Equal(CounterResetHint.Gauge, back.CounterResetHint);
        Assert.True(back.IsInteger);
    }

    [Fact]
    public void Rate_of_a_histogram_counter_divides_the_increase_by_the_window()
    {
        using var store = new MetricStore();
        var labels = LabelSet.Create([new Label("__name__", "latency")]);
        for (var i = 0; i <= 10; i++)
        {
            store.AppendHistogram(labels, i * 60_000L, Histogram(4 * i, 2 * i, i, 2 * i, i));
        }

        var engine = new PromQLEngine(store);
        var count = engine.Instant("histogram_count(rate(latency[5m]))", 600_000);
        Assert.Equal(4.0 / 60, Assert.Single(count.Vector).Value, 9);
        var quantile = engine.Instant("histogram_quantile(0.5, latency)", 600_000);
        Assert.InRange(Assert.Single(quantile.Vector).Value, 1, 2);
    }

    [Fact]
    public void Sum_adds_histograms_bucket_by_bucket_and_a_counter_reset_is_detected()
    {
        using var store = new MetricStore();
        store.AppendHistogram(LabelSet.Create([new Label("__name__", "h"), new Label("i", "a")]), 0, Histogram(3, 3, 1, 2));
        store.AppendHistogram(LabelSet.Create([new Label("__name__", "h"), new Label("i", "b")]), 0, Histogram(2, 1, 2));
        var sum = Assert.Single(new PromQLEngine(store).Instant("sum(h)", 0).Vector).Histogram!;
        Assert.Equal(5, sum.Count);
        Assert.Equal([3.0, 2.0], sum.PositiveBuckets);
        Assert.True(Histogram(1, 1, 1).DetectReset(Histogram(3, 3, 1, 2)));
        Assert.False(Histogram(4, 4, 1, 3).DetectReset(Histogram(3, 3, 1, 2)));
    }

    [Fact]
    public void Reads_say_unknown_where_a_reset_starts_a_run_and_not_reset_inside_one()
    {
        using var store = new MetricStore();
        var labels = LabelSet.Create([new Label("__name__", "latency")]);
        store.AppendHistogram(labels, 0, Histogram(5, 5, 5));
        store.AppendHistogram(labels, 60_000, Histogram(8, 8, 8));
        store.AppendHistogram(labels, 120_000, Histogram(3, 3, 3));
        store.AppendHistogram(labels, 180_000, Histogram(6, 6, 6));

        var read = Assert.Single(store.SelectHistograms([], 0, 180_000));
        Assert.Equal(
            [CounterResetHint.Unknown, CounterResetHint.NotCounterReset, CounterResetHint.Unknown, CounterResetHint.NotCounterReset],
            read.Histograms.Select(h => h.CounterResetHint));

        // A window starting inside a run still reads the run's hint.
        Assert.Equal(CounterResetHint.NotCounterReset, Assert.Single(store.SelectHistograms([], 60_000, 60_000)).Histograms[0].CounterResetHint);
    }

    [Fact]
    public void An_out_of_order_sample_changes_the_hint_of_the_sample_after_it()
    {
        using var store = new MetricStore();
        var labels = LabelSet.Create([new Label("__name__", "latency")]);
        store.AppendHistogram(labels, 0, Histogram(5, 5, 5));
        store.AppendHistogram(labels, 120_000, Histogram(7, 7, 7));
        Assert.Equal(CounterResetHint.NotCounterReset, Assert.Single(store.SelectHistograms([], 120_000, 120_000)).Histograms[0].CounterResetHint);

        // 10 between 5 and 7: the late sample continues the run, the one after it now follows a drop.
        store.AppendHistogram(labels, 60_000, Histogram(10, 10, 10));
        var read = Assert.Single(store.SelectHistograms([], 0, 120_000));
        Assert.Equal([CounterResetHint.Unknown, CounterResetHint.NotCounterReset, CounterResetHint.Unknown], read.Histograms.Select(h => h.CounterResetHint));
    }

    [Fact]
    public void Statistics_only_reads_detect_resets_and_sums_warn_of_conflicting_hints()
    {
        using var store = new MetricStore();
        var reset = LabelSet.Create([new Label("__name__", "latency"), new Label("s", "reset")]);
        var steady = LabelSet.Create([new Label("__name__", "latency"), new Label("s", "steady")]);
        for (var i = 0; i <= 3; i++)
        {
            store.AppendHistogram(reset, i * 60_000L, i < 3 ? Histogram(5 + i, 5, 5 + i) : Histogram(1, 1, 1));
            store.AppendHistogram(steady, i * 60_000L, Histogram(5 + i, 5, 5 + i));
        }

        var engine = new PromQLEngine(store);
        const string Conflict = "PromQL warning: conflicting counter resets during histogram aggregation";
        var stats = engine.Instant("histogram_count(sum(latency))", 240_000);
        Assert.Equal(9, Assert.Single(stats.Vector).Value);
        Assert.Contains(stats.Annotations, a => a.Kind == QueryAnnotationKind.Warning && a.Message == Conflict);

        // Whole histograms read "unknown" after the reset, which adds up with "not a reset" without a conflict.
        var whole = engine.Instant("sum(latency)", 240_000);
        Assert.Equal(CounterResetHint.Unknown, Assert.Single(whole.Vector).Histogram!.CounterResetHint);
        Assert.DoesNotContain(whole.Annotations, a => a.Message == Conflict);

        // A quantile above the count needs the buckets: no statistics-only read, no conflict.
        var quantile = engine.Instant("histogram_count(sum(latency)) + histogram_quantile(0.5, sum(latency))", 240_000);
        Assert.Single(quantile.Annotations, a => a.Message == Conflict);
    }

    [Fact]
    public void A_range_step_longer_than_the_lookback_seeks_past_the_sample_before()
    {
        using var store = new MetricStore();
        var gap = LabelSet.Create([new Label("__name__", "latency"), new Label("s", "gap")]);
        var steady = LabelSet.Create([new Label("__name__", "latency"), new Label("s", "steady")]);
        for (var i = 0; i <= 15; i++)
        {
            store.AppendHistogram(steady, i * 60_000L, Histogram(5 + i, 5, 5 + i));
            if (i <= 5)
            {
                store.AppendHistogram(gap, i * 60_000L, Histogram(10 + i, 5, 10 + i));
            }
        }

        // After the gap a reset, read at 15m: stepping there from 5m compares it with the sample at 5m...
        store.AppendHistogram(gap, 12 * 60_000L, Histogram(1, 1, 1));
        var engine = new PromQLEngine(store);
        const string Conflict = "PromQL warning: conflicting counter resets during histogram aggregation";
        var stepped = engine.Range("histogram_count(sum(latency))", 300_000, 900_000, 300_000);
        Assert.Contains(stepped.Annotations, a => a.Message == Conflict);

        // ...a 10m step seeks to it (the lookback is 5m), so it has nothing to compare with and stays unknown.
        var sought = engine.Range("histogram_count(sum(latency))", 300_000, 900_000, 600_000);
        Assert.DoesNotContain(sought.Annotations, a => a.Message == Conflict);
        Assert.Equal([25.0, 21.0], Assert.Single(sought.Matrix).Values);
    }
}
