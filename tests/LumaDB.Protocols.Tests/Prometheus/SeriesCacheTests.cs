using System.Text;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class SeriesCacheTests
{
    // One series' labels, sorted by name, in a buffer; the encoded bytes stand for one order of its label fields.
    private static (byte[] Buffer, LabelRef[] Labels) Labels()
    {
        var buffer = Encoding.UTF8.GetBytes("__name__upjobnode");
        return (buffer, [new LabelRef(0, 8, 8, 2), new LabelRef(10, 3, 13, 4)]);
    }

    [Fact]
    public void A_series_sent_in_ever_new_label_orders_does_not_grow_the_cache_past_its_bound()
    {
        var index = new SeriesIndex();
        var cache = new SeriesCache(index, slack: 100);
        var (buffer, labels) = Labels();

        LabelSet? first = null;
        for (var order = 0; order < 1_000; order++)
        {
            var encoded = BitConverter.GetBytes(order);
            var set = cache.Resolve(buffer, labels, encoded);
            first ??= set;
            Assert.Equal(first, set);
            Assert.True(cache.Count <= (2 * index.Count) + 100, $"{cache.Count} entries for {index.Count} series");
        }
    }

    [Fact]
    public void The_bound_grows_with_the_series_the_store_holds()
    {
        var index = new SeriesIndex();
        for (var i = 0; i < 200; i++)
        {
            index.GetOrAdd(LabelSet.CreateFromSorted([new Label("__name__", "up"), new Label("instance", $"host-{i}")]));
        }

        var cache = new SeriesCache(index, slack: 100);
        var (buffer, labels) = Labels();
        for (var order = 0; order < 450; order++)
        {
            cache.Resolve(buffer, labels, BitConverter.GetBytes(order));
        }

        // 2 × 200 + 100 entries fit: nothing was forgotten yet, and every order is still found.
        Assert.Equal(450, cache.Count);
        Assert.True(cache.TryResolve(BitConverter.GetBytes(0), out _));
    }
}
