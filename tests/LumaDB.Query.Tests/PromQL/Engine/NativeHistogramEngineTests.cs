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
}
