using System.Buffers.Binary;
using System.IO.Compression;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Writes a flat Parquet file: row groups of one column chunk per column, each chunk a data page (v1) after an
/// optional dictionary page, and the Thrift footer with the schema and key-value metadata. Hand-written because
/// Parquet.Net's writer takes byte-array values through a stream write each and dictionary-encodes text only as
/// .NET strings; here a chunk's values go from the column's own buffers into one page buffer. Files are read back
/// with Parquet.Net.
/// </summary>
internal sealed class ParquetFileWriter : IDisposable
{
    private const string CreatedBy = "LumaDB";

    // Parquet's ConvertedType numbers for the annotations written here.
    private const int ConvertedUtf8 = 0;
    private const int ConvertedUInt64 = 14;
    private const int ConvertedInt16 = 16;
    private const int ConvertedInt32 = 17;
    private const int ConvertedInt64 = 18;

    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _stream;
    private readonly SegmentSchema _schema;
    private readonly PageCompressor _compressor;
    private readonly PooledBuffer<byte> _compressed = new();
    private readonly PooledBuffer<byte> _header = new();
    private readonly ThriftCompactWriter _headerWriter;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private ColumnChunkMeta?[]? _current;
    private long _position;

    public ParquetFileWriter(Stream stream, SegmentSchema schema, SegmentCompression compression, CompressionLevel level)
    {
        _stream = stream;
        _schema = schema;
        _compressor = new PageCompressor(compression, level);
        _headerWriter = new ThriftCompactWriter(_header);
    }

    /// <summary>Scratch of the chunk being encoded; <see cref="WriteColumnChunkAsync"/> writes and resets it.</summary>
    public ColumnChunkBuffer Chunk { get; } = new();

    public void BeginRowGroup(int rows)
    {
        if (_current is not null)
        {
            throw new InvalidOperationException("The previous row group is not complete.");
        }

        _current = new ColumnChunkMeta[_schema.Columns.Count];
        _rowGroups.Add(new RowGroupMeta(rows, _current));
    }

    /// <summary>Writes <see cref="Chunk"/> as column <paramref name="column"/> of the current row group.</summary>
    public async ValueTask WriteColumnChunkAsync(int column, CancellationToken cancellationToken)
    {
        var chunks = _current ?? throw new InvalidOperationException("No row group is open.");
        if (_position == 0)
        {
            await WriteAsync(Magic, cancellationToken);
        }

        var chunk = Chunk;
        var start = _position;
        long? dictionaryOffset = null;
        long uncompressed = 0;

        // The codec is chosen per chunk: random ids and bit-packed times do not compress, so they are stored as
        // they are instead of costing a compressor pass on every write and a decompressor pass on every read.
        var largest = chunk.Dictionary.Count > chunk.Page.Count ? chunk.Dictionary : chunk.Page;
        var compress = _compressor.IsWorthwhile(largest.WrittenSpan);
        if (chunk.DictionaryCount > 0)
        {
            dictionaryOffset = _position;
            uncompressed += await WritePageAsync(chunk.Dictionary, chunk, dictionary: true, compress, cancellationToken);
        }

        var dataOffset = _position;
        uncompressed += await WritePageAsync(chunk.Page, chunk, dictionary: false, compress, cancellationToken);
        chunks[column] = new ColumnChunkMeta(
            start, dataOffset, dictionaryOffset, chunk.Rows, chunk.NullCount, chunk.ValueEncoding, compress ? _compressor.Codec : ParquetCodec.Uncompressed,
            uncompressed, _position - start);
        chunk.Reset();
    }

    public void EndRowGroup()
    {
        var chunks = _current ?? throw new InvalidOperationException("No row group is open.");
        if (Array.IndexOf(chunks, null) >= 0)
        {
            throw new InvalidOperationException("A row group needs a chunk for every column.");
        }

        _current = null;
    }

    /// <summary>Writes the footer (schema, row groups, <paramref name="metadata"/>) and the closing magic.</summary>
    public async ValueTask FinishAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (_current is not null || _rowGroups.Count == 0)
        {
            throw new InvalidOperationException("A file needs at least one complete row group.");
        }

