using System.Buffers.Binary;
using System.Diagnostics;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Walks the pages of one flat column chunk from its stored bytes, decompressing each page body into pooled scratch:
/// the shared part of the chunk decoders that bypass Parquet.Net (<see cref="ByteArrayChunkDecoder"/>,
/// <see cref="FixedWidthChunkDecoder"/>). Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ChunkPageReader
{
    // A page header claiming more than this is taken for corruption rather than allocated for.
    private const int MaxPageBytes = 1 << 30;

    [ThreadStatic]
    private static ZstdDecompressor? t_zstd;

    private readonly ReadOnlySpan<byte> _chunk;
    private readonly int _codec;
    private readonly PooledBuffer<byte> _scratch;
    private int _position;

    /// <summary>A reader over <paramref name="chunk"/>; its callers have checked <see cref="HandlesCodec"/> first.</summary>
    public ChunkPageReader(ReadOnlySpan<byte> chunk, int codec, PooledBuffer<byte> scratch)
    {
        Debug.Assert(HandlesCodec(codec), $"Compression codec {codec} is not decompressed here.");
        _chunk = chunk;
        _codec = codec;
        _scratch = scratch;
    }

    /// <summary>Whether pages of codec <paramref name="codec"/> (Parquet's CompressionCodec number) are decompressed here.</summary>
    public static bool HandlesCodec(int codec) => codec is ParquetCodec.Uncompressed or ParquetCodec.Snappy or ParquetCodec.Zstd;

    /// <summary>
    /// Reads the next page other than an index page: its header and its uncompressed body, valid until the next
    /// call. False when the chunk has no more pages.
    /// </summary>
    public bool Next(out ParquetPageHeader header, out ReadOnlySpan<byte> body)
    {
        while (_position < _chunk.Length)
        {
            header = ParquetPageHeader.Read(_chunk[_position..]);
            _position += header.HeaderLength;
            if (header.CompressedSize > _chunk.Length - _position || header.UncompressedSize > MaxPageBytes)
            {
                throw new InvalidDataException("Parquet page runs past its column chunk or claims an implausible size.");
            }

            var stored = _chunk.Slice(_position, header.CompressedSize);
            _position += header.CompressedSize;
            if (header.Type == ParquetPageHeader.IndexPage)
            {
                continue;
            }

            body = _codec == ParquetCodec.Uncompressed ? stored : Decompress(stored, header.UncompressedSize);
            return true;
        }

        header = default;
        body = default;
        return false;
    }

    /// <summary>
    /// Opens a page that <see cref="Next"/> returned as a data page (v1) of a flat column whose rows
    /// [<paramref name="row"/>, ...) of <paramref name="rows"/> it holds: reads its definition levels into
    /// <paramref name="levels"/> (the whole chunk's; empty for a required column) and gives the rows present and
    /// the encoded values. False when the page is of another type or its levels are encoded in a way left to
    /// Parquet.Net.
    /// </summary>
    public static bool TryOpenDataPage(
        in ParquetPageHeader header, ReadOnlySpan<byte> body, Span<int> levels, int row, int rows, out int present, out ReadOnlySpan<byte> values)
    {
        present = 0;
        values = default;
        if (header.Type != ParquetPageHeader.DataPage)
        {
            return false;
        }

        if (header.ValueCount > rows - row)
        {
            throw new InvalidDataException($"Column chunk's data pages hold more than its {rows} rows.");
        }

        var at = 0;
        present = header.ValueCount;
        if (!levels.IsEmpty)
        {
            if (header.DefinitionLevelEncoding != ParquetEncoding.Rle)
            {
                return false;
            }

            present = ReadLevels(body, levels.Slice(row, header.ValueCount), out at);
        }

        values = body[at..];
        return true;
    }

    /// <summary>
    /// Reads a data page's length-prefixed definition levels of a flat optional column into <paramref name="levels"/>
    /// (one per row of the page); returns the rows present, and in <paramref name="consumed"/> the bytes read.
    /// </summary>
    private static int ReadLevels(ReadOnlySpan<byte> body, Span<int> levels, out int consumed)
    {
        if (body.Length < 4)
        {
            throw new InvalidDataException("Data page ends inside its definition levels' length.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(body);
        if ((uint)length > (uint)(body.Length - 4))
        {
            throw new InvalidDataException("Definition levels run past their data page.");
        }

        ParquetIntegerEncoding.ReadHybrid(body.Slice(4, length), 1, levels);
        consumed = 4 + length;
        var present = 0;
        foreach (var level in levels)
        {
            present += level;
        }

        return present;
    }

    private readonly ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> stored, int size)
    {
        _scratch.Reset();
        var target = _scratch.GetSpan(size);
        int written;
        try
        {
            written = _codec == ParquetCodec.Zstd ? (t_zstd ??= new ZstdDecompressor()).Decompress(stored, target) : Snappier.Snappy.Decompress(stored, target);
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException("Parquet page does not decompress.", e);
        }

        if (written != size)
        {
            throw new InvalidDataException($"Parquet page decompressed to {written} bytes; its header says {size}.");
        }

        _scratch.Advance(size);
        return _scratch.WrittenSpan;
    }
}
