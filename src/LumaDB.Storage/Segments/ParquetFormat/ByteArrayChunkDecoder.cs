using System.Buffers.Binary;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Decodes a flat BYTE_ARRAY column chunk from its stored bytes into one buffer of the present values back to back
/// plus their offsets, and the definition levels of an optional column. Hand-written because Parquet.Net hands
/// byte-array values out as slices of a freshly allocated buffer per page, which large pages put on the large object
/// heap; here pages decompress into pooled scratch and values are copied once, into the column's own buffer.
/// Handles what this engine's writer and Parquet.Net's write: data pages v1 and a dictionary page, PLAIN,
/// RLE_DICTIONARY/PLAIN_DICTIONARY and DELTA_LENGTH_BYTE_ARRAY values, uncompressed, Zstandard or Snappy pages.
/// Anything else is left to Parquet.Net (<see cref="TryDecode"/> returns -1).
/// </summary>
internal static class ByteArrayChunkDecoder
{
    /// <summary>
    /// Decodes <paramref name="chunk"/> (the column chunk's pages, dictionary page first) of <paramref name="rows"/>
    /// rows, stored with Parquet CompressionCodec <paramref name="codec"/> (one <see cref="ChunkPageReader"/>
    /// handles). Present values go to <paramref name="data"/> from 0 on, and value i spans
    /// [offsets[i], offsets[i + 1]); both arrays are pooled and grown as needed. <paramref name="levels"/> receives
    /// a definition level per row (1 present, 0 null) for an optional column and is empty for a required one.
    /// Returns the number of present values, or -1 when the chunk holds something only Parquet.Net decodes (the
    /// outputs are then undefined). Throws <see cref="InvalidDataException"/> when the chunk is malformed.
    /// </summary>
    public static int TryDecode(ReadOnlySpan<byte> chunk, int codec, int rows, Span<int> levels, ref byte[] data, ref int[] offsets)
    {
        if (!ChunkPageReader.HandlesCodec(codec))
        {
            return -1;
        }

        using var scratch = new PooledBuffer<byte>();
        using var dictionary = new PooledBuffer<byte>();
        using var entries = new PooledBuffer<int>();
        using var numbers = new PooledBuffer<int>();
        var pages = new ChunkPageReader(chunk, codec, scratch);
        var row = 0;
        var dense = 0;
        var dataLength = 0;
        var dictionaryCount = -1;
        ColumnVector.Grow(ref offsets, rows + 1);
        offsets[0] = 0;
        while (row < rows)
        {
            if (!pages.Next(out var header, out var body))
            {
                throw new InvalidDataException($"Column chunk ends after {row} of its {rows} rows.");
            }

            if (header.Type == ParquetPageHeader.DictionaryPage)
            {
                if (header.Encoding is not (ParquetEncoding.Plain or ParquetEncoding.PlainDictionary))
                {
                    return -1;
                }

                // The page body is scratch the next page reuses: the dictionary keeps its own copy.
                dictionary.Reset();
                dictionary.Write(body);
                dictionaryCount = ReadDictionary(dictionary.WrittenSpan, header.ValueCount, entries);
                continue;
            }

            if (!ChunkPageReader.TryOpenDataPage(header, body, levels, row, rows, out var present, out var values))
            {
                return -1;
            }

            ColumnVector.Grow(ref offsets, dense + present + 1);
            switch (header.Encoding)
            {
                case ParquetEncoding.Plain:
                    dataLength = ReadPlain(values, present, ref data, dataLength, offsets.AsSpan(dense + 1, present));
                    break;
                case ParquetEncoding.RleDictionary or ParquetEncoding.PlainDictionary:
                    if (dictionaryCount < 0)
                    {
                        throw new InvalidDataException("Dictionary-encoded page without a dictionary page.");
                    }

                    dataLength = ReadIndexed(values, present, dictionary.WrittenSpan, entries.WrittenSpan, numbers, ref data, dataLength, offsets.AsSpan(dense + 1, present));
                    break;
                case ParquetEncoding.DeltaLengthByteArray:
                    dataLength = ReadDeltaLength(values, present, numbers, ref data, dataLength, offsets.AsSpan(dense + 1, present));
                    break;
                default:
                    return -1;
            }

            row += header.ValueCount;
            dense += present;
        }

        return dense;
    }

