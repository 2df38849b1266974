using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

public sealed class SegmentWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_column_type_and_null_survives_a_round_trip()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows: 777, batchSize: 64));

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Rows.AssertWide(await Rows.ReadAllAsync(reader), 777);
    }

    [Fact]
    public async Task Segments_with_parquet_timestamp_columns_from_before_int64_timestamps_still_read()
    {
        // The layout older segments have: the time column as Parquet TIMESTAMP(MICROS), no int64-timestamp entry.
        var legacy = SegmentSchema.FromParquet(
            new Parquet.Schema.ParquetSchema(
                new Parquet.Schema.DataField<long>("series_id", false),
                new Parquet.Schema.DateTimeDataField("ts", Parquet.Schema.DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: Parquet.Schema.DateTimeTimeUnit.Micros, isNullable: false),
                new Parquet.Schema.DataField<double>("value", false)),
            ["series_id", "ts"],
            "ts",
            new HashSet<string>());
        Assert.True(legacy.Columns[1].TimestampAsDateTime);
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(legacy, Rows.Metrics(series: 3, perSeries: 150, batchSize: 64));

        await using (var parquet = await Parquet.ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName)))
        {
            Assert.IsType<Parquet.Schema.DateTimeDataField>(parquet.Schema.GetDataFields()[1]);
            Assert.DoesNotContain(SegmentFooter.Int64TimestampsKey, parquet.CustomMetadata.Keys);
        }

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(SegmentColumnKind.TimestampMicros, reader.Schema.Columns[1].Kind);
        var times = (await Rows.ReadAllAsync(reader)).SelectMany(b => ((TimestampArray)b.Column(1)).Values.ToArray()).ToArray();
        var expected = Rows.Metrics(series: 3, perSeries: 150, batchSize: 64).SelectMany(b => ((TimestampArray)b.Column(1)).Values.ToArray()).ToArray();
        Assert.Equal(expected, times);
        Assert.Equal(expected.Min(), descriptor.MinTimeMicros);
    }

    [Fact]
    public async Task New_segments_store_timestamps_as_int64_microseconds_named_in_the_footer()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(series: 3, perSeries: 150, batchSize: 64));

        await using (var parquet = await Parquet.ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName)))
        {
            Assert.Equal(typeof(long), parquet.Schema.GetDataFields()[1].ClrType);
            Assert.Equal("ts", parquet.CustomMetadata[SegmentFooter.Int64TimestampsKey]);
        }

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(SegmentColumnKind.TimestampMicros, reader.Schema.Columns[1].Kind);
        Assert.False(reader.Schema.Columns[1].TimestampAsDateTime);
        var times = (await Rows.ReadAllAsync(reader)).SelectMany(b => ((TimestampArray)b.Column(1)).Values.ToArray()).ToArray();
        Assert.Equal(Rows.Metrics(series: 3, perSeries: 150, batchSize: 64).SelectMany(b => ((TimestampArray)b.Column(1)).Values.ToArray()), times);
    }

    [Fact]
    public async Task New_segments_annotate_text_as_utf8_strings_for_other_readers_and_read_it_as_bytes()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows: 300, batchSize: 64));

        await using (var parquet = await Parquet.ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName)))
        {
            // "name" (text, position 6) is a BYTE_ARRAY with the UTF8 annotation; "blob" has none.
            Assert.Equal(typeof(ReadOnlyMemory<char>), parquet.Schema.GetDataFields()[6].ClrType);
            Assert.Equal(typeof(ReadOnlyMemory<byte>), parquet.Schema.GetDataFields()[7].ClrType);
            Assert.DoesNotContain(SegmentFooter.BinaryTextKey, parquet.CustomMetadata.Keys);
        }

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(SegmentColumnKind.Utf8, reader.Schema.Columns[6].Kind);
        Assert.Equal(SegmentColumnKind.Binary, reader.Schema.Columns[7].Kind);
        Assert.True(reader.Schema.Columns[6].TextAsString);
        var names = (await Rows.ReadAllAsync(reader)).SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(6)).GetString(i))).ToArray();
        Assert.Equal(Enumerable.Range(0, 300).Select(id => (string?)Rows.WideRow(id)[6]), names);
    }

    [Fact]
    public async Task Segments_with_unannotated_text_listed_in_the_binary_text_entry_still_read()
    {
        // The layout of the files written just before LumaDB wrote its own Parquet: text as BYTE_ARRAY without the
        // UTF8 annotation, its position in lumadb.binary_text. Parquet.Net writes one here, with the footer of a
        // segment of the same rows (text stored as binary: the same bytes and statistics).
        var asBinary = new Schema([new Field("id", Apache.Arrow.Types.Int64Type.Default, false), new Field("name", Apache.Arrow.Types.BinaryType.Default, true)], metadata: null);
        var texts = Enumerable.Range(0, 150).Select(i => i % 9 == 2 ? null : $"näme-{i:D3}").ToArray();
        var names = new BinaryArray.Builder();
        foreach (var text in texts)
        {
            if (text is null)
            {
                names.AppendNull();
            }
            else
            {
                names.Append(System.Text.Encoding.UTF8.GetBytes(text).AsSpan());
            }
        }

        var ids = new Int64Array.Builder().AppendRange(Enumerable.Range(0, 150).Select(i => (long)i)).Build();
        var batch = new RecordBatch(asBinary, [ids, names.Build()], 150);
        var template = await new SegmentWriter(_dir.Combine("template"), new SegmentWriterOptions { RowGroupSize = 150 })
            .WriteAsync(SegmentSchema.FromArrow(asBinary, ["id"], null), [batch]);
        string footer;
        await using (var parquet = await Parquet.ParquetReader.CreateAsync(_dir.Combine("template", template.FileName)))
        {
            footer = parquet.CustomMetadata[SegmentFooter.MetadataKey];
        }

        var fields = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<long>("id", false), new Parquet.Schema.DataField<byte[]>("name", true));
        var path = _dir.Combine("binary-text.parquet");
        await using (var file = File.Create(path))
        {
            await using var parquet = await Parquet.ParquetWriter.CreateAsync(fields, file);
            parquet.CustomMetadata = new Dictionary<string, string> { [SegmentFooter.MetadataKey] = footer, [SegmentFooter.BinaryTextKey] = "1" };
            using var group = parquet.CreateRowGroup();
            await group.WriteAllPartsAsync<long>((Parquet.Schema.DataField)fields[0], Enumerable.Range(0, 150).Select(i => (long)i).ToArray(), null, null, default);
            var present = texts.Where(t => t is not null).Select(t => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(t!)).ToArray();
            await group.WriteAllPartsAsync<ReadOnlyMemory<byte>>((Parquet.Schema.DataField)fields[1], present, texts.Select(t => t is null ? 0 : 1).ToArray(), null, default);
        }

        await using var reader = await SegmentReader.OpenAsync(path);
        Assert.Equal(SegmentColumnKind.Utf8, reader.Schema.Columns[1].Kind);
        Assert.False(reader.Schema.Columns[1].TextAsString);
        var read = await Rows.ReadAllAsync(reader);
        Assert.Equal(texts, read.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(1)).GetString(i))));
    }

    [Fact]
    public async Task Segments_with_parquet_string_columns_from_before_binary_text_still_read()
    {
        // The layout older segments have: text as Parquet UTF8 strings, no binary-text entry.
        var legacy = SegmentSchema.FromParquet(
            new Parquet.Schema.ParquetSchema(
                new Parquet.Schema.DataField<long>("id", false),
                new Parquet.Schema.DataField<string>("name", true),
                new Parquet.Schema.DataField<byte[]>("blob", true)),
            ["id"],
            null,
            new HashSet<string>());
        Assert.True(legacy.Columns[1].TextAsString);
        Assert.Equal(SegmentColumnKind.Binary, legacy.Columns[2].Kind);
        var texts = Enumerable.Range(0, 250).Select(i => i % 7 == 3 ? null : $"näme-{i}\u0000{new string('x', i % 40)}").ToArray();
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(legacy, Batches());

        await using (var parquet = await Parquet.ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName)))
        {
            Assert.Equal(typeof(ReadOnlyMemory<char>), parquet.Schema.GetDataFields()[1].ClrType);
            Assert.DoesNotContain(SegmentFooter.BinaryTextKey, parquet.CustomMetadata.Keys);
        }

        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(SegmentColumnKind.Utf8, reader.Schema.Columns[1].Kind);
        Assert.True(reader.Schema.Columns[1].TextAsString);
        var batches = await Rows.ReadAllAsync(reader);
        Assert.Equal(texts, batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(1)).GetString(i))));
        Assert.Equal(
            texts.Select(t => t is null ? null : System.Text.Encoding.UTF8.GetBytes(t)),
            batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => b.Column(2).IsNull(i) ? null : ((BinaryArray)b.Column(2)).GetBytes(i).ToArray())));

        IEnumerable<RecordBatch> Batches()
        {
            var id = new Int64Array.Builder();
            var name = new StringArray.Builder();
            var blob = new BinaryArray.Builder();
            for (var i = 0; i < texts.Length; i++)
            {
                id.Append(i);
                if (texts[i] is { } text)
                {
                    name.Append(text);
                    blob.Append(System.Text.Encoding.UTF8.GetBytes(text));
                }
                else
                {
                    name.AppendNull();
                    blob.AppendNull();
                }
            }

            yield return new RecordBatch(legacy.ArrowSchema, [id.Build(), name.Build(), blob.Build()], texts.Length);
        }
    }

    [Fact]
    public async Task Rows_are_cut_into_row_groups_of_the_configured_size_across_batch_boundaries()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(series: 7, perSeries: 150, batchSize: 33));

        Assert.Equal(1050, descriptor.RowCount);
        Assert.Equal(11, descriptor.RowGroups.Count);
        Assert.All(descriptor.RowGroups.Take(10), g => Assert.Equal(100, g.RowCount));
        Assert.Equal(50, descriptor.RowGroups[^1].RowCount);
        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Assert.Equal(11, reader.RowGroups.Count);
    }

    [Fact]
    public async Task Descriptor_carries_size_checksum_and_key_and_time_bounds()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var schema = Rows.MetricSegmentSchema();
        var descriptor = await writer.WriteAsync(schema, Rows.Metrics(series: 3, perSeries: 100, batchSize: 1000));

        var path = Path.Combine(_dir.Path, descriptor.FileName);
        Assert.Equal(new FileInfo(path).Length, descriptor.ByteSize);
        Assert.Equal(descriptor.Crc32C, await LumaDB.Storage.IO.Crc32C.ComputeFileAsync(path, default));
        Assert.Equal(Key(0, Rows.EpochMicros), descriptor.MinKey);
        Assert.Equal(Key(2, Rows.EpochMicros + 99_000_000), descriptor.MaxKey);
        Assert.Equal(Rows.EpochMicros, descriptor.MinTimeMicros);
        Assert.Equal(Rows.EpochMicros + 99_000_000, descriptor.MaxTimeMicros);
        Assert.Equal(Key(1, Rows.EpochMicros), descriptor.RowGroups[1].MinKey);
        Assert.Equal(Key(1, Rows.EpochMicros + 99_000_000), descriptor.RowGroups[1].MaxKey);
        Assert.Equal(Rows.EpochMicros, descriptor.RowGroups[1].MinTimeMicros);
    }

    [Fact]
    public async Task A_descriptor_rules_out_scans_outside_its_key_and_time_bounds()
    {
        var writer = new SegmentWriter(_dir.Path);
        var descriptor = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(series: 3, perSeries: 100, batchSize: 1000));
        var first = Rows.EpochMicros;
        var last = Rows.EpochMicros + 99_000_000;

        Assert.True(descriptor.MayMatch(SegmentScan.All));
        Assert.True(descriptor.MayMatch(new SegmentScan { Time = new TimeRange(last, last + 1) }));
        Assert.False(descriptor.MayMatch(new SegmentScan { Time = new TimeRange(last + 1, last + 1_000_000) }));
        Assert.False(descriptor.MayMatch(new SegmentScan { Time = new TimeRange(0, first) }));
        Assert.True(descriptor.MayMatch(new SegmentScan { Keys = new KeyRange(Key(2, 0), null) }));
        Assert.False(descriptor.MayMatch(new SegmentScan { Keys = new KeyRange(Key(3, 0), null) }));
        Assert.False(descriptor.MayMatch(new SegmentScan { Keys = new KeyRange(null, Key(0, first)) }));
    }

    [Fact]
    public async Task Rows_out_of_key_order_are_rejected_and_leave_no_file_behind()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 10 });
        var batches = Rows.Metrics(series: 2, perSeries: 20, batchSize: 20).Reverse();

        await Assert.ThrowsAsync<InvalidDataException>(() => writer.WriteAsync(Rows.MetricSegmentSchema(), batches));

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task A_batch_whose_types_differ_from_the_schema_is_rejected()
    {
        var writer = new SegmentWriter(_dir.Path);
        var wrong = Rows.Wide(10, 10);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(Rows.MetricSegmentSchema(), wrong));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task A_segment_opens_from_a_stream_as_well_as_from_a_path()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 64 });
        var descriptor = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(series: 2, perSeries: 100, batchSize: 50));

        var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir.Path, descriptor.FileName));
        await using var reader = await SegmentReader.OpenAsync(new MemoryStream(bytes));
        var ids = Rows.Int64Column(await Rows.ReadAllAsync(reader), "series_id");

        Assert.Equal(200, ids.Count);
        Assert.Equal(["series_id", "ts"], reader.Schema.KeyColumns.Select(i => reader.Schema.Columns[i].Name));
    }

    [Fact]
    public async Task An_empty_input_is_refused()
    {
        var writer = new SegmentWriter(_dir.Path);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Rows.MetricSegmentSchema(), System.Array.Empty<RecordBatch>()));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Rows_a_source_gives_a_few_at_a_time_fill_whole_row_groups()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        var source = new SlicedSource(Rows.Wide(rows: 777, batchSize: 64), rowsPerFill: 7);
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), source);

        Assert.NotNull(descriptor);
        Assert.Equal([100, 100, 100, 100, 100, 100, 100, 77], descriptor.RowGroups.Select(g => (int)g.RowCount));
        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        Rows.AssertWide(await Rows.ReadAllAsync(reader), 777);
    }

    [Fact]
    public async Task A_row_source_with_no_rows_writes_no_segment()
    {
        var writer = new SegmentWriter(_dir.Path);
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), new SlicedSource([], rowsPerFill: 7));

        Assert.Null(descriptor);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task A_row_source_that_leaves_a_row_partial_is_refused_and_leaves_no_file()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Rows.WideSegmentSchema(), new PartialRowSource()));
        Assert.Contains("holds", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    internal static byte[] Key(long series, long micros)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        KeyEncoding.WriteInt64(buffer, series);
        KeyEncoding.WriteTimestamp(buffer, micros);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Gives the rows of some batches a few at a time, as a flush or a merge gives rows between awaits.</summary>
    private sealed class SlicedSource(IEnumerable<RecordBatch> batches, int rowsPerFill) : ISegmentRowSource
    {
        private readonly Queue<RecordBatch> _batches = new(batches);
        private int _offset;

        public async ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (_batches.TryPeek(out var batch) && _offset == batch.Length)
            {
                _batches.Dequeue();
                _offset = 0;
            }

            if (!_batches.TryPeek(out batch))
            {
                return 0;
            }

            var take = Math.Min(Math.Min(rowsPerFill, maxRows), batch.Length - _offset);
            rows.AppendSlice(batch, _offset, take);
            _offset += take;
            return take;
        }
    }

    /// <summary>Appends a value to the first column only and claims a row.</summary>
    private sealed class PartialRowSource : ISegmentRowSource
    {
        private bool _done;

        public ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken)
        {
            if (_done)
            {
                return ValueTask.FromResult(0);
            }

            _done = true;
            rows.AppendValue(0, BitConverter.GetBytes(1L));
            return ValueTask.FromResult(1);
        }
    }
}
