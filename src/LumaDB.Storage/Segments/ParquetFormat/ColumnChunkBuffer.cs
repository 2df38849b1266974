using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// One column chunk being encoded: the uncompressed body of its single data page (definition levels, then the
/// values) and, for dictionary encoding, the dictionary's plain-encoded values. Reused from chunk to chunk.
/// </summary>
internal sealed class ColumnChunkBuffer : IDisposable
{
    /// <summary>Body of the data page: length-prefixed definition levels (optional columns), then the values.</summary>
    public PooledBuffer<byte> Page { get; } = new();

    /// <summary>Plain-encoded dictionary values, when <see cref="DictionaryCount"/> is positive.</summary>
    public PooledBuffer<byte> Dictionary { get; } = new();

    /// <summary>Entries in the dictionary; 0 when the page holds its values directly.</summary>
    public int DictionaryCount { get; set; }

    /// <summary>Encoding of the values in the data page.</summary>
    public ParquetEncoding ValueEncoding { get; set; } = ParquetEncoding.Plain;

    /// <summary>Rows of the chunk, nulls included.</summary>
    public int Rows { get; set; }

    /// <summary>Null rows of the chunk.</summary>
    public int NullCount { get; set; }

    public void Reset()
    {
        Page.Reset();
        Dictionary.Reset();
        DictionaryCount = 0;
        ValueEncoding = ParquetEncoding.Plain;
        Rows = 0;
        NullCount = 0;
    }

    public void Dispose()
    {
        Page.Dispose();
        Dictionary.Dispose();
    }
}
