using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using LumaDB.Storage.IO;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Parquet's integer encodings: the RLE/bit-packed hybrid (definition levels and dictionary indices) and
/// DELTA_BINARY_PACKED (sorted keys and times, byte-array lengths), written and read as the format specification
/// lays them out.
/// </summary>
internal static class ParquetIntegerEncoding
{
    /// <summary>Values per delta block.</summary>
    private const int DeltaBlockSize = 128;

    /// <summary>Miniblocks per delta block (32 values each).</summary>
    private const int DeltaMiniblocks = 4;

    private const int DeltaMiniblockSize = DeltaBlockSize / DeltaMiniblocks;

    /// <summary>Shortest run of one value written as an RLE run instead of inside bit-packed groups.</summary>
    private const int MinRepeatRun = 8;

    /// <summary>Bits an unsigned value below or equal to <paramref name="max"/> needs (0 for 0).</summary>
    public static int BitWidth(uint max) => 32 - BitOperations.LeadingZeroCount(max);

    /// <summary>
    /// Writes definition levels of a flat optional column (1 present, 0 null) as the hybrid encoding with a
    /// 4-byte length prefix, as data page v1 stores them.
    /// </summary>
    public static void WriteDefinitionLevels(ReadOnlySpan<bool> present, PooledBuffer<byte> output)
    {
        var lengthAt = output.Count;
        output.GetSpan(4);
        output.Advance(4);
        var start = output.Count;
        WriteHybrid(new BoolSource(present), present.Length, 1, output);
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpanAt(lengthAt, 4), output.Count - start);
    }

    /// <summary>Writes <paramref name="values"/> (each below 2^<paramref name="bitWidth"/>) as the hybrid encoding.</summary>
    public static void WriteHybrid(ReadOnlySpan<int> values, int bitWidth, PooledBuffer<byte> output) =>
        WriteHybrid(new IntSource(values), values.Length, bitWidth, output);

    private static void WriteHybrid<TSource>(TSource values, int count, int bitWidth, PooledBuffer<byte> output)
        where TSource : IValueSource, allows ref struct
    {
        var valueBytes = (bitWidth + 7) / 8;
        var i = 0;
        while (i < count)
        {
            var run = RunLength(values, i, count);
            if (run >= MinRepeatRun)
            {
                WriteVarint((ulong)run << 1, output);
                var value = values[i];
                var span = output.GetSpan(valueBytes);
                for (var b = 0; b < valueBytes; b++)
                {
                    span[b] = (byte)(value >> (8 * b));
                }

                output.Advance(valueBytes);
                i += run;
                continue;
            }

            // Bit-packed groups of eight until a long run starts at a group boundary. Only the last group of the
            // data may be padded: readers stop at the page's value count.
            var end = i;
            do
            {
                end += 8;
            }
            while (end < count && RunLength(values, end, count) < MinRepeatRun);

            var groups = (Math.Min(end, count) - i + 7) / 8;
            WriteVarint(((ulong)groups << 1) | 1, output);
            var bytes = groups * bitWidth;
            var packed = output.GetSpan(bytes);
            packed[..bytes].Clear();
            var bit = 0;
            for (var k = i; k < i + (groups * 8); k++)
            {
                var value = k < count ? (uint)values[k] : 0u;
                for (var b = 0; b < bitWidth; b++, bit++)
                {
                    if ((value & (1u << b)) != 0)
                    {
                        packed[bit >> 3] |= (byte)(1 << (bit & 7));
                    }
                }
            }

            output.Advance(bytes);
            i = Math.Min(end, count);
        }
    }

    private static int RunLength<TSource>(TSource values, int start, int count)
        where TSource : IValueSource, allows ref struct
    {
        var first = values[start];
        var end = start + 1;
        while (end < count && values[end] == first)
        {
            end++;
        }

        return end - start;
    }

    /// <summary>DELTA_BINARY_PACKED for an INT64 column; differences wrap around in 64 bits, as the format allows.</summary>
    public static void WriteDelta(ReadOnlySpan<long> values, PooledBuffer<byte> output) => WriteDelta(values, int32: false, output);

    /// <summary>DELTA_BINARY_PACKED for an INT32 column; differences wrap around in 32 bits, as readers of INT32 do.</summary>
    public static void WriteDelta(ReadOnlySpan<int> values, PooledBuffer<byte> output)
    {
        var widened = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                widened[i] = values[i];
            }

            WriteDelta(widened.AsSpan(0, values.Length), int32: true, output);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(widened);
        }
    }

    private static void WriteDelta(ReadOnlySpan<long> values, bool int32, PooledBuffer<byte> output)
    {
        WriteVarint(DeltaBlockSize, output);
        WriteVarint(DeltaMiniblocks, output);
        WriteVarint((ulong)values.Length, output);
        WriteVarint(Varint.ZigZag(values.IsEmpty ? 0 : values[0]), output);
        Span<ulong> adjusted = stackalloc ulong[DeltaBlockSize];
        for (var blockStart = 1; blockStart < values.Length; blockStart += DeltaBlockSize)
        {
            var n = Math.Min(DeltaBlockSize, values.Length - blockStart);
            var minDelta = long.MaxValue;
            for (var k = 0; k < n; k++)
            {
                minDelta = Math.Min(minDelta, Delta(values, blockStart + k, int32));
            }

            for (var k = 0; k < n; k++)
            {
                var above = unchecked(Delta(values, blockStart + k, int32) - minDelta);
                adjusted[k] = int32 ? (uint)above : unchecked((ulong)above);
            }

            WriteDeltaBlock(adjusted[..n], Varint.ZigZag(minDelta), output);
        }
    }

    /// <summary>values[i] - values[i - 1], wrapped to the column's width.</summary>
    private static long Delta(ReadOnlySpan<long> values, int i, bool int32)
    {
        var delta = unchecked(values[i] - values[i - 1]);
        return int32 ? unchecked((int)delta) : delta;
    }

    private static void WriteDeltaBlock(ReadOnlySpan<ulong> adjusted, ulong zigzagMinDelta, PooledBuffer<byte> output)
    {
        WriteVarint(zigzagMinDelta, output);
        Span<byte> widths = stackalloc byte[DeltaMiniblocks];
        var used = (adjusted.Length + DeltaMiniblockSize - 1) / DeltaMiniblockSize;
        for (var m = 0; m < DeltaMiniblocks; m++)
        {
            ulong max = 0;
            if (m < used)
            {
                foreach (var value in adjusted.Slice(m * DeltaMiniblockSize, Math.Min(DeltaMiniblockSize, adjusted.Length - (m * DeltaMiniblockSize))))
                {
                    max |= value;
                }
            }

            widths[m] = (byte)(64 - BitOperations.LeadingZeroCount(max));
        }

        output.Write(widths);

        // Miniblocks past the last value are left out (their widths above are zero); the last one used is padded
        // to 32 values.
        for (var m = 0; m < used; m++)
        {
            var width = widths[m];
            var bytes = DeltaMiniblockSize * width / 8;
            var packed = output.GetSpan(bytes);
            packed[..bytes].Clear();
            var from = m * DeltaMiniblockSize;
            var take = Math.Min(DeltaMiniblockSize, adjusted.Length - from);
            var bit = 0;
            for (var k = 0; k < take; k++, bit += width)
            {
                PackBits(packed, bit, adjusted[from + k], width);
            }

            output.Advance(bytes);
        }
    }

    /// <summary>ORs the low <paramref name="width"/> bits of <paramref name="value"/> into <paramref name="packed"/> at bit <paramref name="bit"/>, LSB first.</summary>
    private static void PackBits(Span<byte> packed, int bit, ulong value, int width)
    {
        while (width > 0)
        {
            var offset = bit & 7;
            var take = Math.Min(width, 8 - offset);
            packed[bit >> 3] |= (byte)((value & ((1UL << take) - 1)) << offset);
            value >>= take;
            bit += take;
            width -= take;
        }
    }

    public static void WriteVarint(ulong value, PooledBuffer<byte> output) => output.Advance(Varint.Write(output.GetSpan(Varint.MaxBytes), value));

    /// <summary>
    /// Reads <paramref name="values"/>.Length values of the hybrid encoding at <paramref name="bitWidth"/> (at most
    /// 32) from <paramref name="data"/>; padding after the last value of a bit-packed group is ignored. Throws
    /// <see cref="InvalidDataException"/> when the data ends first.
    /// </summary>
    public static void ReadHybrid(ReadOnlySpan<byte> data, int bitWidth, Span<int> values)
    {
        if ((uint)bitWidth > 32)
        {
            throw new InvalidDataException($"Hybrid encoding bit width {bitWidth} is above 32.");
        }

        var valueBytes = (bitWidth + 7) / 8;
        var offset = 0;
        var n = 0;
        while (n < values.Length)
        {
            var header = Varint.Read(data, ref offset);
            if ((header & 1) == 0)
            {
                var run = (int)Math.Min(header >> 1, (ulong)(values.Length - n));
                if (valueBytes > data.Length - offset)
                {
                    throw new InvalidDataException("Hybrid run ends early.");
                }

                var value = 0;
                for (var b = 0; b < valueBytes; b++)
                {
                    value |= data[offset + b] << (8 * b);
                }

                offset += valueBytes;
                values.Slice(n, run).Fill(value);
                n += run;
            }
            else
            {
                var groups = header >> 1;
                if (groups > (ulong)(data.Length - offset) || (long)groups * bitWidth > data.Length - offset)
                {
                    throw new InvalidDataException("Hybrid bit-packed run ends early.");
                }

                var packed = data.Slice(offset, (int)groups * bitWidth);
                offset += packed.Length;
                var take = (int)Math.Min(groups * 8, (ulong)(values.Length - n));
                UnpackBits(packed, bitWidth, values.Slice(n, take));
                n += take;
            }
        }
    }

    /// <summary>
    /// Reads a DELTA_BINARY_PACKED run of INT32 values starting at <paramref name="offset"/> (moved past it) into
    /// <paramref name="values"/>, which must be exactly as long as the run says. Differences wrap in 32 bits.
    /// </summary>
    public static void ReadDelta(ReadOnlySpan<byte> data, ref int offset, Span<int> values)
    {
        var wide = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            ReadDelta(data, ref offset, wide.AsSpan(0, values.Length));
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = unchecked((int)wide[i]);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(wide);
        }
    }

    /// <summary>
    /// Reads a DELTA_BINARY_PACKED run of INT64 values starting at <paramref name="offset"/> (moved past it) into
    /// <paramref name="values"/>, which must be exactly as long as the run says. Differences wrap in 64 bits, so
    /// the low 32 bits of each value are also right for a run of INT32 values.
    /// </summary>
    public static void ReadDelta(ReadOnlySpan<byte> data, ref int offset, Span<long> values)
    {
        var blockSize = Varint.Read(data, ref offset);
        var miniblocks = Varint.Read(data, ref offset);
        var count = Varint.Read(data, ref offset);
        var first = Varint.UnZigZag(Varint.Read(data, ref offset));
        if (blockSize == 0 || blockSize % 128 != 0 || miniblocks == 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0 || miniblocks > 512)
        {
            throw new InvalidDataException($"Delta encoding has block size {blockSize} with {miniblocks} miniblocks.");
        }

        if (count != (ulong)values.Length)
        {
            throw new InvalidDataException($"Delta encoding holds {count} values where {values.Length} were expected.");
        }

        if (values.IsEmpty)
        {
            return;
        }

        var miniblockSize = (int)(blockSize / miniblocks);
        Span<byte> widths = stackalloc byte[(int)miniblocks];
        var current = first;
        values[0] = current;
        var n = 1;
        while (n < values.Length)
        {
            var minDelta = Varint.UnZigZag(Varint.Read(data, ref offset));
            if (widths.Length > data.Length - offset)
            {
                throw new InvalidDataException("Delta block ends early.");
            }

            data.Slice(offset, widths.Length).CopyTo(widths);
            offset += widths.Length;
            for (var m = 0; m < widths.Length && n < values.Length; m++)
            {
                var width = widths[m];
                if (width > 64)
                {
                    throw new InvalidDataException($"Delta miniblock bit width {width} is above 64.");
                }

                var bytes = miniblockSize * width / 8;
                if (bytes > data.Length - offset)
                {
                    throw new InvalidDataException("Delta miniblock ends early.");
                }

                var take = Math.Min(miniblockSize, values.Length - n);
                var deltas = values.Slice(n, take);
                var packed = data.Slice(offset, bytes);
                for (var k = 0; k < deltas.Length; k++)
                {
                    current = unchecked(current + minDelta + (long)ReadBits(packed, k * width, width));
                    deltas[k] = current;
                }

                offset += bytes;
                n += take;
            }
        }
    }

    /// <summary>Unpacks <paramref name="values"/>.Length values of <paramref name="width"/> bits (at most 32), LSB first; <paramref name="packed"/> holds at least that many bits.</summary>
    private static void UnpackBits(ReadOnlySpan<byte> packed, int width, Span<int> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = unchecked((int)ReadBits(packed, i * width, width));
        }
    }

    /// <summary>The <paramref name="width"/> bits (at most 64) at bit <paramref name="bit"/> of <paramref name="packed"/>, LSB first.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBits(ReadOnlySpan<byte> packed, int bit, int width)
    {
        if (width == 0)
        {
            return 0;
        }

        var at = bit >> 3;
        var shift = bit & 7;
        ulong value;
        if (at + 8 <= packed.Length)
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(packed[at..]) >> shift;
            if (width + shift > 64)
            {
                value |= (ulong)packed[at + 8] << (64 - shift);
            }
        }
        else
        {
            // The last few values: what is left of the buffer, zero-padded.
            value = 0;
            for (var b = packed.Length - 1; b >= at; b--)
            {
                value = (value << 8) | packed[b];
            }

            value >>= shift;
        }

        return width == 64 ? value : value & ((1UL << width) - 1);
    }

    private interface IValueSource
    {
        int this[int index] { get; }
    }

    private readonly ref struct BoolSource(ReadOnlySpan<bool> values) : IValueSource
    {
        private readonly ReadOnlySpan<bool> _values = values;

        public int this[int index] => _values[index] ? 1 : 0;
    }

    private readonly ref struct IntSource(ReadOnlySpan<int> values) : IValueSource
    {
        private readonly ReadOnlySpan<int> _values = values;

        public int this[int index] => _values[index];
    }
}
