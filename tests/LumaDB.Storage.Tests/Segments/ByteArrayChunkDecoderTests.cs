using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Segments.ParquetFormat;
using Parquet;
using Parquet.Schema;
using Field = Apache.Arrow.Field;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// The byte-array chunk decoder reads text and binary chunks from the stored bytes, bypassing Parquet.Net. These
/// tests hold it to Parquet.Net's reading of the same chunks, in files of our writer and of Parquet.Net's, and pin
/// that malformed chunks fail as invalid data.
/// </summary>
public sealed class ByteArrayChunkDecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(ChunkFiles.DecodedCodecs), MemberType = typeof(ChunkFiles))]
    public async Task Segment_text_chunks_decode_as_parquet_net_reads_them(SegmentCompression compression)
    {
        var schema = new Schema(
        [
            new Field("id", Int64Type.Default, nullable: false),
            new Field("service", StringType.Default, nullable: true),
            new Field("unique", StringType.Default, nullable: false),
            new Field("sparse", StringType.Default, nullable: true),
            new Field("payload", BinaryType.Default, nullable: true),
        ], metadata: null);
        var random = new Random(11);
        var id = new Int64Array.Builder();
        var service = new StringArray.Builder();
        var unique = new StringArray.Builder();
        var sparse = new StringArray.Builder();
        var payload = new BinaryArray.Builder();
        const int rows = 7_000;
        for (var r = 0; r < rows; r++)
        {
            id.Append(r);
            if (random.Next(9) == 0)
            {
                service.AppendNull();
            }
            else
            {
                service.Append($"service-{random.Next(20)}");
            }

            unique.Append(r % 50 == 0 ? string.Empty : $"{r:x8}-{random.NextInt64():x16}-{new string('é', random.Next(5))}");
            if (random.Next(40) == 0)
            {
                sparse.Append($"rare-{r}");
            }
            else
            {
                sparse.AppendNull();
            }

            if (random.Next(4) == 0)
            {
                payload.AppendNull();
            }
            else
            {
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                payload.Append(bytes.AsSpan());
            }
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 3_000, Compression = compression });
        var descriptor = await writer.WriteAsync(
            SegmentSchema.FromArrow(schema, ["id"], null),
            [new RecordBatch(schema, [id.Build(), service.Build(), unique.Build(), sparse.Build(), payload.Build()], rows)]);

        var decoded = await DecodeEveryByteArrayChunkAsync(Path.Combine(_dir.Path, descriptor.FileName), "service", "unique", "sparse", "payload");
        Assert.Equal(4 * 3, decoded);
    }

    [Theory]
    [InlineData(CompressionMethod.Zstd, true)]
    [InlineData(CompressionMethod.Snappy, true)]
    [InlineData(CompressionMethod.None, true)]
    [InlineData(CompressionMethod.Zstd, false)]
    [InlineData(CompressionMethod.Gzip, true)]
    public async Task Chunks_parquet_net_writes_decode_as_it_reads_them(CompressionMethod compression, bool dictionary)
    {
        var path = Path.Combine(_dir.Path, $"parquet-net-{compression}-{dictionary}.parquet");
        var repeated = new DataField<string>("repeated", true);
        var distinct = new DataField<string>("distinct", false);
        var random = new Random(5);
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(
                new ParquetSchema(repeated, distinct), file, new ParquetOptions { CompressionMethod = compression, DictionaryEncodingThreshold = dictionary ? 0.8 : 0 });
            for (var g = 0; g < 2; g++)
            {
                var count = 2_000 + g;
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(repeated, Enumerable.Range(0, count).Select(i => i % 7 == 3 ? null! : $"value-{random.Next(6)}").ToArray());
                await group.WriteAsync(distinct, Enumerable.Range(0, count).Select(i => $"{g}-{i}-{random.Next()}").ToArray());
            }
        }

        var decoded = await DecodeEveryByteArrayChunkAsync(path, "repeated", "distinct");

        // Gzip pages are left to Parquet.Net; everything else is decoded here.
        Assert.Equal(compression == CompressionMethod.Gzip ? 0 : 4, decoded);
    }

    [Fact]
    public async Task A_truncated_or_corrupted_chunk_fails_as_invalid_data()
    {
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("text", StringType.Default, true)], metadata: null);
        var id = new Int64Array.Builder();
        var text = new StringArray.Builder();
        for (var r = 0; r < 2_000; r++)
        {
            id.Append(r);
            if (r % 11 == 0)
            {
                text.AppendNull();
            }
            else
            {
                text.Append(r % 3 == 0 ? $"common-{r % 4}" : $"row {r} says {r * 31}");
            }
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 2_000 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(schema, ["id"], null), [new RecordBatch(schema, [id.Build(), text.Build()], 2_000)]);
        byte[] chunk;
        int codec;
        await using (var file = File.OpenRead(Path.Combine(_dir.Path, descriptor.FileName)))
        await using (var parquet = await ParquetReader.CreateAsync(file, null, true))
        using (var group = new RowGroupColumns(parquet.OpenRowGroupReader(0), file))
        {
            (codec, var stored) = await group.ReadChunkAsync(parquet.Schema.DataFields[1], CancellationToken.None);
            chunk = stored.ToArray();
        }

        Assert.True(Decode(chunk, codec, 2_000, nullable: true, out _) >= 0);
        foreach (var cut in new[] { 0, 1, 5, chunk.Length / 3, chunk.Length / 2, chunk.Length - 1 })
        {
            Assert.Throws<InvalidDataException>(() => Decode(chunk[..cut], codec, 2_000, nullable: true, out _));
        }

        // Random byte flips either decode to something or fail as invalid data: never another exception.
        var random = new Random(3);
        for (var trial = 0; trial < 300; trial++)
        {
            var mutated = (byte[])chunk.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                Decode(mutated, codec, 2_000, nullable: true, out _);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void Page_headers_of_random_bytes_parse_or_fail_as_invalid_data()
    {
        var random = new Random(17);
        var failures = 0;
        for (var trial = 0; trial < 5_000; trial++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (trial % 4 == 0 && bytes.Length > 12)
            {
                // A struct field (id 5) whose first inner field claims a ten-byte varint: values past 32 bits.
                bytes[0] = 0x5C;
                bytes[1] = 0x15;
                bytes.AsSpan(2, 9).Fill(0xFF);
                bytes[11] = 0x01;
            }

            try
            {
                ParquetPageHeader.Read(bytes);
            }
            catch (InvalidDataException)
            {
                failures++;
            }
        }

        Assert.True(failures > 2_500, $"only {failures} of 5,000 random headers failed");
    }

    /// <summary>Decodes the chunks of <paramref name="columns"/> (byte arrays) the decoder takes and checks it against Parquet.Net; returns how many it took.</summary>
    private static Task<int> DecodeEveryByteArrayChunkAsync(string path, params string[] columns) =>
        ChunkFiles.SumOverRowGroupsAsync(path, async (group, fields) =>
        {
            var decoded = 0;
            foreach (var field in fields.Where(f => columns.Contains(f.Name)))
            {
                decoded += await CheckAsync(group, field) ? 1 : 0;
            }

            return decoded;
        });

    /// <summary>Decodes one byte-array chunk both ways and compares; false when the decoder leaves it to Parquet.Net.</summary>
    private static async Task<bool> CheckAsync(RowGroupColumns group, DataField field)
    {
        var rows = checked((int)group.Parquet.RowCount);
        var raw = new DataField<byte[]>(field.Name, field.IsNullable);
        _ = new ParquetSchema(raw);
        var expected = new ReadOnlyMemory<byte>[rows];
        var expectedLevels = field.IsNullable ? new int[rows] : null;
        await group.Parquet.ReadRawAsync(raw, expected.AsMemory(), expectedLevels is null ? (Memory<int>?)null : expectedLevels.AsMemory(), null, CancellationToken.None);

        var (codec, stored) = await group.ReadChunkAsync(field, CancellationToken.None);
        var dense = Decode(stored.ToArray(), codec, rows, field.IsNullable, out var values);
        if (dense < 0)
        {
            Assert.False(ChunkPageReader.HandlesCodec(codec), $"{field.Name} in a row group was left to Parquet.Net.");
            return false;
        }

        var present = expectedLevels is null ? rows : expectedLevels.Count(l => l != 0);
        Assert.Equal(present, dense);
        Assert.Equal(present, values.Length);
        var k = 0;
        for (var r = 0; r < rows; r++)
        {
            if (expectedLevels is not null && expectedLevels[r] == 0)
            {
                continue;
            }

            Assert.Equal(Convert.ToHexString(expected[k].Span), Convert.ToHexString(values[k]));
            k++;
        }

        return true;
    }

    /// <summary>Runs the decoder; <paramref name="values"/> gets the present values in order (empty when it declines).</summary>
    private static int Decode(byte[] chunk, int codec, int rows, bool nullable, out byte[][] values)
    {
        var data = System.Array.Empty<byte>();
        var offsets = System.Array.Empty<int>();
        var levels = nullable ? new int[rows] : [];
        var dense = ByteArrayChunkDecoder.TryDecode(chunk, codec, rows, levels, ref data, ref offsets);
        values = dense < 0 ? [] : Enumerable.Range(0, dense).Select(i => data[offsets[i]..offsets[i + 1]]).ToArray();
        if (dense >= 0 && nullable)
        {
            Assert.Equal(dense, levels.Count(l => l != 0));
        }

        return dense;
    }
}
