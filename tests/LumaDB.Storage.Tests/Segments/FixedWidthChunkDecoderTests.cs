using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Segments.ParquetFormat;
using Parquet;
using Parquet.Schema;
using Field = Apache.Arrow.Field;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// The fixed-width chunk decoder reads numeric chunks from the stored bytes, bypassing Parquet.Net. These tests
/// hold it to Parquet.Net's reading of the same chunks, in files of our writer (plain and delta-encoded, every
/// codec) and of Parquet.Net's.
/// </summary>
public sealed class FixedWidthChunkDecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(ChunkFiles.DecodedCodecs), MemberType = typeof(ChunkFiles))]
    public async Task Segment_numeric_chunks_decode_as_parquet_net_reads_them(SegmentCompression compression)
    {
        var schema = new Schema(
        [
            new Field("id", Int64Type.Default, nullable: false),
            new Field("small", Int16Type.Default, nullable: true),
            new Field("random32", Int32Type.Default, nullable: false),
            new Field("near_order", Int64Type.Default, nullable: true),
            new Field("unsigned", UInt64Type.Default, nullable: false),
            new Field("ratio", FloatType.Default, nullable: true),
            new Field("value", DoubleType.Default, nullable: false),
            new Field("time", new TimestampType(TimeUnit.Microsecond, "UTC"), nullable: false),
        ], metadata: null);
        var random = new Random(23);
        const int rows = 9_000;
        var id = new Int64Array.Builder();
        var small = new Int16Array.Builder();
        var random32 = new Int32Array.Builder();
        var nearOrder = new Int64Array.Builder();
        var unsigned = new UInt64Array.Builder();
        var ratio = new FloatArray.Builder();
        var value = new DoubleArray.Builder();
        var time = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var start = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);
        for (var r = 0; r < rows; r++)
        {
            id.Append(r);
            if (r % 6 == 1)
            {
                small.AppendNull();
            }
            else
            {
                small.Append((short)random.Next(short.MinValue, short.MaxValue));
            }

            random32.Append(r % 100 == 0 ? int.MinValue : random.Next(int.MinValue, int.MaxValue));
            if (r % 9 == 4)
            {
                nearOrder.AppendNull();
            }
            else
            {
                nearOrder.Append(1_764_000_000_000_000_000L + (r * 1_000_000L) + random.Next(-500, 500));
            }

            unsigned.Append(r % 50 == 0 ? ulong.MaxValue : (ulong)random.NextInt64());
            if (r % 4 == 0)
            {
                ratio.AppendNull();
            }
            else
            {
                ratio.Append((float)random.NextDouble());
            }

            value.Append(Math.Round(random.NextDouble() * 1000, 2));
            time.Append(start.AddMilliseconds(r * 15));
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 4_000, Compression = compression });
        var descriptor = await writer.WriteAsync(
            SegmentSchema.FromArrow(schema, ["id"], "time"),
            [new RecordBatch(schema, [id.Build(), small.Build(), random32.Build(), nearOrder.Build(), unsigned.Build(), ratio.Build(), value.Build(), time.Build()], rows)]);

        var path = Path.Combine(_dir.Path, descriptor.FileName);
        var decoded = await ChunkFiles.SumOverRowGroupsAsync(path, async (group, fields) =>
            (await CheckAsync<long>(group, Named(fields, "id"), ParquetPhysicalType.Int64) ? 1 : 0)
            + (await CheckAsync<short>(group, Named(fields, "small"), ParquetPhysicalType.Int32) ? 1 : 0)
            + (await CheckAsync<int>(group, Named(fields, "random32"), ParquetPhysicalType.Int32) ? 1 : 0)
            + (await CheckAsync<long>(group, Named(fields, "near_order"), ParquetPhysicalType.Int64) ? 1 : 0)
            + (await CheckAsync<ulong>(group, Named(fields, "unsigned"), ParquetPhysicalType.Int64) ? 1 : 0)
            + (await CheckAsync<float>(group, Named(fields, "ratio"), ParquetPhysicalType.Float) ? 1 : 0)
            + (await CheckAsync<double>(group, Named(fields, "value"), ParquetPhysicalType.Double) ? 1 : 0)
            + (await CheckAsync<long>(group, Named(fields, "time"), ParquetPhysicalType.Int64) ? 1 : 0));

        Assert.Equal(8 * 3, decoded);

        // And through the segment reader, which now decodes every one of these columns itself.
        await using var reader = await SegmentReader.OpenAsync(path);
        var batches = await Rows.ReadAllAsync(reader);
        Assert.Equal(rows, batches.Sum(b => b.Length));
    }

    [Theory]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.Snappy)]
    [InlineData(CompressionMethod.None)]
    public async Task Chunks_parquet_net_writes_decode_as_it_reads_them(CompressionMethod compression)
    {
        var path = Path.Combine(_dir.Path, $"numbers-{compression}.parquet");
        var counts = new DataField<int?>("count");
        var totals = new DataField<long>("total");
        var ratios = new DataField<double?>("ratio");
        var random = new Random(9);
        await using (var output = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(
                new ParquetSchema(counts, totals, ratios), output, new ParquetOptions { CompressionMethod = compression, DictionaryEncodingThreshold = 0 });
            for (var g = 0; g < 2; g++)
            {
                const int count = 3_000;
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<int>(counts, Enumerable.Range(0, count).Select(i => i % 5 == 2 ? (int?)null : random.Next()).ToArray().AsMemory());
                await group.WriteAsync<long>(totals, Enumerable.Range(0, count).Select(_ => random.NextInt64()).ToArray().AsMemory());
                await group.WriteAsync<double>(ratios, Enumerable.Range(0, count).Select(i => i % 3 == 0 ? (double?)null : random.NextDouble()).ToArray().AsMemory());
            }
        }

        var decoded = await ChunkFiles.SumOverRowGroupsAsync(path, async (group, fields) =>
            (await CheckAsync<int>(group, Named(fields, "count"), ParquetPhysicalType.Int32) ? 1 : 0)
            + (await CheckAsync<long>(group, Named(fields, "total"), ParquetPhysicalType.Int64) ? 1 : 0)
            + (await CheckAsync<double>(group, Named(fields, "ratio"), ParquetPhysicalType.Double) ? 1 : 0));

        Assert.Equal(6, decoded);
    }

    private static DataField Named(DataField[] fields, string name) => fields.Single(f => f.Name == name);

    /// <summary>Decodes one chunk both ways and compares; false when the decoder leaves it to Parquet.Net.</summary>
    private static async Task<bool> CheckAsync<T>(RowGroupColumns group, DataField field, int physicalType)
        where T : unmanaged
    {
        var rows = checked((int)group.Parquet.RowCount);
        var expected = new T[rows];
        var expectedLevels = field.IsNullable ? new int[rows] : null;
        await group.Parquet.ReadRawAsync(field, expected.AsMemory(), expectedLevels is null ? (Memory<int>?)null : expectedLevels.AsMemory(), null, CancellationToken.None);

        var (codec, stored) = await group.ReadChunkAsync(field, CancellationToken.None);
        var values = new T[rows];
        var levels = field.IsNullable ? new int[rows] : [];
        var dense = FixedWidthChunkDecoder.TryDecode<T>(stored.Span, codec, rows, levels, values, physicalType);
        if (dense < 0)
        {
            return false;
        }

        var present = expectedLevels?.Count(l => l != 0) ?? rows;
        Assert.Equal(present, dense);
        Assert.Equal(expected.AsSpan(0, present).ToArray(), values.AsSpan(0, present).ToArray());
        if (expectedLevels is not null)
        {
            Assert.Equal(expectedLevels, levels);
        }

        return true;
    }
}
