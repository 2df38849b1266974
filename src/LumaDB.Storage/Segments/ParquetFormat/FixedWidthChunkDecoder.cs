using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Decodes a flat INT32, INT64, FLOAT or DOUBLE column chunk from its stored bytes straight into the column's value
/// array, and the definition levels of an optional column. Hand-written for the same reason as
/// <see cref="ByteArrayChunkDecoder"/>: Parquet.Net decompresses every page into fresh arrays (three per page),
/// here pages decompress into pooled scratch. Handles data pages v1 with PLAIN values, and DELTA_BINARY_PACKED for
/// the integer types; dictionary pages and other encodings are left to Parquet.Net.
/// </summary>
internal static class FixedWidthChunkDecoder
{
    /// <summary>
    /// Decodes <paramref name="chunk"/> of <paramref name="rows"/> rows, stored with Parquet CompressionCodec
    /// <paramref name="codec"/> (one <see cref="ChunkPageReader"/> handles), of Parquet physical type
    /// <paramref name="physicalType"/> (<see cref="ParquetPhysicalType"/>: INT32, INT64, FLOAT or DOUBLE; any other
    /// is left to Parquet.Net). Present values go to <paramref name="dense"/> from 0 on; an INT32 column
    /// read into 16-bit values is narrowed. <paramref name="levels"/> is as for
    /// <see cref="ByteArrayChunkDecoder.TryDecode"/>. Returns the number of present values, or -1 when the chunk
    /// holds something only Parquet.Net decodes. Throws <see cref="InvalidDataException"/> when it is malformed.
    /// </summary>
    public static int TryDecode<T>(ReadOnlySpan<byte> chunk, int codec, int rows, Span<int> levels, Span<T> dense, int physicalType)
        where T : unmanaged
    {
        var (physicalBytes, integer) = physicalType switch
        {
            ParquetPhysicalType.Int32 => (4, true),
            ParquetPhysicalType.Int64 => (8, true),
            ParquetPhysicalType.Float => (4, false),
            ParquetPhysicalType.Double => (8, false),
            _ => (0, false),
        };
        var width = Unsafe.SizeOf<T>();
        if (physicalBytes is not (4 or 8) || (width != physicalBytes && !(width == sizeof(short) && physicalBytes == sizeof(int))) || !BitConverter.IsLittleEndian)
        {
            return -1;
        }

        if (!ChunkPageReader.HandlesCodec(codec))
        {
            return -1;
        }

        using var scratch = new PooledBuffer<byte>();
        var pages = new ChunkPageReader(chunk, codec, scratch);
        var row = 0;
        var count = 0;
        while (row < rows)
        {
            if (!pages.Next(out var header, out var body))
            {
                throw new InvalidDataException($"Column chunk ends after {row} of its {rows} rows.");
            }

            if (!ChunkPageReader.TryOpenDataPage(header, body, levels, row, rows, out var present, out var values))
            {
                return -1;
            }

            var target = dense.Slice(count, present);
            switch (header.Encoding)
            {
                case ParquetEncoding.Plain:
                    ReadPlain(values, physicalBytes, target);
                    break;
                case ParquetEncoding.DeltaBinaryPacked when integer:
                    ReadDelta(values, target);
                    break;
                default:
                    return -1;
            }

            row += header.ValueCount;
            count += present;
        }

        return count;
    }

    private static void ReadPlain<T>(ReadOnlySpan<byte> values, int physicalBytes, Span<T> target)
        where T : unmanaged
    {
        if ((long)target.Length * physicalBytes > values.Length)
        {
            throw new InvalidDataException("PLAIN values run past their data page.");
        }

        if (Unsafe.SizeOf<T>() == physicalBytes)
        {
            MemoryMarshal.Cast<byte, T>(values[..(target.Length * physicalBytes)]).CopyTo(target);
            return;
        }

        // 16-bit integers are stored as INT32.
        var wide = MemoryMarshal.Cast<byte, int>(values[..(target.Length * 4)]);
        var narrow = MemoryMarshal.Cast<T, short>(target);
        for (var i = 0; i < wide.Length; i++)
        {
            narrow[i] = unchecked((short)wide[i]);
        }
    }

    private static void ReadDelta<T>(ReadOnlySpan<byte> values, Span<T> target)
        where T : unmanaged
    {
        var at = 0;
        if (Unsafe.SizeOf<T>() == sizeof(long))
        {
            ParquetIntegerEncoding.ReadDelta(values, ref at, MemoryMarshal.Cast<T, long>(target));
            return;
        }

        if (Unsafe.SizeOf<T>() == sizeof(int))
        {
            ParquetIntegerEncoding.ReadDelta(values, ref at, MemoryMarshal.Cast<T, int>(target));
            return;
        }

        // 16-bit integers are stored as INT32: decoded wide, then narrowed.
        var wide = ArrayPool<long>.Shared.Rent(target.Length);
        try
        {
            var decoded = wide.AsSpan(0, target.Length);
            ParquetIntegerEncoding.ReadDelta(values, ref at, decoded);
            var shorts = MemoryMarshal.Cast<T, short>(target);
            for (var i = 0; i < decoded.Length; i++)
            {
                shorts[i] = unchecked((short)decoded[i]);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(wide);
        }
    }
}
