using Parquet;

namespace LumaDB.Bench.Otlp;

/// <summary>Bytes and rows of the segment files of one table, found by the columns their Parquet schema names.</summary>
internal static class SegmentUsage
{
    public static async Task<(long Bytes, long Rows, int Files)> MeasureAsync(string dataDir, string distinctColumn, TextWriter? details = null)
    {
        long bytes = 0, rows = 0;
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(dataDir, "*.parquet", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            if (!reader.Schema.GetDataFields().Any(f => f.Name == distinctColumn))
            {
                continue;
            }

            bytes += stream.Length;
            rows += reader.Metadata?.NumRows ?? 0;
            files++;
            details?.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {Path.GetRelativePath(dataDir, path)}: {reader.Metadata?.NumRows ?? 0} rows, {stream.Length} bytes, written {File.GetLastWriteTimeUtc(path):HH:mm:ss.fff}"));
        }

        return (bytes, rows, files);
    }
}
