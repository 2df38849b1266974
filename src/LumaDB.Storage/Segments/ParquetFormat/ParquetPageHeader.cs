namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// The fields of a Parquet PageHeader a flat column's decoder needs: page type, body sizes and, for a data page
/// (v1) or a dictionary page, its value count and encodings. Other fields (CRC, statistics, page v2) are skipped.
/// </summary>
internal readonly record struct ParquetPageHeader(
    int Type, int UncompressedSize, int CompressedSize, int ValueCount, ParquetEncoding Encoding, ParquetEncoding DefinitionLevelEncoding, int HeaderLength)
{
    // Parquet's PageType numbers.
    public const int DataPage = 0;
    public const int IndexPage = 1;
    public const int DictionaryPage = 2;
    public const int DataPageV2 = 3;

    /// <summary>Reads the header at the start of <paramref name="source"/>; throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static ParquetPageHeader Read(ReadOnlySpan<byte> source)
    {
        var reader = new ThriftCompactReader(source);
        int type = -1, uncompressed = -1, compressed = -1, values = 0;
        ParquetEncoding encoding = ParquetEncoding.Plain, levels = ParquetEncoding.Rle;
        while (reader.NextField(out var id, out var fieldType))
        {
            switch (id)
            {
                case 1: type = reader.ReadI32(fieldType); break;
                case 2: uncompressed = reader.ReadI32(fieldType); break;
                case 3: compressed = reader.ReadI32(fieldType); break;
                case 5 or 7 when fieldType == ThriftCompactType.Struct:
                    // DataPageHeader (5) and DictionaryPageHeader (7) both start with the value count and encoding.
                    var outer = reader.BeginStruct();
                    while (reader.NextField(out var inner, out var innerType))
                    {
                        switch (inner)
                        {
                            case 1: values = reader.ReadI32(innerType); break;
                            case 2: encoding = (ParquetEncoding)reader.ReadI32(innerType); break;
                            case 3 when id == 5: levels = (ParquetEncoding)reader.ReadI32(innerType); break;
                            default: reader.Skip(innerType); break;
                        }
                    }

                    reader.EndStruct(outer);
                    break;
                default:
                    reader.Skip(fieldType);
                    break;
            }
        }

        if (type < 0 || uncompressed < 0 || compressed < 0 || values < 0)
        {
            throw new InvalidDataException("Parquet page header lacks its type or sizes.");
        }

        return new ParquetPageHeader(type, uncompressed, compressed, values, encoding, levels, reader.Position);
    }
}