        using var footer = new PooledBuffer<byte>();
        WriteFileMetaData(new ThriftCompactWriter(footer), metadata);
        var length = footer.Count;
        BinaryPrimitives.WriteInt32LittleEndian(footer.GetSpan(4), length);
        footer.Advance(4);
        footer.Write(Magic);
        await WriteAsync(footer.WrittenMemory, cancellationToken);
    }

    private async ValueTask<long> WritePageAsync(PooledBuffer<byte> body, ColumnChunkBuffer chunk, bool dictionary, bool compress, CancellationToken cancellationToken)
    {
        var stored = body;
        if (compress)
        {
            _compressor.Compress(body.WrittenSpan, _compressed);
            stored = _compressed;
        }

        _header.Reset();
        var w = _headerWriter;
        w.I32(1, dictionary ? ParquetPageHeader.DictionaryPage : ParquetPageHeader.DataPage);
        w.I32(2, body.Count);
        w.I32(3, stored.Count);
        if (dictionary)
        {
            w.BeginStruct(7);
            w.I32(1, chunk.DictionaryCount);
            w.I32(2, (int)ParquetEncoding.Plain);
            w.EndStruct();
        }
        else
        {
            w.BeginStruct(5);
            w.I32(1, chunk.Rows);
            w.I32(2, (int)chunk.ValueEncoding);
            w.I32(3, (int)ParquetEncoding.Rle);
            w.I32(4, (int)ParquetEncoding.Rle);
            w.EndStruct();
        }

        w.EndMessage();
        var headerBytes = _header.Count;
        await WriteAsync(_header.WrittenMemory, cancellationToken);
        await WriteAsync(stored.WrittenMemory, cancellationToken);
        return headerBytes + body.Count;
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(bytes, cancellationToken);
        _position += bytes.Length;
    }

    private void WriteFileMetaData(ThriftCompactWriter w, IReadOnlyDictionary<string, string> metadata)
    {
        w.I32(1, 1);
        w.BeginStructList(2, _schema.Columns.Count + 1);
        w.BeginStructValue();
        w.String(4, "root");
        w.I32(5, _schema.Columns.Count);
        w.EndStruct();
        foreach (var column in _schema.Columns)
        {
            WriteSchemaElement(w, column);
        }

        w.I64(3, _rowGroups.Sum(g => (long)g.Rows));
        w.BeginStructList(4, _rowGroups.Count);
        foreach (var group in _rowGroups)
        {
            WriteRowGroup(w, group);
        }

        if (metadata.Count > 0)
        {
            w.BeginStructList(5, metadata.Count);
            foreach (var (key, value) in metadata)
            {
                w.BeginStructValue();
                w.String(1, key);
                w.String(2, value);
                w.EndStruct();
            }
        }

        w.String(6, CreatedBy);
        w.EndMessage();
    }

    /// <summary>
    /// A leaf of the flat schema, typed as Parquet.Net types the fields it reads with (<see cref="SegmentColumn"/>),
    /// so that a file's schema reads back as the segment schema it was written from.
    /// </summary>
    private static void WriteSchemaElement(ThriftCompactWriter w, SegmentColumn column)
    {
        w.BeginStructValue();
        w.I32(1, ParquetPhysicalType.Of(column.Kind));
        w.I32(3, column.IsNullable ? 1 : 0);
        w.String(4, column.Name);
        switch (column.Kind)
        {
            case SegmentColumnKind.Int16:
                IntegerType(w, ConvertedInt16, 16, signed: true);
                break;
            case SegmentColumnKind.Int32:
                IntegerType(w, ConvertedInt32, 32, signed: true);
                break;
            case SegmentColumnKind.Int64:
            case SegmentColumnKind.TimestampMicros when !column.TimestampAsDateTime:
                IntegerType(w, ConvertedInt64, 64, signed: true);
                break;
            case SegmentColumnKind.UInt64:
                IntegerType(w, ConvertedUInt64, 64, signed: false);
                break;
            case SegmentColumnKind.Utf8:
                w.I32(6, ConvertedUtf8);
                w.BeginStruct(10);
                w.BeginStruct(1);
                w.EndStruct();
                w.EndStruct();
                break;
            case SegmentColumnKind.TimestampMicros:
                w.BeginStruct(10);
                w.BeginStruct(8);
                w.Bool(1, true);
                w.BeginStruct(2);
                w.BeginStruct(2);
                w.EndStruct();
                w.EndStruct();
                w.EndStruct();
                w.EndStruct();
                break;
            default:
                break;
        }

        w.EndStruct();
    }

    /// <summary>An integer's converted type (legacy readers) and its INTEGER logical type.</summary>
    private static void IntegerType(ThriftCompactWriter w, int convertedType, int bits, bool signed)
    {
        w.I32(6, convertedType);
        w.BeginStruct(10);
        w.BeginStruct(10);
        w.Byte(1, (sbyte)bits);
        w.Bool(2, signed);
        w.EndStruct();
        w.EndStruct();
    }

    private void WriteRowGroup(ThriftCompactWriter w, RowGroupMeta group)
    {
        w.BeginStructValue();
        w.BeginStructList(1, group.Chunks.Length);
        for (var c = 0; c < group.Chunks.Length; c++)
        {
            var chunk = group.Chunks[c]!;
            var column = _schema.Columns[c];
            w.BeginStructValue();
            w.I64(2, chunk.Start);
            w.BeginStruct(3);
            w.I32(1, ParquetPhysicalType.Of(column.Kind));
            ReadOnlySpan<int> encodings = chunk.DictionaryOffset is null
                ? [(int)chunk.Encoding, (int)ParquetEncoding.Rle]
                : [(int)ParquetEncoding.Plain, (int)ParquetEncoding.RleDictionary, (int)ParquetEncoding.Rle];
            w.I32List(2, encodings);
            w.StringList(3, [column.Name]);
            w.I32(4, chunk.Codec);
            w.I64(5, chunk.Rows);
            w.I64(6, chunk.UncompressedBytes);
            w.I64(7, chunk.CompressedBytes);
            w.I64(9, chunk.DataOffset);
            if (chunk.DictionaryOffset is { } dictionaryOffset)
            {
                w.I64(11, dictionaryOffset);
            }

            w.BeginStruct(12);
            w.I64(3, chunk.NullCount);
            w.EndStruct();
            w.EndStruct();
            w.EndStruct();
        }

        w.I64(2, group.Chunks.Sum(c => c!.UncompressedBytes));
        w.I64(3, group.Rows);
        w.I64(5, group.Chunks[0]!.Start);
        w.I64(6, group.Chunks.Sum(c => c!.CompressedBytes));
        w.EndStruct();
    }

    public void Dispose()
    {
        Chunk.Dispose();
        _compressor.Dispose();
        _compressed.Dispose();
        _header.Dispose();
    }

    private sealed record RowGroupMeta(int Rows, ColumnChunkMeta?[] Chunks);

    private sealed record ColumnChunkMeta(
        long Start, long DataOffset, long? DictionaryOffset, int Rows, int NullCount, ParquetEncoding Encoding, int Codec, long UncompressedBytes,
        long CompressedBytes);
}
