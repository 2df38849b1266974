using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

public sealed class MetricStoreTests
{
    [Fact]
    public void Samples_come_back_in_time_order_within_the_window()
    {
        using var store = new MetricStore();
        var labels = LabelSet.Create(("__name__", "up"), ("job", "api"));
        for (var i = 0; i < 300; i++)
        {
            store.Append(labels, i * 15_000L, i);
        }

        var series = Assert.Single(store.Select([new SeriesMatcher(SeriesMatchType.Equal, "job", "api")], 15_000, 45_000));
        Assert.Equal(labels, series.Labels);
        Assert.Equal([15_000L, 30_000, 45_000], series.Timestamps);
        Assert.Equal([1.0, 2, 3], series.Values);
    }

    [Fact]
    public void Series_without_samples_in_the_window_are_left_out()
    {
        using var store = new MetricStore();
        store.Append(LabelSet.Create(("__name__", "a")), 1_000, 1);
        store.Append(LabelSet.Create(("__name__", "b")), 100_000, 2);
        var result = store.Select([], 0, 10_000);
        Assert.Equal("a", Assert.Single(result).Labels.Get("__name__"));
    }

    [Fact]
    public void Staleness_markers_keep_their_bit_pattern_through_the_chunks()
    {
        using var store = new MetricStore();
        var stale = BitConverter.UInt64BitsToDouble(0x7ff0000000000002);
        var labels = LabelSet.Create(("__name__", "x"));
        store.Append(labels, 0, 1);
        store.Append(labels, 1_000, stale);
        var series = Assert.Single(store.Select([], 0, 1_000));
        Assert.Equal(0x7ff0000000000002UL, BitConverter.DoubleToUInt64Bits(series.Values[1]));
    }

    [Fact]
    public void Label_sets_drop_empty_values_and_sort_by_name()
    {
        var labels = LabelSet.Create(("z", "1"), ("a", ""), ("m", "2"));
        Assert.Equal(2, labels.Count);
        Assert.Equal("m", labels[0].Name);
        Assert.Equal("{m=\"2\", z=\"1\"}", labels.ToString());
        Assert.True(LabelSet.Compare(labels, labels.Without("z")) > 0);
    }
}
