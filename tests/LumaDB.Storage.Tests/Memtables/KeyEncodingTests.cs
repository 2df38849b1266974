using System.Buffers;
using System.Text;
using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Tests.Memtables;

public sealed class KeyEncodingTests
{
    private static readonly Comparer<byte[]> ByteOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    [Fact]
    public void Int64_byte_order_equals_value_order_and_round_trips()
    {
        var random = new Random(1);
        var values = Enumerable.Range(0, 2000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64))
            .Concat([long.MinValue, long.MaxValue, 0, -1, 1]).ToList();

        AssertOrderPreserved(values, (w, v) => KeyEncoding.WriteInt64(w, v), (ref KeyReader r) => r.ReadInt64(), Comparer<long>.Default);
    }

    [Fact]
    public void UInt64_byte_order_equals_unsigned_value_order_and_round_trips()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 2000).Select(_ => (ulong)random.NextInt64() << random.Next(2) >> random.Next(64))
            .Concat([ulong.MinValue, ulong.MaxValue, 1UL << 63, (1UL << 63) - 1]).ToList();

        AssertOrderPreserved(values, (w, v) => KeyEncoding.WriteUInt64(w, v), (ref KeyReader r) => r.ReadUInt64(), Comparer<ulong>.Default);
    }

    [Fact]
    public void Int32_and_int16_byte_order_equals_value_order_and_round_trips()
    {
        var random = new Random(2);
        var ints = Enumerable.Range(0, 2000).Select(_ => random.Next(int.MinValue, int.MaxValue) >> random.Next(32)).Concat([int.MinValue, int.MaxValue]).ToList();
        var shorts = Enumerable.Range(0, 2000).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToList();

        AssertOrderPreserved(ints, (w, v) => KeyEncoding.WriteInt32(w, v), (ref KeyReader r) => r.ReadInt32(), Comparer<int>.Default);
        AssertOrderPreserved(shorts, (w, v) => KeyEncoding.WriteInt16(w, v), (ref KeyReader r) => r.ReadInt16(), Comparer<short>.Default);
    }

    [Fact]
    public void Float64_byte_order_equals_value_order_with_nan_last()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 2000)
            .Select(_ => random.Next(3) switch
            {
                0 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
                1 => random.Next(-1000, 1000),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()),
            })
            .Where(v => !double.IsNaN(v))
            .Concat([double.NegativeInfinity, double.PositiveInfinity, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 0.0])
            .Append(double.NaN)
            .ToList();

        // double's own comparer already puts NaN first; PostgreSQL (and this encoding) put it last.
        var nanLast = Comparer<double>.Create((a, b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b));
        AssertOrderPreserved(values, (w, v) => KeyEncoding.WriteFloat64(w, v), (ref KeyReader r) => r.ReadFloat64(), nanLast);
    }

    [Fact]
    public void Negative_zero_and_every_nan_encode_as_one_key()
    {
        Assert.Equal(Encode(w => KeyEncoding.WriteFloat64(w, 0.0)), Encode(w => KeyEncoding.WriteFloat64(w, -0.0)));
        Assert.Equal(
            Encode(w => KeyEncoding.WriteFloat64(w, double.NaN)),
            Encode(w => KeyEncoding.WriteFloat64(w, BitConverter.UInt64BitsToDouble(0xfff0000000000123))));
    }

    [Fact]
    public void Text_byte_order_equals_code_point_order_and_round_trips()
    {
        var random = new Random(4);
        char[] alphabet = ['\0', '\u0001', 'a', 'b', 'z', '\u00e9', '\u4e2d', '\uffff'];
        var values = Enumerable.Range(0, 1500)
            .Select(_ => new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            .Append("\U0001F600")
            .ToList();
        var byCodePoint = Comparer<string>.Create((a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

        AssertOrderPreserved(values, (w, v) => KeyEncoding.WriteText(w, v), (ref KeyReader r) => r.ReadText(), byCodePoint);
    }

    [Fact]
    public void Bytes_with_zeros_and_ff_keep_their_order_and_round_trip()
    {
        var random = new Random(5);
        byte[] alphabet = [0x00, 0x01, 0x7F, 0xFE, 0xFF];
        var values = Enumerable.Range(0, 1500)
            .Select(_ => Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray())
            .ToList();

        var decoded = AssertOrderPreserved(values, (w, v) => KeyEncoding.WriteBytes(w, v), (ref KeyReader r) => r.ReadBytes(), ByteOrder, compareDecoded: false);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Tuples_order_element_by_element_with_prefixes_and_nulls_first()
    {
        var random = new Random(6);
        var tuples = new List<(int? A, string B, long Ts)>();
        for (var i = 0; i < 2000; i++)
        {
            tuples.Add((random.Next(5) == 0 ? null : random.Next(-3, 3), new string('x', random.Next(3)) + (char)('a' + random.Next(3)), random.NextInt64(-5, 5)));
        }

        var encoded = tuples.Select(t => (Tuple: t, Key: Encode(w =>
        {
            if (t.A is { } a)
            {
                KeyEncoding.WriteInt32(w, a);
            }
            else
            {
                KeyEncoding.WriteNull(w);
            }

            KeyEncoding.WriteText(w, t.B);
            KeyEncoding.WriteTimestamp(w, t.Ts);
        }))).ToList();

        var byValue = encoded.OrderBy(e => e.Tuple.A.HasValue).ThenBy(e => e.Tuple.A).ThenBy(e => e.Tuple.B, StringComparer.Ordinal).ThenBy(e => e.Tuple.Ts).Select(e => e.Key);
        var byBytes = encoded.Select(e => e.Key).Order(ByteOrder);
        Assert.Equal(byValue, byBytes);

        var reader = new KeyReader(encoded[0].Key);
        Assert.Equal(encoded[0].Tuple.A is null ? KeyElementKind.Null : KeyElementKind.Int32, reader.Next);
        if (encoded[0].Tuple.A is null)
        {
            reader.ReadNull();
        }
        else
        {
            Assert.Equal(encoded[0].Tuple.A, reader.ReadInt32());
        }

        Assert.Equal(encoded[0].Tuple.B, reader.ReadText());
        Assert.Equal(encoded[0].Tuple.Ts, reader.ReadTimestamp());
        Assert.Equal(KeyElementKind.End, reader.Next);

        // A key that is a prefix of another sorts first.
        var prefix = Encode(w => KeyEncoding.WriteInt32(w, 1));
        var longer = Encode(w =>
        {
            KeyEncoding.WriteInt32(w, 1);
            KeyEncoding.WriteNull(w);
        });
        Assert.True(prefix.AsSpan().SequenceCompareTo(longer) < 0);
    }

    [Fact]
    public void Booleans_order_false_before_true()
    {
        var f = Encode(w => KeyEncoding.WriteBoolean(w, false));
        var t = Encode(w => KeyEncoding.WriteBoolean(w, true));

        Assert.True(f.AsSpan().SequenceCompareTo(t) < 0);
        var reader = new KeyReader(t);
        Assert.True(reader.ReadBoolean());
    }

    [Fact]
    public void Reading_the_wrong_kind_is_a_format_error()
    {
        var key = Encode(w => KeyEncoding.WriteInt64(w, 5));

        Assert.Throws<FormatException>(() => new KeyReader(key).ReadInt32());
        Assert.Throws<FormatException>(() => new KeyReader(key.AsSpan(0, 4)).ReadInt64());
    }

    private delegate T Read<T>(ref KeyReader reader);

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static List<T> AssertOrderPreserved<T>(
        List<T> values, Action<IBufferWriter<byte>, T> write, Read<T> read, IComparer<T> comparer, bool compareDecoded = true)
    {
        var encoded = values.Select(v => (Value: v, Key: Encode(w => write(w, v)))).ToList();
        var sortedByValue = encoded.OrderBy(e => e.Value, comparer).ToList();
        var sortedByBytes = encoded.OrderBy(e => e.Key, ByteOrder).ToList();
        for (var i = 0; i < encoded.Count; i++)
        {
            Assert.True(comparer.Compare(sortedByValue[i].Value, sortedByBytes[i].Value) == 0, $"at {i}: by value {sortedByValue[i].Value} by bytes {sortedByBytes[i].Value}");
        }

        // Equal values must encode equal, different values differently.
        for (var i = 1; i < sortedByBytes.Count; i++)
        {
            var sameValue = comparer.Compare(sortedByBytes[i - 1].Value, sortedByBytes[i].Value) == 0;
            var sameBytes = sortedByBytes[i - 1].Key.AsSpan().SequenceEqual(sortedByBytes[i].Key);
            Assert.Equal(sameValue, sameBytes);
        }

        var decoded = new List<T>();
        foreach (var (value, key) in encoded)
        {
            var reader = new KeyReader(key);
            var back = read(ref reader);
            Assert.Equal(KeyElementKind.End, reader.Next);
            if (compareDecoded)
            {
                Assert.True(comparer.Compare(value, back) == 0, $"{value} decoded as {back}");
            }

            decoded.Add(back);
        }

        return decoded;
    }
}