    /// <summary>Reads a PLAIN dictionary page: per value its start in the page and then its end go to <paramref name="entries"/>.</summary>
    private static int ReadDictionary(ReadOnlySpan<byte> page, int count, PooledBuffer<int> entries)
    {
        entries.Reset();
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var length = PlainLength(page, at);
            entries.Add(at + 4);
            at += 4 + length;
            entries.Add(at);
        }

        return count;
    }

    private static int ReadPlain(ReadOnlySpan<byte> values, int count, ref byte[] data, int dataLength, Span<int> ends)
    {
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var length = PlainLength(values, at);
            dataLength = Append(values.Slice(at + 4, length), ref data, dataLength);
            ends[i] = dataLength;
            at += 4 + length;
        }

        return dataLength;
    }

    private static int ReadIndexed(
        ReadOnlySpan<byte> values, int count, ReadOnlySpan<byte> dictionary, ReadOnlySpan<int> entries, PooledBuffer<int> numbers, ref byte[] data, int dataLength, Span<int> ends)
    {
        if (count == 0)
        {
            return dataLength;
        }

        if (values.IsEmpty)
        {
            throw new InvalidDataException("Dictionary-encoded page lacks its bit width.");
        }

        numbers.Reset();
        var indexes = numbers.GetSpan(count)[..count];
        ParquetIntegerEncoding.ReadHybrid(values[1..], values[0], indexes);
        var distinct = entries.Length / 2;

        // One pass for the size, so the values are copied into a buffer grown once.
        var total = 0L;
        foreach (var index in indexes)
        {
            if ((uint)index >= (uint)distinct)
            {
                throw new InvalidDataException($"Dictionary index {index} is past the dictionary's {distinct} values.");
            }

            total += entries[(2 * index) + 1] - entries[2 * index];
        }

        ColumnVector.Grow(ref data, DataLength(dataLength + total));
        for (var i = 0; i < indexes.Length; i++)
        {
            var start = entries[2 * indexes[i]];
            var value = dictionary[start..entries[(2 * indexes[i]) + 1]];
            value.CopyTo(data.AsSpan(dataLength));
            dataLength += value.Length;
            ends[i] = dataLength;
        }

        return dataLength;
    }

    private static int ReadDeltaLength(ReadOnlySpan<byte> values, int count, PooledBuffer<int> numbers, ref byte[] data, int dataLength, Span<int> ends)
    {
        numbers.Reset();
        var lengths = numbers.GetSpan(count)[..count];
        var at = 0;
        ParquetIntegerEncoding.ReadDelta(values, ref at, lengths);
        var total = 0L;
        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new InvalidDataException($"Byte-array length {length} is negative.");
            }

            total += length;
        }

        if (total > values.Length - at)
        {
            throw new InvalidDataException("Byte-array values run past their data page.");
        }

        // The values lie back to back after the lengths, as they do in the output: one copy.
        var start = dataLength;
        dataLength = Append(values.Slice(at, (int)total), ref data, dataLength);
        for (var i = 0; i < lengths.Length; i++)
        {
            start += lengths[i];
            ends[i] = start;
        }

        return dataLength;
    }

    private static int PlainLength(ReadOnlySpan<byte> values, int at)
    {
        if (values.Length - at < 4)
        {
            throw new InvalidDataException("PLAIN byte array ends inside its length.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(values[at..]);
        if ((uint)length > (uint)(values.Length - at - 4))
        {
            throw new InvalidDataException("PLAIN byte array runs past its page.");
        }

        return length;
    }

    private static int Append(ReadOnlySpan<byte> value, ref byte[] data, int dataLength)
    {
        ColumnVector.Grow(ref data, DataLength((long)dataLength + value.Length));
        value.CopyTo(data.AsSpan(dataLength));
        return dataLength + value.Length;
    }

    private static int DataLength(long length) =>
        length <= Array.MaxLength ? (int)length : throw new InvalidDataException("Column chunk's values exceed the largest buffer.");
}
