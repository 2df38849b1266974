using System.Buffers;
using System.Buffers.Binary;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The stored form of a <see cref="FloatHistogram"/> (WAL records and the histograms table): a version byte,
/// flags, the schema, zero threshold/count, count and sum, then the positive spans and counts, the negative
/// spans and counts and the custom bounds, each as a u32 length and little-endian items.
/// </summary>
public static class HistogramCodec
{
    private const byte Version = 1;

    /// <summary>Appends the encoded histogram to <paramref name="into"/>.</summary>
    public static void Encode(FloatHistogram h, IBufferWriter<byte> into)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(into);
        var size = 1 + 1 + 1 + 4 + (4 * 8) + (5 * 4) + ((h.PositiveSpans.Length + h.NegativeSpans.Length) * 8) +
                   ((h.PositiveBuckets.Length + h.NegativeBuckets.Length + h.CustomValues.Length) * 8);
        var span = into.GetSpan(size);
        var at = 0;
        span[at++] = Version;
        span[at++] = (byte)(h.IsInteger ? 1 : 0);
        span[at++] = (byte)h.CounterResetHint;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], h.Schema);
        at += 4;
        foreach (var d in (ReadOnlySpan<double>)[h.ZeroThreshold, h.ZeroCount, h.Count, h.Sum])
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], d);
            at += 8;
        }

        WriteSpans(span, ref at, h.PositiveSpans);
        WriteDoubles(span, ref at, h.PositiveBuckets);
        WriteSpans(span, ref at, h.NegativeSpans);
        WriteDoubles(span, ref at, h.NegativeBuckets);
        WriteDoubles(span, ref at, h.CustomValues);
        into.Advance(at);
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an encoded histogram.</exception>
    public static FloatHistogram Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            if (data[0] != Version)
            {
                throw new InvalidDataException("unknown histogram encoding version " + data[0]);
            }

            var at = 1;
            var isInteger = data[at++] == 1;
            var hint = (CounterResetHint)data[at++];
            var schema = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var zt = ReadDouble(data, ref at);
            var zc = ReadDouble(data, ref at);
            var count = ReadDouble(data, ref at);
            var sum = ReadDouble(data, ref at);
            return new FloatHistogram
            {
                IsInteger = isInteger,
                CounterResetHint = hint,
                Schema = schema,
                ZeroThreshold = zt,
                ZeroCount = zc,
                Count = count,
                Sum = sum,
                PositiveSpans = ReadSpans(data, ref at),
                PositiveBuckets = ReadDoubles(data, ref at),
                NegativeSpans = ReadSpans(data, ref at),
                NegativeBuckets = ReadDoubles(data, ref at),
                CustomValues = ReadDoubles(data, ref at),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("truncated histogram", e);
        }
        catch (IndexOutOfRangeException e)
        {
            throw new InvalidDataException("truncated histogram", e);
        }
    }

    private static void WriteSpans(Span<byte> span, ref int at, HistogramSpan[] spans)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], spans.Length);
        at += 4;
        foreach (var s in spans)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], s.Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], s.Length);
            at += 8;
        }
    }

    private static void WriteDoubles(Span<byte> span, ref int at, double[] values)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], values.Length);
        at += 4;
        foreach (var v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], v);
            at += 8;
        }
    }

    private static double ReadDouble(ReadOnlySpan<byte> data, ref int at)
    {
        var v = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
        at += 8;
        return v;
    }

    private static HistogramSpan[] ReadSpans(ReadOnlySpan<byte> data, ref int at)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        if (n < 0 || n > (data.Length - at) / 8)
        {
            throw new InvalidDataException("bad span count in histogram");
        }

        var spans = new HistogramSpan[n];
        for (var i = 0; i < n; i++)
        {
            spans[i] = new HistogramSpan(BinaryPrimitives.ReadInt32LittleEndian(data[at..]), BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]));
            at += 8;
        }

        return spans;
    }

    private static double[] ReadDoubles(ReadOnlySpan<byte> data, ref int at)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        if (n < 0 || n > (data.Length - at) / 8)
        {
            throw new InvalidDataException("bad bucket count in histogram");
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = ReadDouble(data, ref at);
        }

        return values;
    }
}
