using LumaDB.Storage.Segments;
using Parquet;
using Parquet.Schema;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>Walks a Parquet file's row groups as the segment reader opens them, for the chunk decoder tests.</summary>
internal static class ChunkFiles
{
    /// <summary>The segment codecs whose chunks the decoders read themselves (the rest fall back to Parquet.Net).</summary>
    public static TheoryData<SegmentCompression> DecodedCodecs => [SegmentCompression.Zstd, SegmentCompression.Snappy, SegmentCompression.None];

    /// <summary>Runs <paramref name="check"/> on every row group of the file at <paramref name="path"/> (with the file's fields) and sums what it returns.</summary>
    public static async Task<int> SumOverRowGroupsAsync(string path, Func<RowGroupColumns, DataField[], Task<int>> check)
    {
        var sum = 0;
        await using var file = File.OpenRead(path);
        await using var parquet = await ParquetReader.CreateAsync(file, null, true);
        for (var g = 0; g < parquet.RowGroupCount; g++)
        {
            using var group = new RowGroupColumns(parquet.OpenRowGroupReader(g), file);
            sum += await check(group, parquet.Schema.DataFields);
        }

        return sum;
    }
}
