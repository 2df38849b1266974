using System.IO.Compression;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>Compresses page bodies with a segment's codec into a reused buffer; one per writer (not thread-safe).</summary>
internal sealed class PageCompressor : IDisposable
{
    // Pages smaller than this are compressed without a probe: the probe would cost about as much.
    private const int ProbeThreshold = 64 * 1024;
    private const int ProbeBytes = 16 * 1024;

    private readonly SegmentCompression _compression;
    private readonly CompressionLevel _level;
    private readonly PooledBuffer<byte> _probe = new();
    private ZstdCompressor? _zstd;

    public PageCompressor(SegmentCompression compression, CompressionLevel level)
    {
        _compression = compression;
        _level = level;
    }

    /// <summary>The Parquet CompressionCodec number of the codec.</summary>
    public int Codec => _compression switch
    {
        SegmentCompression.None => ParquetCodec.Uncompressed,
        SegmentCompression.Snappy => ParquetCodec.Snappy,
        SegmentCompression.Gzip => ParquetCodec.Gzip,
        SegmentCompression.Zstd => ParquetCodec.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(_compression)),
    };

    /// <summary>
    /// Whether compressing <paramref name="page"/> pays: false when the codec is none, or when a slice from the
    /// middle of a large page (past its definition levels) shrinks by less than a sixteenth, as random ids and
    /// bit-packed values do.
    /// </summary>
    public bool IsWorthwhile(ReadOnlySpan<byte> page)
    {
        if (_compression == SegmentCompression.None)
        {
            return false;
        }

        if (page.Length < ProbeThreshold)
        {
            return true;
        }

        var sample = page.Slice((page.Length - ProbeBytes) / 2, ProbeBytes);
        Compress(sample, _probe);
        return _probe.Count < sample.Length - (sample.Length / 16);
    }

    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/> (reset first).</summary>
    public void Compress(ReadOnlySpan<byte> input, PooledBuffer<byte> output)
    {
        output.Reset();
        switch (_compression)
        {
            case SegmentCompression.None:
                output.Write(input);
                break;
            case SegmentCompression.Zstd:
                _zstd ??= new ZstdCompressor(ZstdLevel(_level));
                output.Advance(_zstd.Compress(input, output.GetSpan(Zstd.CompressBound(input.Length))));
                break;
            case SegmentCompression.Snappy:
                output.Advance(Snappier.Snappy.Compress(input, output.GetSpan(Snappier.Snappy.GetMaxCompressedLength(input.Length))));
                break;
            case SegmentCompression.Gzip:
                using (var memory = new MemoryStream())
                {
                    using (var gzip = new GZipStream(memory, _level, leaveOpen: true))
                    {
                        gzip.Write(input);
                    }

                    output.Write(memory.GetBuffer().AsSpan(0, (int)memory.Length));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input));
        }
    }

    /// <summary>Zstandard levels for the .NET effort names: 1 is zstd's fast strategy, 3 its default.</summary>
    private static int ZstdLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.Fastest or CompressionLevel.NoCompression => 1,
        CompressionLevel.SmallestSize => 19,
        _ => 3,
    };

    public void Dispose()
    {
        _zstd?.Dispose();
        _probe.Dispose();
    }
}
