namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>Parquet's value encodings, numbered as the format's Encoding enum.</summary>
internal enum ParquetEncoding
{
    Plain = 0,

    /// <summary>The dictionary indices of format versions before 2.0; laid out as <see cref="RleDictionary"/>.</summary>
    PlainDictionary = 2,
    Rle = 3,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    RleDictionary = 8,
}
