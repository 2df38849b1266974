using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

public sealed class DecodedColumnCacheTests
{
    private const int Rows = 4096;

    private static BytesColumnVector TextVector()
    {
        var vector = (BytesColumnVector)ColumnVector.Create(new SegmentColumn(0, "category", SegmentColumnKind.Utf8, isNullable: true));
        var builder = new StringArray.Builder();
        for (var i = 0; i < Rows; i++)
        {
            builder.Append($"category-{i % 100}");
        }

        vector.Append(builder.Build(), 0, Rows);
        return vector;
    }

    private static int[] AllRows() => Enumerable.Range(0, Rows).ToArray();

    [Fact]
    public void A_text_dictionary_built_on_a_cached_vector_counts_against_the_cache()
    {
        var cache = new DecodedColumnCache(64L * 1024 * 1024);
        var vector = TextVector();
        vector.IsShared = true;
        cache.Add(Guid.NewGuid(), 0, 0, vector);
        var before = cache.Bytes;

        Assert.NotNull(vector.ToArrowDictionary(AllRows()));
        Assert.NotNull(vector.ToArrowDictionary(AllRows()));

        // The codes alone are four bytes a row; the second use builds nothing more.
        Assert.InRange(cache.Bytes - before, 4L * Rows, 8L * Rows);
        Assert.Equal(cache.Bytes, vector.EstimatedBytes);
    }

    [Fact]
    public void A_vector_that_grows_past_the_bound_makes_older_entries_go()
    {
        var first = TextVector();
        first.IsShared = true;
        var second = TextVector();
        second.IsShared = true;

        // Room for the two vectors as decoded, not for a dictionary on top.
        var cache = new DecodedColumnCache(first.EstimatedBytes + second.EstimatedBytes + 1024);
        var segment = Guid.NewGuid();
        cache.Add(segment, 0, 0, first);
        cache.Add(segment, 1, 0, second);
        Assert.Equal(first.EstimatedBytes + second.EstimatedBytes, cache.Bytes);

        second.ToArrowDictionary(AllRows());

        Assert.True(cache.Bytes <= cache.CapacityBytes, $"{cache.Bytes} bytes held against a bound of {cache.CapacityBytes}");
        Assert.Null(cache.TryGet(segment, 0, 0));
        Assert.Same(second, cache.TryGet(segment, 1, 0));
    }
}
