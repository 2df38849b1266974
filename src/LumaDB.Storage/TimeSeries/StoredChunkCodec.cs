using System.Buffers;
using System.Buffers.Binary;
using LumaDB.Storage.IO;

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

    /// <summary>10^scale for each scale the decimal form uses.</summary>
    internal static readonly double[] Powers = [1, 10, 100, 1000, 10000];

    // A chunk of a few hundred samples encodes in a few KB; a scratch grown by a rare huge chunk is let go.
    private const int MaxRetainedScratch = 64 * 1024;

    // Per thread: the scale being tried, and the result of an encoding into an array.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? CandidateScratch;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? OutputScratch;

    /// <summary>
    /// Encodes <paramref name="chunk"/> for storage: its bytes as they are when they are in the stored form already,
    /// else the decimal-delta form at its best scale when that is smaller than the Gorilla bytes, else the Gorilla
    /// bytes themselves (the same array).
    /// </summary>
    public static byte[] Encode(GorillaChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return chunk.IsStoredForm ? chunk.Data : Encode(chunk.Data, chunk.Count, chunk.Data);
    }

    /// <summary>The stored form of <paramref name="count"/> Gorilla-encoded samples, in an array of its exact size.</summary>
    public static byte[] EncodeToArray(ReadOnlySpan<byte> gorilla, int count) => Encode(gorilla, count, null);

    private static byte[] Encode(ReadOnlySpan<byte> gorilla, int count, byte[]? gorillaArray)
    {
        var output = OutputScratch ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        var isDecimal = EncodeTo(gorilla, count, output);
        var bytes = !isDecimal && gorillaArray is not null ? gorillaArray : output.WrittenSpan.ToArray();
        if (output.Capacity > MaxRetainedScratch)
        {
            OutputScratch = null;
        }

        return bytes;
    }

    /// <summary>
    /// Writes the stored form of <paramref name="count"/> Gorilla-encoded samples to <paramref name="into"/>: the
    /// decimal-delta form at its best scale when that is smaller than the Gorilla bytes, else the Gorilla bytes.
    /// Allocates nothing once the writer and this thread's scratch have grown to a chunk's size.
    /// </summary>
    /// <returns>Whether the decimal-delta form was written.</returns>
    public static bool EncodeTo(ReadOnlySpan<byte> gorilla, int count, ArrayBufferWriter<byte> into)
    {
        ArgumentNullException.ThrowIfNull(into);

        // Gorilla bytes that start with the marker (a first timestamp whose top byte is 0xD1) would be read back as
        // the decimal form, so such a chunk is stored in the decimal form even when that is larger.
        var decimalOnly = IsDecimal(gorilla);
        if (count < 2 && !decimalOnly)
        {
            into.Write(gorilla);
            return false;
        }

        var timestamps = ArrayPool<long>.Shared.Rent(count);
        var values = ArrayPool<ulong>.Shared.Rent(count);
        var candidate = CandidateScratch ??= new ArrayBufferWriter<byte>(1024);
        try
        {
            var iterator = new GorillaChunkIterator(gorilla, count);
            var n = 0;
            while (iterator.MoveNext())
            {
                timestamps[n] = iterator.Timestamp;
                values[n] = iterator.ValueBits;
                n++;
            }

            if (n != count)
            {
                into.Write(gorilla);
                return false;
            }

            // Each scale is tried in the scratch writer. Once a scale predicts every value exactly, a finer one
            // only writes larger steps, so the search stops there.
            var bestScale = -1;
            var lastScale = -1;
            var bestLength = decimalOnly ? int.MaxValue : gorilla.Length;
            for (var scale = 0; scale <= MaxScale; scale++)
            {
                candidate.ResetWrittenCount();
                var misses = Write(timestamps.AsSpan(0, n), values.AsSpan(0, n), scale, candidate);
                lastScale = scale;
                if (candidate.WrittenCount < bestLength)
                {
                    bestLength = candidate.WrittenCount;
                    bestScale = scale;
                }

                if (misses == 0)
                {
                    break;
                }
            }

            if (bestScale < 0)
            {
                into.Write(gorilla);
                return false;
            }

            if (bestScale == lastScale)
            {
                into.Write(candidate.WrittenSpan);
                return true;
            }

            Write(timestamps.AsSpan(0, n), values.AsSpan(0, n), bestScale, into);
            return true;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestamps);
            ArrayPool<ulong>.Shared.Return(values);
            if (candidate.Capacity > MaxRetainedScratch)
            {
                CandidateScratch = null;
            }
        }
    }

    /// <summary>Whether stored bytes are in the decimal-delta form (else they are Gorilla bytes).</summary>
    public static bool IsDecimal(ReadOnlySpan<byte> stored) => stored.Length > 0 && stored[0] == DecimalMarker;

    /// <summary>
    /// Wraps stored bytes (either form) as a chunk of <paramref name="count"/> samples, kept in that form, after
    /// checking that the decimal-delta form decodes to exactly that many samples.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are damaged.</exception>
    public static GorillaChunk Decode(ReadOnlySpan<byte> stored, int count, long minTime, long maxTime)
    {
        var chunk = GorillaChunk.FromStored(stored.ToArray(), count, minTime, maxTime);
        if (chunk.IsDecimalForm)
        {
            var iterator = chunk.GetIterator();
            var n = 0;
            while (iterator.MoveNext())
            {
                n++;
            }

            if (n != count || iterator.IsCorrupt || !iterator.EndedExactly)
            {
                throw new InvalidDataException("Malformed stored chunk.");
            }
        }

        return chunk;
    }

    /// <summary>Writes the decimal-delta form at a scale; returns how many values the decimal step did not predict exactly.</summary>
    private static int Write(ReadOnlySpan<long> timestamps, ReadOnlySpan<ulong> values, int scale, ArrayBufferWriter<byte> into)
    {
        var misses = 0;
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
            var zk = Varint.ZigZag(k);
            WriteVarint(into, (zk << 1) | (miss != 0 ? 1UL : 0UL));
            if (miss != 0)
            {
                WriteSigned(into, miss);
                misses++;
            }
        }

        return misses;
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
    internal static ulong Predict(ulong previousBits, long k, double power) =>
        k == 0 ? previousBits : BitConverter.DoubleToUInt64Bits(BitConverter.UInt64BitsToDouble(previousBits) + (k / power));

    private static void WriteSigned(ArrayBufferWriter<byte> into, long value) => WriteVarint(into, Varint.ZigZag(value));

    private static void WriteVarint(ArrayBufferWriter<byte> into, ulong value) => into.Advance(Varint.Write(into.GetSpan(Varint.MaxBytes), value));
}
