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

    public RowGroupColumns(ParquetRowGroupReader parquet, Stream file)
    {
        Parquet = parquet;
        _file = file;
    }

    /// <summary>The row group as Parquet.Net reads it.</summary>
    public ParquetRowGroupReader Parquet { get; }

    /// <summary>The Parquet CompressionCodec number of <paramref name="field"/>'s chunk, or -1 when the row group has none.</summary>
    public int ChunkCodec(DataField field) => Parquet.GetMetadata(field)?.MetaData is { } meta ? (int)meta.Codec : -1;

    /// <summary>
    /// Reads the stored pages of <paramref name="field"/>'s chunk (dictionary page first) into
    /// <paramref name="into"/> (reset first) and returns the chunk's Parquet CompressionCodec number, or -1 when
    /// the row group has no such chunk or its metadata gives no byte range.
    /// </summary>
    public async ValueTask<int> ReadChunkAsync(DataField field, PooledBuffer<byte> into, CancellationToken cancellationToken)
    {
        into.Reset();
        if (Parquet.GetMetadata(field)?.MetaData is not { } meta)
        {
            return -1;
        }

        var start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is { } dictionary and > 0 && dictionary < start)
        {
            start = dictionary;
        }

        var length = meta.TotalCompressedSize;
        if (start < 0 || length <= 0 || length > int.MaxValue)
        {
            return -1;
        }

        var buffer = into.GetMemory((int)length);
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

        into.Advance(buffer.Length);
        return (int)meta.Codec;
    }

    public void Dispose() => Parquet.Dispose();
}
