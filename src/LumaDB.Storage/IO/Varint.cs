namespace LumaDB.Storage.IO;

/// <summary>
/// Unsigned LEB128 varints (seven bits per byte, least significant first, high bit set on all but the last) and
/// the zigzag mapping of signed values onto them, as protobuf, Thrift's compact protocol and Parquet use them.
/// Writes go into a span, so any buffer type takes them as <c>Advance(Write(GetSpan(MaxBytes), value))</c>.
/// </summary>
public static class Varint
{
    /// <summary>The most bytes one 64-bit varint takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> (room for <see cref="MaxBytes"/>); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    /// <summary>Maps a signed value to an unsigned one that small magnitudes keep small (0, -1, 1, -2 → 0, 1, 2, 3).</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The signed value <see cref="ZigZag"/> mapped to <paramref name="value"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>
    /// Reads a varint at <paramref name="offset"/> of <paramref name="source"/> and moves the offset past it.
    /// Throws <see cref="InvalidDataException"/> when the source ends inside it or it is longer than ten bytes.
    /// </summary>
    public static ulong Read(ReadOnlySpan<byte> source, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if ((uint)offset >= (uint)source.Length)
            {
                throw new InvalidDataException("Data ends inside a varint.");
            }

            var b = source[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Varint is longer than ten bytes.");
    }
}
