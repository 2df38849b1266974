using System.Buffers;
using System.Buffers.Binary;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// The form a Gorilla chunk takes on disk: a byte-aligned decimal-delta encoding when it is smaller, else the
/// Gorilla bytes unchanged. Lossless for every value bit pattern.
/// </summary>
/// <remarks>
/// Gorilla's XOR of two doubles costs most of a mantissa when values step by decimal fractions (a counter growing
/// by 0.1s, a gauge moving by whole units of a large number): the binary expansions differ in many low bits. Here
/// each value is predicted from the one before plus a decimal step k / 10^scale, and stored as the varint of k
/// plus, when the prediction is not bit-exact, the difference of the 64-bit patterns; the page compressor then
/// shrinks the byte-aligned stream further, where Gorilla's bit stream does not compress. Layout: marker byte
/// 0xD1 (a Gorilla chunk starts with the top byte of its first timestamp, 0x00 or 0xFF for any timestamp within
/// 2^56 ms of 1970), scale byte, zigzag varint first timestamp, first value bits (8 bytes little-endian), then
/// per further sample a zigzag varint delta-of-delta of the timestamp (a zero followed by a varint run length of
/// further zeros) and a varint (zigzag(k) &lt;&lt; 1 | exact-miss) followed, on a miss, by a zigzag varint bit
/// difference. Timestamps and values are written as two streams: first all timestamps, then all values.
/// </remarks>
public static class StoredChunkCodec
{
    /// <summary>First byte of a decimal-delta chunk.</summary>
    public const byte DecimalMarker = 0xD1;

    private const int MaxScale = 4;

    // Steps beyond this are not decimal steps worth a prediction: k stays 0 and the bit difference carries the value.
    private const double MaxStep = 1L << 52;

    private static readonly double[] Powers = [1, 10, 100, 1000, 10000];

    /// <summary>
    /// Encodes <paramref name="chunk"/> for storage: the decimal-delta form at its best scale when that is smaller
    /// than the Gorilla bytes, else the Gorilla bytes themselves (the same array).
    /// </summary>
    public static byte[] Encode(GorillaChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);

        // Gorilla bytes that start with the marker (a first timestamp whose top byte is 0xD1) would be read back as
        // the decimal form, so such a chunk is stored in the decimal form even when that is larger.
        var decimalOnly = IsDecimal(chunk.Data);
        if (chunk.Count < 2 && !decimalOnly)
        {
            return chunk.Data;
        }

