using System.Buffers;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

public sealed class SortKeyTests
{
    [Fact]
    public void Encoded_integers_sort_like_the_integers()
    {
        long[] values = [long.MinValue, -5, -1, 0, 1, 255, 256, long.MaxValue];
        AssertSortsLike(values, (w, v) => SortKey.AppendInt64(w, v));
        AssertSortsLike([short.MinValue, (short)-1, (short)0, (short)1, short.MaxValue], (w, v) => SortKey.AppendInt16(w, v));
        AssertSortsLike([int.MinValue, -1, 0, 1, int.MaxValue], (w, v) => SortKey.AppendInt32(w, v));
    }

    [Fact]
    public void Encoded_floats_sort_like_the_floats()
    {
        AssertSortsLike([double.NegativeInfinity, -1e300, -1.5, -0.0, 1e-300, 2.5, double.PositiveInfinity], (w, v) => SortKey.AppendFloat64(w, v));
        AssertSortsLike([float.NegativeInfinity, -1.5f, 0f, 2.5f, float.MaxValue], (w, v) => SortKey.AppendFloat32(w, v));
    }

    [Fact]
    public void Encoded_strings_sort_by_utf8_bytes_with_prefixes_and_zero_bytes_first()
    {
        string[] values = ["", "a", "a\0", "a\0b", "a\u0001", "ab", "b", "é"];
        AssertSortsLike(values, (w, v) => SortKey.AppendString(w, v));
    }

    [Fact]
    public void A_null_column_sorts_before_any_value_and_columns_compare_in_order()
    {
        var nullThenBig = Encode(w => { SortKey.AppendNull(w); SortKey.AppendInt64(w, 9); });
        var smallThenSmall = Encode(w => { SortKey.AppendInt64(w, long.MinValue); SortKey.AppendInt64(w, 0); });
        var oneThenZ = Encode(w => { SortKey.AppendString(w, "a"); SortKey.AppendString(w, "z"); });
        var twoThenA = Encode(w => { SortKey.AppendString(w, "a\0"); SortKey.AppendString(w, "a"); });

        Assert.True(SortKey.Compare(nullThenBig, smallThenSmall) < 0);
        Assert.True(SortKey.Compare(oneThenZ, twoThenA) < 0);
    }

    private static void AssertSortsLike<T>(T[] ascending, Action<IBufferWriter<byte>, T> append)
    {
        var encoded = ascending.Select(v => Encode(w => append(w, v))).ToArray();
        for (var i = 1; i < encoded.Length; i++)
        {
            Assert.True(SortKey.Compare(encoded[i - 1], encoded[i]) < 0, $"{ascending[i - 1]} should sort before {ascending[i]}");
        }
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> build)
    {
        var writer = new ArrayBufferWriter<byte>();
        build(writer);
        return writer.WrittenSpan.ToArray();
    }
}
