using LumaDB.Storage.Shards;
using Parquet;
using Parquet.Schema;

namespace LumaDB.Storage.Segments;

/// <summary>
/// One open row group of a segment file: its column chunks are read through Parquet.Net, or, for this engine's own
/// decoders (<see cref="ParquetFormat.ByteArrayChunkDecoder"/>, <see cref="ParquetFormat.FixedWidthChunkDecoder"/>),
/// as the chunk's stored bytes straight from the file.
/// </summary>
internal sealed class RowGroupColumns : IDisposable
{
    private readonly Stream _file;

    // The last chunk read; one buffer serves every column of the row group.
    private readonly PooledBuffer<byte> _stored = new();

    public RowGroupColumns(ParquetRowGroupReader parquet, Stream file)
    {
        Parquet = parquet;
        _file = file;
    }

    /// <summary>The row group as Parquet.Net reads it.</summary>
    public ParquetRowGroupReader Parquet { get; }

    /// <summary>
    /// Reads the stored pages of <paramref name="field"/>'s chunk (dictionary page first) when this engine's chunk
    /// decoders take its codec (<see cref="ParquetFormat.ChunkPageReader.HandlesCodec"/>): the chunk's Parquet
    /// CompressionCodec number and its bytes, valid until the next read of this row group. Codec -1 and no bytes
    /// when the row group has no such chunk, its metadata gives no byte range, or its codec is left to Parquet.Net.
    /// </summary>
    public async ValueTask<(int Codec, ReadOnlyMemory<byte> Stored)> ReadChunkAsync(DataField field, CancellationToken cancellationToken)
    {
        _stored.Reset();
        if (Parquet.GetMetadata(field)?.MetaData is not { } meta || !ParquetFormat.ChunkPageReader.HandlesCodec((int)meta.Codec))
        {
            return (-1, default);
        }

        var start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is { } dictionary and > 0 && dictionary < start)
        {
            start = dictionary;
        }

        var length = meta.TotalCompressedSize;
        if (start < 0 || length <= 0 || length > int.MaxValue)
        {
            return (-1, default);
        }

        var buffer = _stored.GetMemory((int)length);
        if (_file is FileStream file)
        {
            // Positional reads leave the stream's position, which Parquet.Net relies on, alone.
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await RandomAccess.ReadAsync(file.SafeFileHandle, buffer[read..], start + read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new InvalidDataException("Segment file ends inside a column chunk.");
                }

                read += n;
            }
        }
        else
        {
            _file.Seek(start, SeekOrigin.Begin);
            await _file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _stored.Advance(buffer.Length);
        return ((int)meta.Codec, _stored.WrittenMemory);
    }

    public void Dispose()
    {
        Parquet.Dispose();
        _stored.Dispose();
    }
}
