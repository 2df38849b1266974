using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

public sealed class PostingsTests
{
    [Fact]
    public void Set_operations_agree_with_a_sorted_set_across_sparse_and_dense_chunks()
    {
        var random = new Random(5);
        for (var round = 0; round < 20; round++)
        {
            // Dense rounds push chunks past 4,096 ids, turning arrays into bitmaps and back after operations.
            var density = round % 2 == 0 ? 0.01 : 0.6;
            var (x, xs) = RandomSet(random, density);
            var (y, ys) = RandomSet(random, density);

            Assert.Equal(xs.Intersect(ys).Order(), Postings.Intersect(x, y).Ids.ToArray());
            Assert.Equal(xs.Union(ys).Order(), Postings.Union(x, y).Ids.ToArray());
            Assert.Equal(xs.Except(ys).Order(), Postings.Subtract(x, y).Ids.ToArray());
            Assert.Equal(xs.Count, x.Count);
            Assert.All(xs, id => Assert.True(x.Contains(id)));
        }
    }

    [Fact]
    public void A_dense_label_costs_about_a_bit_per_series()
    {
        var postings = new Postings();
        for (ulong id = 0; id < 1_000_000; id++)
        {
            postings.Add(id);
        }

        Assert.Equal(1_000_000, postings.Count);
        Assert.True(postings.SizeBytes < 1_000_000 / 8 * 1.1, $"{postings.SizeBytes} bytes");
    }

    private static (Postings Set, HashSet<ulong> Model) RandomSet(Random random, double density)
    {
        var model = new HashSet<ulong>();
        var set = new Postings();
        for (ulong id = 0; id < 200_000; id++)
        {
            if (random.NextDouble() < density)
            {
                model.Add(id);
            }
        }

        foreach (var id in model.OrderBy(_ => random.Next()))
        {
            set.Add(id);
        }

        return (set, model);
    }
}
