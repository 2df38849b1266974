using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Storage.Memtables;

/// <summary>
/// Order-preserving byte encoding of primary-key tuples: comparing two encodings with
/// <c>SequenceCompareTo</c> orders them as the tuples' values, element by element, a prefix first.
/// </summary>
/// <remarks>
/// Each element is a tag byte (<see cref="KeyElementKind"/>) and a body. Integers and timestamps are
/// big-endian with the sign bit flipped; doubles are their bits with the sign bit flipped (positive) or all
/// bits flipped (negative), -0.0 stored as 0.0 and every NaN as one NaN that sorts above +Infinity (as in
/// PostgreSQL). Text and bytes escape 0x00 as 0x00 0xFF and end with 0x00, so a shorter string sorts first
/// and no element bleeds into the next; text orders by code point (PostgreSQL's "C" collation). NULL sorts
/// first.
/// </remarks>
public static class KeyEncoding
{
    private const byte Escape = 0xFF;
    private const byte Terminator = 0x00;
    private const ulong CanonicalNaN = 0x7FF8_0000_0000_0000UL;

    /// <summary>Appends a NULL.</summary>
    public static void WriteNull(IBufferWriter<byte> writer) => WriteTag(writer, KeyElementKind.Null);

    /// <summary>Appends a boolean.</summary>
    public static void WriteBoolean(IBufferWriter<byte> writer, bool value) =>
        WriteTag(writer, value ? KeyElementKind.True : KeyElementKind.False);

    /// <summary>Appends a 16-bit integer.</summary>
    public static void WriteInt16(IBufferWriter<byte> writer, short value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(3);
        span[0] = (byte)KeyElementKind.Int16;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)(value ^ short.MinValue));
        writer.Advance(3);
    }

    /// <summary>Appends a 32-bit integer.</summary>
    public static void WriteInt32(IBufferWriter<byte> writer, int value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(5);
        span[0] = (byte)KeyElementKind.Int32;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)(value ^ int.MinValue));
        writer.Advance(5);
    }

    /// <summary>Appends a 64-bit integer.</summary>
    public static void WriteInt64(IBufferWriter<byte> writer, long value) => WriteFixed64(writer, KeyElementKind.Int64, (ulong)(value ^ long.MinValue));

    /// <summary>Appends an unsigned 64-bit integer.</summary>
    public static void WriteUInt64(IBufferWriter<byte> writer, ulong value) => WriteFixed64(writer, KeyElementKind.UInt64, value);

    /// <summary>Appends a timestamp given in microseconds since the Unix epoch.</summary>
    public static void WriteTimestamp(IBufferWriter<byte> writer, long microseconds) =>
        WriteFixed64(writer, KeyElementKind.Timestamp, (ulong)(microseconds ^ long.MinValue));

    /// <summary>Appends a double.</summary>
    public static void WriteFloat64(IBufferWriter<byte> writer, double value)
    {
        // double.NaN itself has the sign bit set in .NET; the canonical NaN here is the positive quiet one.
        var bits = double.IsNaN(value) ? CanonicalNaN : value == 0 ? 0UL : BitConverter.DoubleToUInt64Bits(value);
        bits = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
        WriteFixed64(writer, KeyElementKind.Float64, bits);
    }

    /// <summary>Appends text, encoded as UTF-8.</summary>
    public static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<char> value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        byte[]? rented = null;
        var utf8 = byteCount <= 256 ? stackalloc byte[byteCount] : (rented = ArrayPool<byte>.Shared.Rent(byteCount)).AsSpan(0, byteCount);
        try
        {
            Encoding.UTF8.GetBytes(value, utf8);
            WriteEscaped(writer, KeyElementKind.Text, utf8);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Appends text that is already UTF-8.</summary>
    public static void WriteUtf8Text(IBufferWriter<byte> writer, ReadOnlySpan<byte> utf8) => WriteEscaped(writer, KeyElementKind.Text, utf8);

    /// <summary>Appends raw bytes.</summary>
    public static void WriteBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> value) => WriteEscaped(writer, KeyElementKind.Bytes, value);

    internal static double DecodeFloat64(ulong stored)
    {
        var bits = (stored & 0x8000_0000_0000_0000UL) != 0 ? stored & 0x7FFF_FFFF_FFFF_FFFFUL : ~stored;
        return BitConverter.UInt64BitsToDouble(bits);
    }

    private static void WriteTag(IBufferWriter<byte> writer, KeyElementKind kind)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.GetSpan(1)[0] = (byte)kind;
        writer.Advance(1);
    }

    private static void WriteFixed64(IBufferWriter<byte> writer, KeyElementKind kind, ulong bits)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(9);
        span[0] = (byte)kind;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], bits);
        writer.Advance(9);
    }

    private static void WriteEscaped(IBufferWriter<byte> writer, KeyElementKind kind, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var zeros = value.Count(Terminator);
        var length = 1 + value.Length + zeros + 1;
        var span = writer.GetSpan(length);
        span[0] = (byte)kind;
        var at = 1;
        if (zeros == 0)
        {
            value.CopyTo(span[at..]);
            at += value.Length;
        }
        else
        {
            foreach (var b in value)
            {
                span[at++] = b;
                if (b == Terminator)
                {
                    span[at++] = Escape;
                }
            }
        }

        span[at] = Terminator;
        writer.Advance(length);
    }
}
