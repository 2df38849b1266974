using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;
using Parquet;
using ParquetEncoding = Parquet.Meta.Encoding;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// Segment files come from LumaDB's own Parquet writer; these tests read them back with Parquet.Net's reader (an
/// independent implementation of the format) and pin the encodings the writer picks.
/// </summary>
public sealed class ParquetFileWriterTests : IDisposable
{
    private static readonly Schema TextSchema = new(
    [
        new Field("id", Int64Type.Default, nullable: false),
        new Field("service", StringType.Default, nullable: true),
        new Field("unique", StringType.Default, nullable: false),
        new Field("payload", BinaryType.Default, nullable: true),
    ], metadata: null);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Repeated_text_is_dictionary_encoded_unique_text_plain_and_both_read_back()
    {
        const int rows = 2_500;
        var schema = SegmentSchema.FromArrow(TextSchema, ["id"], null);
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 1_000 });
        var descriptor = await writer.WriteAsync(schema, [TextBatch(0, rows)]);
        var path = Path.Combine(_dir.Path, descriptor.FileName);

        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            Assert.Equal(3, parquet.RowGroupCount);
            foreach (var group in parquet.Metadata!.RowGroups)
            {
                var encodings = group.Columns.Select(c => c.MetaData!.Encodings).ToArray();
                Assert.Contains(ParquetEncoding.DELTA_BINARY_PACKED, encodings[0]);
                Assert.Contains(ParquetEncoding.RLE_DICTIONARY, encodings[1]);
                Assert.DoesNotContain(ParquetEncoding.RLE_DICTIONARY, encodings[2]);
                Assert.Contains(ParquetEncoding.RLE_DICTIONARY, encodings[3]);
                Assert.NotNull(group.Columns[1].MetaData!.DictionaryPageOffset);
            }
        }

        await using var reader = await SegmentReader.OpenAsync(path);
        var read = await Rows.ReadAllAsync(reader);
        var expected = TextBatch(0, rows);
        var row = 0;
        foreach (var batch in read)
        {
            for (var i = 0; i < batch.Length; i++, row++)
            {
                for (var c = 0; c < TextSchema.FieldsList.Count; c++)
                {
                    Assert.Equal(Rows.Cell(expected.Column(c), row), Rows.Cell(batch.Column(c), i));
                }
            }
        }

        Assert.Equal(rows, row);
    }

    [Fact]
    public async Task Text_statistics_of_dictionary_and_plain_chunks_prune_the_row_groups_they_exclude()
    {
        // Group g holds the repeated value "service-g" (a dictionary chunk, nulls included) and unique values that
        // start with "u{g}-" (a plain chunk).
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("service", StringType.Default, true), new Field("unique", StringType.Default, false)], metadata: null);
        var service = new StringArray.Builder();
        var unique = new StringArray.Builder();
        for (var r = 0; r < 3_000; r++)
        {
            if (r % 10 == 7)
            {
                service.AppendNull();
            }
            else
            {
                service.Append($"service-{r / 1_000}");
            }

            unique.Append($"u{r / 1_000}-{r:x8}");
        }

        var batch = new RecordBatch(schema, [new Int64Array.Builder().AppendRange(Enumerable.Range(0, 3_000).Select(i => (long)i)).Build(), service.Build(), unique.Build()], 3_000);
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 1_000 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(schema, ["id"], null), [batch]);

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        var found = await Rows.ReadAllAsync(reader, new SegmentScan { Predicates = [ColumnPredicate.Compare("service", CompareOp.Equal, "service-1")] });
        Assert.Equal(900, found.Sum(b => b.Length));
        Assert.Equal(2, reader.RowGroupsSkipped);
        found = await Rows.ReadAllAsync(reader, new SegmentScan { Predicates = [ColumnPredicate.Compare("unique", CompareOp.GreaterOrEqual, "u2-")] });
        Assert.Equal(1_000, found.Sum(b => b.Length));
        Assert.Equal(4, reader.RowGroupsSkipped);
    }

    [Fact]
    public async Task Delta_encoded_integers_keep_extremes_whose_differences_overflow()
    {
        // Key columns are delta-encoded; differences between these values overflow 32 and 64 bits and must wrap.
        // The leading id orders the rows, so the other key columns may hold anything.
        var schema = new Schema(
        [
            new Field("id", Int64Type.Default, nullable: false),
            new Field("k32", Int32Type.Default, nullable: false),
            new Field("k64", Int64Type.Default, nullable: false),
            new Field("ku64", UInt64Type.Default, nullable: false),
            new Field("at", new TimestampType(TimeUnit.Microsecond, "UTC"), nullable: true),
        ], metadata: null);
        int[] ints = [int.MinValue, int.MaxValue, 0, -1, int.MinValue, int.MinValue + 1, int.MaxValue, 7];
        long[] longs = [long.MinValue, long.MaxValue, 0, -1, long.MinValue, long.MaxValue - 1, 42, long.MinValue + 3];
        ulong[] ulongs = [ulong.MaxValue, 0, ulong.MaxValue / 2, (ulong.MaxValue / 2) + 1, 1, ulong.MaxValue - 1, 9, 0];
        const int rows = 1_000;
        var random = new Random(7);
        var k32 = new int[rows];
        var k64 = new long[rows];
        var ku64 = new ulong[rows];
        var at = new long?[rows];
        for (var i = 0; i < rows; i++)
        {
            k32[i] = i % 3 == 0 ? ints[i % ints.Length] : random.Next(int.MinValue, int.MaxValue);
            k64[i] = i % 3 == 0 ? longs[i % longs.Length] : random.NextInt64(long.MinValue, long.MaxValue);
            ku64[i] = i % 3 == 0 ? ulongs[i % ulongs.Length] : (ulong)random.NextInt64(long.MinValue, long.MaxValue);
            at[i] = i % 11 == 5 ? null : i % 2 == 0 ? Rows.EpochMicros + i : -Rows.EpochMicros - (i * 1_000_000L);
        }

        var times = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        foreach (var t in at)
        {
            if (t is { } micros)
            {
                times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
            }
            else
            {
                times.AppendNull();
            }
        }

        var batch = new RecordBatch(schema,
            [new Int64Array.Builder().AppendRange(Enumerable.Range(0, rows).Select(i => (long)i)).Build(), new Int32Array.Builder().AppendRange(k32).Build(), new Int64Array.Builder().AppendRange(k64).Build(), new UInt64Array.Builder().AppendRange(ku64).Build(), times.Build()], rows);
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 333 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(schema, ["id", "k32", "k64", "ku64"], "at"), [batch]);

        var path = Path.Combine(_dir.Path, descriptor.FileName);
        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            Assert.All(parquet.Metadata!.RowGroups, g => Assert.All(g.Columns, c => Assert.Contains(ParquetEncoding.DELTA_BINARY_PACKED, c.MetaData!.Encodings)));
        }

        await using var reader = await SegmentReader.OpenAsync(path);
        var read = await Rows.ReadAllAsync(reader);
        Assert.Equal(k32, read.SelectMany(b => ((Int32Array)b.Column(1)).Values.ToArray()));
        Assert.Equal(k64, read.SelectMany(b => ((Int64Array)b.Column(2)).Values.ToArray()));
        Assert.Equal(ku64, read.SelectMany(b => ((UInt64Array)b.Column(3)).Values.ToArray()));
        Assert.Equal(at, read.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((TimestampArray)b.Column(4)).IsNull(i) ? (long?)null : ((TimestampArray)b.Column(4)).GetValue(i))));
    }

    [Fact]
    public async Task Dictionary_indexes_and_levels_survive_runs_across_bit_packed_group_boundaries()
    {
        // Runs of one value of every length from 1 to 20, starting at every offset within a group of eight, with
        // nulls in runs too: the hybrid encoder switches between repeated runs and bit-packed groups throughout.
        var values = new List<string?>();
        var next = 0;
        for (var length = 1; length <= 20; length++)
        {
            for (var offset = 0; offset < 8; offset++)
            {
                var value = (next++ % 5) switch
                {
                    0 => null,
                    var k => $"v{k}-{length % 3}",
                };
                values.AddRange(Enumerable.Repeat(value, length));
                values.AddRange(Enumerable.Repeat<string?>($"x{offset % 2}", offset));
            }
        }

        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("text", StringType.Default, true)], metadata: null);
        var ids = new Int64Array.Builder().AppendRange(Enumerable.Range(0, values.Count).Select(i => (long)i)).Build();
        var text = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null)
            {
                text.AppendNull();
            }
            else
            {
                text.Append(value);
            }
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 1_000 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(schema, ["id"], null), [new RecordBatch(schema, [ids, text.Build()], values.Count)]);
        var path = Path.Combine(_dir.Path, descriptor.FileName);
        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            Assert.All(parquet.Metadata!.RowGroups, g => Assert.Contains(ParquetEncoding.RLE_DICTIONARY, g.Columns[1].MetaData!.Encodings));
        }

        await using var reader = await SegmentReader.OpenAsync(path);
        var read = (await Rows.ReadAllAsync(reader)).SelectMany(b => Enumerable.Range(0, b.Length).Select(i => (string?)Rows.Cell(b.Column(1), i))).ToList();
        Assert.Equal(values, read);
    }

    [Fact]
    public async Task File_schema_reads_back_as_the_segment_schema_it_was_written_from()
    {
        var schema = Rows.WideSegmentSchema();
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(schema, Rows.Wide(rows: 250, batchSize: 64));

        await using var parquet = await ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(250, parquet.Metadata!.NumRows);
        // Every field as the segment schema has it, except that text reads back as Parquet strings (annotated UTF8).
        Assert.Equal(
            schema.Columns.Select(c => (c.Name, c.Kind == SegmentColumnKind.Utf8 ? typeof(ReadOnlyMemory<char>) : c.ParquetField.ClrType, c.IsNullable)),
            parquet.Schema.GetDataFields().Select(f => (f.Name, f.ClrType, f.IsNullable)));
        Assert.Equal(
            parquet.Metadata.RowGroups.Select(g => g.Columns.Sum(c => c.MetaData!.TotalCompressedSize)),
            parquet.Metadata.RowGroups.Select(g => g.TotalCompressedSize!.Value));
        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(schema.Columns.Select(c => (c.Name, c.Kind, c.IsNullable)), reader.Schema.Columns.Select(c => (c.Name, c.Kind, c.IsNullable)));
    }

    [Fact]
    public async Task A_row_group_whose_optional_columns_are_all_null_reads_back()
    {
        // Chunks with no values at all: empty plain, dictionary and delta bodies behind definition levels of zeros.
        var ids = new Int64Array.Builder().AppendRange(Enumerable.Range(0, 20).Select(i => (long)i)).Build();
        var batch = Rows.Wide(rows: 20, batchSize: 20).Single();
        var allNull = new RecordBatch(Rows.WideSchema, [ids, .. Enumerable.Range(1, batch.ColumnCount - 1).Select(c => NullsLike(batch.Column(c)))], 20);
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 10 });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), [allNull]);

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        var read = await Rows.ReadAllAsync(reader);
        Assert.Equal(20, read.Sum(b => b.Length));
        Assert.All(read, b => Assert.All(Enumerable.Range(1, b.ColumnCount - 1), c => Assert.Equal(b.Length, b.Column(c).NullCount)));
    }

    private static IArrowArray NullsLike(IArrowArray array)
    {
        var data = array.Data;
        var validity = new byte[(data.Length + 7) / 8];
        return ArrowArrayFactory.BuildArray(new ArrayData(data.DataType, data.Length, data.Length, 0, [new ArrowBuffer(validity), .. data.Buffers.Skip(1)]));
    }

    [Theory]
    [InlineData(SegmentCompression.None)]
    [InlineData(SegmentCompression.Snappy)]
    [InlineData(SegmentCompression.Gzip)]
    [InlineData(SegmentCompression.Zstd)]
    public async Task Every_codec_writes_pages_parquet_net_decompresses(SegmentCompression compression)
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100, Compression = compression });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows: 300, batchSize: 64));

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Rows.AssertWide(await Rows.ReadAllAsync(reader), 300);
    }

    [Fact]
    public async Task Chunks_that_do_not_compress_are_stored_as_they_are_and_read_back_beside_compressed_ones()
    {
        const int rows = 20_000;
        var schema = new Schema(
        [
            new Field("id", Int64Type.Default, nullable: false),
            new Field("random", BinaryType.Default, nullable: false),
            new Field("message", StringType.Default, nullable: false),
        ], metadata: null);
        var random = new Random(7);
        var ids = new Int64Array.Builder();
        var blobs = new BinaryArray.Builder();
        var messages = new StringArray.Builder();
        var expectedBlobs = new List<byte[]>();
        for (var i = 0; i < rows; i++)
        {
            var blob = new byte[16];
            random.NextBytes(blob);
            expectedBlobs.Add(blob);
            ids.Append(i);
            blobs.Append(blob.AsSpan());
            messages.Append($"request {i} finished in {i % 100} ms with status 200");
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = rows });
        var descriptor = await writer.WriteAsync(
            SegmentSchema.FromArrow(schema, ["id"], null), [new RecordBatch(schema, [ids.Build(), blobs.Build(), messages.Build()], rows)]);
        var path = Path.Combine(_dir.Path, descriptor.FileName);

        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            var chunks = parquet.Metadata!.RowGroups.Single().Columns;
            Assert.Equal(Parquet.Meta.CompressionCodec.UNCOMPRESSED, chunks[1].MetaData!.Codec);
            Assert.Equal(Parquet.Meta.CompressionCodec.ZSTD, chunks[2].MetaData!.Codec);
            Assert.True(chunks[2].MetaData!.TotalCompressedSize * 4 < chunks[2].MetaData!.TotalUncompressedSize);
        }

        await using (var reader = await SegmentReader.OpenAsync(path))
        {
            var batch = (await Rows.ReadAllAsync(reader)).Single();
            Assert.Equal(rows, batch.Length);
            var readBlobs = (BinaryArray)batch.Column(1);
            var readMessages = (StringArray)batch.Column(2);
            for (var i = 0; i < rows; i++)
            {
                Assert.Equal(expectedBlobs[i], readBlobs.GetBytes(i).ToArray());
                Assert.Equal($"request {i} finished in {i % 100} ms with status 200", readMessages.GetString(i));
            }
        }

        using var duck = OpenDuckDb();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(DISTINCT random), sum(strlen(message))::BIGINT FROM {ReadParquet(path)}";
        using var counts = command.ExecuteReader();
        Assert.True(counts.Read());
        Assert.Equal((long)expectedBlobs.Select(Convert.ToHexString).Distinct().Count(), counts.GetInt64(0));
        Assert.Equal(Enumerable.Range(0, rows).Sum(i => (long)$"request {i} finished in {i % 100} ms with status 200".Length), counts.GetInt64(1));
    }

    [Fact]
    public async Task An_int64_column_in_near_order_is_delta_encoded_and_a_random_one_stays_plain()
    {
        const int rows = 5_000;
        var schema = new Schema(
        [
            new Field("id", Int64Type.Default, nullable: false),
            new Field("nanos", Int64Type.Default, nullable: true),
            new Field("noise", Int64Type.Default, nullable: false),
        ], metadata: null);
        var random = new Random(11);
        var nanos = new long?[rows];
        var noise = new long[rows];
        var at = 1_780_000_000_000_000_000L;
        for (var i = 0; i < rows; i++)
        {
            // Log-record times under a time key: rising by up to a millisecond, now and then a little back.
            at += random.Next(-20_000, 1_000_000);
            nanos[i] = i % 97 == 0 ? null : at;
            noise[i] = random.NextInt64(long.MinValue, long.MaxValue);
        }

        var ids = new Int64Array.Builder();
        var nanoColumn = new Int64Array.Builder();
        var noiseColumn = new Int64Array.Builder();
        for (var i = 0; i < rows; i++)
        {
            ids.Append(i);
            nanoColumn.Append(nanos[i]);
            noiseColumn.Append(noise[i]);
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 2_000 });
        var descriptor = await writer.WriteAsync(
            SegmentSchema.FromArrow(schema, ["id"], null), [new RecordBatch(schema, [ids.Build(), nanoColumn.Build(), noiseColumn.Build()], rows)]);
        var path = Path.Combine(_dir.Path, descriptor.FileName);

        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            Assert.All(parquet.Metadata!.RowGroups, g =>
            {
                Assert.Contains(ParquetEncoding.DELTA_BINARY_PACKED, g.Columns[1].MetaData!.Encodings);
                Assert.DoesNotContain(ParquetEncoding.DELTA_BINARY_PACKED, g.Columns[2].MetaData!.Encodings);
            });
        }

        await using (var reader = await SegmentReader.OpenAsync(path))
        {
            var read = await Rows.ReadAllAsync(reader);
            Assert.Equal(nanos, read.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((Int64Array)b.Column(1)).GetValue(i))).ToArray());
            Assert.Equal(noise, read.SelectMany(b => ((Int64Array)b.Column(2)).Values.ToArray()).ToArray());
        }

        using var duck = OpenDuckDb();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT sum(nanos::HUGEINT)::VARCHAR, count(nanos), max(noise) FROM {ReadParquet(path)}";
        using var sums = command.ExecuteReader();
        Assert.True(sums.Read());
        Assert.Equal(nanos.Where(n => n.HasValue).Aggregate(System.Numerics.BigInteger.Zero, (sum, n) => sum + n!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), sums.GetString(0));
        Assert.Equal(nanos.Count(n => n.HasValue), sums.GetInt64(1));
        Assert.Equal(noise.Max(), sums.GetInt64(2));
    }

    [Fact]
    public async Task DuckDB_reads_every_column_of_a_segment_file()
    {
        // A second, stricter reader of the format: DuckDB's own Parquet reader, over dictionary, delta and plain
        // chunks with nulls, across row groups.
        const int rows = 777;
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows, batchSize: 64));
        var path = Path.Combine(_dir.Path, descriptor.FileName);

        using var duck = OpenDuckDb();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT id, flag, small, medium, real32, real64, name, blob, \"at\" FROM {ReadParquet(path)} ORDER BY id";
        using var reader = command.ExecuteReader();
        var row = 0L;
        while (reader.Read())
        {
            var expected = Rows.WideRow(row);
            Assert.Equal(row, reader.GetInt64(0));
            if (expected[1] is null)
            {
                Assert.All(Enumerable.Range(1, 8), c => Assert.True(reader.IsDBNull(c)));
            }
            else
            {
                Assert.Equal(expected[1], reader.GetBoolean(1));
                Assert.Equal(expected[2], reader.GetInt16(2));
                Assert.Equal(expected[3], reader.GetInt32(3));
                Assert.Equal(expected[4], reader.GetFloat(4));
                Assert.Equal(expected[5], reader.GetDouble(5));

                // Text carries the UTF8 annotation, so DuckDB reads it as VARCHAR.
                Assert.Equal(expected[6], reader.GetString(6));
                Assert.Equal(expected[7], Blob(reader, 7));
                Assert.Equal(expected[8], reader.GetInt64(8));
            }

            row++;
        }

        Assert.Equal(rows, row);

        // Dictionary-encoded text with nulls, read back whole by DuckDB.
        var text = await writer.WriteAsync(SegmentSchema.FromArrow(TextSchema, ["id"], null), [TextBatch(0, 2_500)]);
        using var dictionary = duck.CreateCommand();
        dictionary.CommandText = $"SELECT count(*), count(service), count(DISTINCT service), count(payload), sum(octet_length(payload))::BIGINT, string_agg(DISTINCT service, ',' ORDER BY service) FROM {ReadParquet(Path.Combine(_dir.Path, text.FileName))}";
        using var counts = dictionary.ExecuteReader();
        Assert.True(counts.Read());
        var batch = TextBatch(0, 2_500);
        var service = (StringArray)batch.Column(1);
        var payload = (BinaryArray)batch.Column(3);
        Assert.Equal(2_500L, counts.GetInt64(0));
        Assert.Equal((long)(2_500 - service.NullCount), counts.GetInt64(1));
        Assert.Equal(9L, counts.GetInt64(2));
        Assert.Equal((long)(2_500 - payload.NullCount), counts.GetInt64(3));
        Assert.Equal(Enumerable.Range(0, 2_500).Where(i => !payload.IsNull(i)).Sum(i => (long)payload.GetBytes(i).Length), counts.GetInt64(4));
        Assert.Equal(string.Join(',', Enumerable.Range(0, 9).Select(i => $"service-{i}")), counts.GetString(5));
    }

    /// <summary>An in-memory DuckDB, the second reader these tests check files with.</summary>
    private static DuckDB.NET.Data.DuckDBConnection OpenDuckDb()
    {
        var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duck.Open();
        return duck;
    }

    /// <summary>DuckDB's table function over one Parquet file, the path quoted as a SQL literal.</summary>
    private static string ReadParquet(string path) => $"read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')";

    private static byte[] Blob(System.Data.Common.DbDataReader reader, int column)
    {
        using var stream = reader.GetStream(column);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static RecordBatch TextBatch(int start, int rows)
    {
        var id = new Int64Array.Builder();
        var service = new StringArray.Builder();
        var unique = new StringArray.Builder();
        var payload = new BinaryArray.Builder();
        for (var r = start; r < start + rows; r++)
        {
            id.Append(r);
            if (r % 13 == 4)
            {
                service.AppendNull();
            }
            else
            {
                service.Append($"service-{r % 9}");
            }

            unique.Append($"{r:x8}-{r * 2654435761L:x16}");
            if (r % 5 == 0)
            {
                payload.AppendNull();
            }
            else
            {
                payload.Append(r % 3 == 0 ? ReadOnlySpan<byte>.Empty : [(byte)(r % 4), 0, 255]);
            }
        }

        return new RecordBatch(TextSchema, [id.Build(), service.Build(), unique.Build(), payload.Build()], rows);
    }
}