        var timestamps = ArrayPool<long>.Shared.Rent(chunk.Count);
        var values = ArrayPool<ulong>.Shared.Rent(chunk.Count);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(64, chunk.Data.Length));
        try
        {
            var iterator = chunk.GetIterator();
            var n = 0;
            while (iterator.MoveNext())
            {
                timestamps[n] = iterator.Timestamp;
                values[n] = iterator.ValueBits;
                n++;
            }

            if (n != chunk.Count)
            {
                return chunk.Data;
            }

            byte[]? best = null;
            for (var scale = 0; scale <= MaxScale; scale++)
            {
                buffer.ResetWrittenCount();
                Write(timestamps.AsSpan(0, n), values.AsSpan(0, n), scale, buffer);
                if (buffer.WrittenCount < (best?.Length ?? (decimalOnly ? int.MaxValue : chunk.Data.Length)))
                {
                    best = buffer.WrittenSpan.ToArray();
                }
            }

            return best ?? chunk.Data;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestamps);
            ArrayPool<ulong>.Shared.Return(values);
        }
    }

    /// <summary>Whether stored bytes are in the decimal-delta form (else they are Gorilla bytes).</summary>
    public static bool IsDecimal(ReadOnlySpan<byte> stored) => stored.Length > 0 && stored[0] == DecimalMarker;

    /// <summary>
    /// Turns stored bytes (either form) back into a Gorilla chunk of <paramref name="count"/> samples.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are damaged.</exception>
    public static GorillaChunk Decode(ReadOnlySpan<byte> stored, int count, long minTime, long maxTime)
    {
        if (!IsDecimal(stored))
        {
            return new GorillaChunk(stored.ToArray(), count, minTime, maxTime);
        }

        using var encoder = new GorillaChunkEncoder(Math.Max(24, count * 2));
        var timestamps = ArrayPool<long>.Shared.Rent(Math.Max(1, count));
        try
        {
            var at = 1;
            var scale = stored[at++];
            if (scale > MaxScale || count < 1)
            {
                throw new InvalidDataException("Malformed stored chunk.");
            }

            var ts = ReadSigned(stored, ref at);
            timestamps[0] = ts;
            long delta = 0;
            var i = 1;
            while (i < count)
            {
                var dod = ReadSigned(stored, ref at);
                var run = dod == 0 ? (long)ReadVarint(stored, ref at) + 1 : 1;
                if (run > count - i)
                {
                    throw new InvalidDataException("Malformed stored chunk.");
                }

                for (var r = 0; r < run; r++)
                {
                    delta = unchecked(delta + dod);
                    ts = unchecked(ts + delta);
                    timestamps[i++] = ts;
                }
            }

            if (at + 8 > stored.Length)
            {
                throw new InvalidDataException("Malformed stored chunk.");
            }

            var previous = BinaryPrimitives.ReadUInt64LittleEndian(stored[at..]);
            at += 8;
            encoder.Append(timestamps[0], BitConverter.UInt64BitsToDouble(previous));
            var power = Powers[scale];
            for (i = 1; i < count; i++)
            {
                var head = ReadVarint(stored, ref at);
                var k = (long)(head >> 2) ^ -(long)((head >> 1) & 1);
                var predicted = Predict(previous, k, power);
                if ((head & 1) != 0)
                {
                    predicted = unchecked(predicted + (ulong)ReadSigned(stored, ref at));
                }

                previous = predicted;
                encoder.Append(timestamps[i], BitConverter.UInt64BitsToDouble(previous));
            }

            if (at != stored.Length)
            {
                throw new InvalidDataException("Malformed stored chunk.");
            }

            return encoder.ToChunk();
        }
        catch (IndexOutOfRangeException)
        {
            throw new InvalidDataException("Malformed stored chunk.");
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestamps);
        }
    }

    private static void Write(ReadOnlySpan<long> timestamps, ReadOnlySpan<ulong> values, int scale, ArrayBufferWriter<byte> into)
    {
        var header = into.GetSpan(2);
        header[0] = DecimalMarker;
        header[1] = (byte)scale;
        into.Advance(2);
        WriteSigned(into, timestamps[0]);
        long previousDelta = 0;
        var i = 1;
        while (i < timestamps.Length)
        {
            var delta = unchecked(timestamps[i] - timestamps[i - 1]);
            var dod = unchecked(delta - previousDelta);
            previousDelta = delta;
            WriteSigned(into, dod);
            i++;
            if (dod != 0)
            {
                continue;
            }

            // A run of equal intervals: one count instead of a byte per sample.
            var run = 0;
            while (i < timestamps.Length && unchecked(timestamps[i] - timestamps[i - 1]) == delta)
            {
                run++;
                i++;
            }

            WriteVarint(into, (ulong)run);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(into.GetSpan(8), values[0]);
        into.Advance(8);
        var power = Powers[scale];
        for (i = 1; i < values.Length; i++)
        {
            var previous = values[i - 1];
            var k = Step(previous, values[i], power);
            var miss = unchecked((long)(values[i] - Predict(previous, k, power)));
            var zk = (ulong)((k << 1) ^ (k >> 63));
            WriteVarint(into, (zk << 1) | (miss != 0 ? 1UL : 0UL));
            if (miss != 0)
            {
                WriteSigned(into, miss);
            }
        }
    }

    /// <summary>The decimal step from one value to the next at the scale, or 0 when no step predicts it.</summary>
    private static long Step(ulong previousBits, ulong bits, double power)
    {
        var previous = BitConverter.UInt64BitsToDouble(previousBits);
        var value = BitConverter.UInt64BitsToDouble(bits);
        if (!double.IsFinite(previous) || !double.IsFinite(value))
        {
            return 0;
        }

        var step = Math.Round((value - previous) * power);
        return double.IsFinite(step) && Math.Abs(step) < MaxStep ? (long)step : 0;
    }

    /// <summary>
    /// The bits of previous + k / power. k = 0 keeps the previous bits exactly (no arithmetic on NaN payloads, whose
    /// propagation differs between processors); otherwise both operands are finite and IEEE arithmetic is the same
    /// everywhere.
    /// </summary>
    private static ulong Predict(ulong previousBits, long k, double power) =>
        k == 0 ? previousBits : BitConverter.DoubleToUInt64Bits(BitConverter.UInt64BitsToDouble(previousBits) + (k / power));

    private static void WriteSigned(ArrayBufferWriter<byte> into, long value) => WriteVarint(into, (ulong)((value << 1) ^ (value >> 63)));

    private static void WriteVarint(ArrayBufferWriter<byte> into, ulong value)
    {
        var span = into.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        into.Advance(n);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed varint in a stored chunk.");
    }

    private static long ReadSigned(ReadOnlySpan<byte> data, ref int at)
    {
        var raw = ReadVarint(data, ref at);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
