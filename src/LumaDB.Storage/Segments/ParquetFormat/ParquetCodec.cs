namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>Parquet's CompressionCodec numbers for the codecs segments are written and read with.</summary>
internal static class ParquetCodec
{
    public const int Uncompressed = 0;
    public const int Snappy = 1;
    public const int Gzip = 2;
    public const int Zstd = 6;
}
