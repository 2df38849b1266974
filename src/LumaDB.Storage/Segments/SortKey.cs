using System.Buffers;
using System.Buffers.Binary;

namespace LumaDB.Storage.Segments;

/// <summary>
/// The order-preserving byte encoding of primary keys: comparing two encoded keys byte by byte
/// (<see cref="Compare"/>) orders them exactly as comparing their columns one after another would.
/// Each column is a presence byte (0 = null, sorting first; 1 = value) then the value: integers big-endian with
/// the sign bit flipped, floats with the IEEE trick (flip all bits of negatives, the sign bit of positives),
/// bytes and strings with 0x00 escaped as 0x00 0xFF and terminated by 0x00 0x00 so a prefix sorts first.
/// </summary>
public static class SortKey
{
    /// <summary>Compares two encoded keys.</summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => left.SequenceCompareTo(right);

    /// <summary>Appends a null key column.</summary>
    public static void AppendNull(IBufferWriter<byte> writer) => writer.Write<byte>([0]);

    /// <summary>Appends a boolean key column.</summary>
    public static void AppendBoolean(IBufferWriter<byte> writer, bool value)
    {
        var span = writer.GetSpan(2);
        span[0] = 1;
        span[1] = value ? (byte)1 : (byte)0;
        writer.Advance(2);
    }

    /// <summary>Appends an int16 key column.</summary>
    public static void AppendInt16(IBufferWriter<byte> writer, short value)
    {
        var span = writer.GetSpan(3);
        span[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)(value ^ short.MinValue));
        writer.Advance(3);
    }

    /// <summary>Appends an int32 key column.</summary>
    public static void AppendInt32(IBufferWriter<byte> writer, int value)
    {
        var span = writer.GetSpan(5);
        span[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)(value ^ int.MinValue));
        writer.Advance(5);
    }

    /// <summary>Appends an int64 (or timestamp in microseconds) key column.</summary>
    public static void AppendInt64(IBufferWriter<byte> writer, long value)
    {
        var span = writer.GetSpan(9);
        span[0] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], (ulong)(value ^ long.MinValue));
        writer.Advance(9);
    }

    /// <summary>Appends a uint64 key column.</summary>
    public static void AppendUInt64(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(9);
        span[0] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
        writer.Advance(9);
    }

    /// <summary>Appends a float32 key column.</summary>
    public static void AppendFloat32(IBufferWriter<byte> writer, float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        bits = bits < 0 ? ~bits : bits ^ int.MinValue;
        var span = writer.GetSpan(5);
        span[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)bits);
        writer.Advance(5);
    }

    /// <summary>Appends a float64 key column.</summary>
    public static void AppendFloat64(IBufferWriter<byte> writer, double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        bits = bits < 0 ? ~bits : bits ^ long.MinValue;
        var span = writer.GetSpan(9);
        span[0] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], (ulong)bits);
        writer.Advance(9);
    }

    /// <summary>Appends a string key column, encoded as UTF-8.</summary>
    public static void AppendString(IBufferWriter<byte> writer, string value)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(value);
        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(value, rented);
            AppendBytes(writer, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends a binary (or UTF-8 string) key column.</summary>
    public static void AppendBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        var zeros = value.Count((byte)0);
        var span = writer.GetSpan(value.Length + zeros + 3);
        span[0] = 1;
        var at = 1;
        if (zeros == 0)
        {
            value.CopyTo(span[1..]);
            at += value.Length;
        }
        else
        {
            foreach (var b in value)
            {
                span[at++] = b;
                if (b == 0)
                {
                    span[at++] = 0xFF;
                }
            }
        }

        span[at++] = 0;
        span[at++] = 0;
        writer.Advance(at);
    }
}
