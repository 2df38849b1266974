using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Shards;

public sealed class RowCodecTests
{
    /// <summary>A table with a column of every kind, shared by the tests of the row's encodings.</summary>
    internal static readonly TableLayout Everything = new(
        9,
        [
            new TableColumn("b", SegmentColumnKind.Boolean),
            new TableColumn("i16", SegmentColumnKind.Int16),
            new TableColumn("i32", SegmentColumnKind.Int32),
            new TableColumn("i64", SegmentColumnKind.Int64),
            new TableColumn("u64", SegmentColumnKind.UInt64),
            new TableColumn("f32", SegmentColumnKind.Float32),
            new TableColumn("f64", SegmentColumnKind.Float64),
            new TableColumn("text", SegmentColumnKind.Utf8),
            new TableColumn("bin", SegmentColumnKind.Binary),
            new TableColumn("ts", SegmentColumnKind.TimestampMicros),
        ],
        [7, 3],
        timeColumn: 9);

    [Fact]
    public void Rows_round_trip_every_column_kind_and_null()
    {
        var row = new RowBuilder(Everything)
            .SetBoolean(0, true).SetInt16(1, -7).SetInt32(2, int.MinValue).SetInt64(3, long.MaxValue).SetUInt64(4, ulong.MaxValue)
            .SetFloat32(5, 1.5f).SetFloat64(6, -0.25).SetText(7, "héllo\0x").SetBytes(8, [0, 255]).SetTimestamp(9, -5)
            .ToArray();
        var codec = Everything.Codec;
        Assert.True(codec.GetBoolean(row, 0));
        Assert.Equal(-7, codec.GetInt64(row, 1));
        Assert.Equal(int.MinValue, codec.GetInt64(row, 2));
        Assert.Equal(long.MaxValue, codec.GetInt64(row, 3));
        Assert.Equal(ulong.MaxValue, codec.GetUInt64(row, 4));
        Assert.Equal(1.5, codec.GetFloat64(row, 5));
        Assert.Equal(-0.25, codec.GetFloat64(row, 6));
        Assert.Equal("héllo\0x", codec.GetText(row, 7));
        Assert.Equal(new byte[] { 0, 255 }, codec.GetBytes(row, 8).ToArray());
        Assert.Equal(-5, codec.GetInt64(row, 9));

        var nulls = new RowBuilder(Everything).SetText(7, "k").SetInt64(3, 1).ToArray();
        Assert.Equal(Everything.Codec.BitmapBytes + 4 + 1 + 8, nulls.Length);
        Assert.True(codec.IsNull(nulls, 0));
        Assert.False(codec.IsNull(nulls, 7));
        Assert.Equal("k", codec.GetText(nulls, 7));
    }

    [Fact]
    public void A_value_written_in_place_encodes_as_the_same_value_set_from_bytes()
    {
        var copied = new RowBuilder(Everything).SetInt64(3, 4).SetText(7, "k").SetBytes(8, "{\"a\":1}"u8).SetBytes(7, "key"u8).ToArray();

        var inPlace = new RowBuilder(Everything).SetInt64(3, 4).SetText(7, "k");
        var buffer = inPlace.BeginValue(8);
        buffer.Write("{\"a\""u8);
        buffer.Write(":1}"u8);
        inPlace.EndValue(8).SetBytes(7, "key"u8);

        Assert.Equal(copied, inPlace.ToArray());
        Assert.Equal("{\"a\":1}"u8.ToArray(), Everything.Codec.GetBytes(copied, 8).ToArray());
        Assert.Throws<ArgumentException>(() => inPlace.BeginValue(3));
    }

    [Fact]
    public void A_batch_put_from_a_builder_encodes_as_a_put_of_the_encoded_row()
    {
        var fromRows = new WriteBatch();
        var fromBuilders = new WriteBatch();
        var builder = new RowBuilder(Everything);
        foreach (var (text, number) in new[] { ("b", 2L), ("a", 1L), ("b", 2L), ("c", 0L) })
        {
            builder.Reset();
            builder.SetText(7, text).SetInt64(3, number).SetBytes(8, new byte[300]);
            fromRows.Put(Everything, builder.ToArray());
            fromBuilders.Put(builder);
        }

        var expectedLength = fromRows.Encode(out var expected);
        var actualLength = fromBuilders.Encode(out var actual);
        try
        {
            Assert.Equal(expected.AsSpan(0, expectedLength).ToArray(), actual.AsSpan(0, actualLength).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(expected);
            ArrayPool<byte>.Shared.Return(actual);
        }
    }

    [Fact]
    public void A_row_key_is_the_table_prefix_and_the_key_encoding_of_its_primary_key()
    {
        var row = new RowBuilder(Everything).SetText(7, "a\0b").SetInt64(3, -1).ToArray();
        var key = new ArrayBufferWriter<byte>();
        Everything.Codec.WriteKey(row, key);

        var expected = new ArrayBufferWriter<byte>();
        KeyEncoding.WriteUInt64(expected, 9);
        KeyEncoding.WriteText(expected, "a\0b");
        KeyEncoding.WriteInt64(expected, -1);
        Assert.Equal(expected.WrittenSpan.ToArray(), key.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_tombstone_row_carries_its_key_and_defaults_elsewhere()
    {
        var row = new RowBuilder(ShardTestKit.Tags).SetText(0, "t").SetInt32(1, 42).SetBoolean(2, true).ToArray();
        var key = new ArrayBufferWriter<byte>();
        ShardTestKit.Tags.Codec.WriteKey(row, key);

        var tombstone = new ArrayBufferWriter<byte>();
        ShardTestKit.Tags.Codec.WriteTombstoneRow(key.WrittenSpan, tombstone);
        var codec = ShardTestKit.Tags.Codec;
        Assert.Equal("t", codec.GetText(tombstone.WrittenSpan, 0));
        Assert.Equal(42, codec.GetInt64(tombstone.WrittenSpan, 1));
        Assert.True(codec.IsNull(tombstone.WrittenSpan, 2));
    }

    [Fact]
    public void A_non_nullable_column_without_a_value_is_refused()
    {
        var builder = new RowBuilder(ShardTestKit.Metrics).SetText(1, "no id");
        Assert.Throws<ArgumentException>(() => builder.ToArray());
        Assert.Throws<ArgumentException>(() => builder.SetInt32(0, 1));
    }

    [Fact]
    public void Layouts_refuse_reserved_names_and_bad_keys()
    {
        Assert.Throws<ArgumentException>(() => new TableLayout(1, [new TableColumn("_luma_seq", SegmentColumnKind.Int64)], [0]));
        Assert.Throws<ArgumentException>(() => new TableLayout(1, [new TableColumn("a", SegmentColumnKind.Int64)], []));
        Assert.Throws<ArgumentException>(() => new TableLayout(1, [new TableColumn("a", SegmentColumnKind.Int64)], [0], timeColumn: 0));
    }
    [Fact]
    public void Versions_appended_from_rows_and_from_arrow_columns_fill_the_same_segment_row_group()
    {
        // Every kind set, every kind null (key columns included), and text that is not ASCII.
        var rows = new[]
        {
            new RowBuilder(Everything)
                .SetBoolean(0, true).SetInt16(1, -7).SetInt32(2, int.MinValue).SetInt64(3, long.MaxValue).SetUInt64(4, ulong.MaxValue)
                .SetFloat32(5, 1.5f).SetFloat64(6, -0.25).SetText(7, "héllo\0x").SetBytes(8, [0, 255]).SetTimestamp(9, -5).ToArray(),
            new RowBuilder(Everything).SetTimestamp(9, 1).ToArray(),
            new RowBuilder(Everything).SetBoolean(0, false).SetText(7, "").SetBytes(8, []).SetInt64(3, -1).SetTimestamp(9, 2).ToArray(),
            new RowBuilder(Everything).SetFloat32(5, float.NaN).SetText(7, "zz").SetTimestamp(9, 3).ToArray(),
        };
        using var encoded = new RowBatchBuilder(Everything);
        foreach (var row in rows)
        {
            encoded.Append(row);
        }

        var views = new ArrowColumnView[Everything.Columns.Count];
        FillViews(encoded.Build(), views);
        var schema = Everything.SegmentSchema;
        var fromRowVectors = schema.Columns.Select(ColumnVector.Create).ToArray();
        var fromArrowVectors = schema.Columns.Select(ColumnVector.Create).ToArray();
        var fromRows = new SegmentRowGroup(schema, fromRowVectors);
        var fromArrow = new SegmentRowGroup(schema, fromArrowVectors);
        var codec = Everything.Codec;
        for (var i = 0; i < rows.Length; i++)
        {
            var keyFromRow = new ArrayBufferWriter<byte>();
            codec.WriteKey(rows[i], keyFromRow);
            var keyFromArrow = new ArrayBufferWriter<byte>();
            codec.WriteKeyFromArrow(views, i, keyFromArrow);
            Assert.Equal(keyFromRow.WrittenSpan.ToArray(), keyFromArrow.WrittenSpan.ToArray());

            codec.AppendVersion(rows[i], seq: (ulong)(10 + i), deleted: i == 2, fromRows);
            codec.AppendVersion(views, i, seq: (ulong)(10 + i), deleted: i == 2, fromArrow);
        }

        fromRows.CheckComplete();
        fromArrow.CheckComplete();
        var all = Enumerable.Range(0, rows.Length).ToArray();
        foreach (var vectors in new[] { fromRowVectors, fromArrowVectors })
        {
            var copy = new RecordBatch(schema.ArrowSchema, vectors.Select(v => v.ToArrow(all)), rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                var again = new ArrayBufferWriter<byte>();
                codec.EncodeFromArrow(copy, i, new RowBuilder(Everything), again);
                Assert.Equal(rows[i], again.WrittenSpan.ToArray());
            }

            var columns = Everything.Columns.Count;
            Assert.Equal([9UL, 9UL, 9UL, 9UL], ((UInt64Array)copy.Column(columns)).Values.ToArray());
            Assert.Equal([10UL, 11UL, 12UL, 13UL], ((UInt64Array)copy.Column(columns + 1)).Values.ToArray());
            var deleted = (BooleanArray)copy.Column(columns + 2);
            Assert.Equal([false, false, true, false], Enumerable.Range(0, rows.Length).Select(i => deleted.GetValue(i) == true).ToArray());
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    [Fact]
    public void Keys_of_every_kind_are_the_same_from_encoded_rows_and_from_decoded_columns()
    {
        // Every kind in the key (booleans are bit-packed in Arrow, the others stored at their width), nulls included.
        var layout = ShardTestKit.EveryKind(79, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var rows = new[]
        {
            new RowBuilder(layout).SetBoolean(0, true).SetInt16(1, -7).SetInt32(2, int.MinValue).SetInt64(3, -1).SetUInt64(4, ulong.MaxValue)
                .SetFloat32(5, -1.5f).SetFloat64(6, double.NaN).SetTimestamp(7, -5).SetText(8, "é\0").SetBytes(9, [0, 255]).ToArray(),
            new RowBuilder(layout).SetBoolean(0, false).SetInt16(1, short.MaxValue).SetFloat32(5, 3.25f).SetText(8, "").ToArray(),
            new RowBuilder(layout).ToArray(),
        };
        using var encoded = new RowBatchBuilder(layout);
        foreach (var row in rows)
        {
            encoded.Append(row);
        }

        var views = new ArrowColumnView[layout.Columns.Count];
        FillViews(encoded.Build(), views);
        for (var i = 0; i < rows.Length; i++)
        {
            var fromRow = new ArrayBufferWriter<byte>();
            layout.Codec.WriteKey(rows[i], fromRow);
            var fromArrow = new ArrayBufferWriter<byte>();
            layout.Codec.WriteKeyFromArrow(views, i, fromArrow);
            Assert.Equal(fromRow.WrittenSpan.ToArray(), fromArrow.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void A_malformed_row_is_refused_when_appended_as_a_version()
    {
        var row = new RowBuilder(Everything).SetText(7, "héllo").SetBytes(8, [1, 2, 3]).SetTimestamp(9, 4).ToArray();
        var schema = Everything.SegmentSchema;
        var codec = Everything.Codec;
        foreach (var bad in new[] { row[..1], row[..^1], row[..^9], [.. row, 0] })
        {
            var vectors = schema.Columns.Select(ColumnVector.Create).ToArray();
            var group = new SegmentRowGroup(schema, vectors);
            Assert.Throws<InvalidDataException>(() => codec.AppendVersion(bad, seq: 1, deleted: false, group));
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }
    }

    [Fact]
    public void Filters_give_the_same_answer_on_an_encoded_row_and_on_its_decoded_columns()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            var row = new RowBuilder(Everything).SetText(7, "k" + (i % 13).ToString(System.Globalization.CultureInfo.InvariantCulture)).SetTimestamp(9, i);
            if (i % 5 != 0)
            {
                row.SetBoolean(0, i % 2 == 0).SetInt16(1, (short)random.Next(-100, 100)).SetInt32(2, random.Next(-1000, 1000))
                    .SetInt64(3, random.NextInt64(-1000, 1000)).SetUInt64(4, (ulong)random.Next(0, 1000) + (i % 7 == 0 ? ulong.MaxValue - 1000 : 0))
                    .SetFloat32(5, i % 11 == 0 ? float.NaN : (float)(random.NextDouble() * 10)).SetFloat64(6, random.NextDouble() * 10)
                    .SetBytes(8, [(byte)(i % 3), 7]);
            }
            else
            {
                row.SetInt64(3, i);
            }

            return row.ToArray();
        }).ToArray();
        using var builder = new RowBatchBuilder(Everything);
        foreach (var row in rows)
        {
            builder.Append(row);
        }

        var views = new ArrowColumnView[Everything.Columns.Count];
        FillViews(builder.Build(), views);
        ColumnPredicate[][] filters =
        [
            [ColumnPredicate.Compare("b", CompareOp.Equal, 1L)],
            [ColumnPredicate.Compare("i16", CompareOp.Less, 0L)],
            [ColumnPredicate.Compare("i32", CompareOp.GreaterOrEqual, 10.5)],
            [ColumnPredicate.Compare("i64", CompareOp.Greater, 7L)],
            [ColumnPredicate.Compare("u64", CompareOp.Greater, 500L)],
            [ColumnPredicate.Compare("f32", CompareOp.Greater, 5.0)],
            [ColumnPredicate.Compare("f64", CompareOp.LessOrEqual, 3L)],
            [ColumnPredicate.Compare("text", CompareOp.Equal, "k3")],
            [ColumnPredicate.Compare("bin", CompareOp.Greater, "\u0001")],
            [ColumnPredicate.Compare("i16", CompareOp.Greater, -50L), ColumnPredicate.Compare("f64", CompareOp.Less, 8.0)],
        ];
        foreach (var time in new TimeRange?[] { null, new TimeRange(50, 150) })
        {
            foreach (var filter in filters)
            {
                var predicates = filter.Select(p => (Everything.IndexOf(p.Column), p)).ToArray();
                var encoded = rows.Select(r => ShardRowFilter.Matches(Everything, r, time, predicates)).ToArray();
                var decoded = Enumerable.Range(0, rows.Length).Select(i => ShardRowFilter.Matches(Everything, views, i, time, predicates)).ToArray();
                Assert.Equal(encoded, decoded);
                Assert.Contains(true, encoded);
                Assert.Contains(false, encoded);
            }
        }

        // A constant of another type never matches, either way.
        foreach (var mismatched in new[] { ColumnPredicate.Compare("text", CompareOp.Equal, 3L), ColumnPredicate.Compare("i64", CompareOp.Equal, "3") })
        {
            (int, ColumnPredicate)[] predicates = [(Everything.IndexOf(mismatched.Column), mismatched)];
            Assert.All(rows, r => Assert.False(ShardRowFilter.Matches(Everything, r, null, predicates)));
            Assert.All(Enumerable.Range(0, rows.Length), i => Assert.False(ShardRowFilter.Matches(Everything, views, i, null, predicates)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(23)]
    public void Batches_mark_nulls_right_wherever_a_columns_first_null_falls(int firstNull)
    {
        // Validity bits start at a column's first null; rows before it must read as present, every kind alike.
        using var builder = new RowBatchBuilder(Everything);
        const int rows = 30;
        bool IsNull(int row) => row == firstNull || (row > firstNull && row % 3 == 0);
        for (var row = 0; row < rows; row++)
        {
            var values = new RowBuilder(Everything).SetText(7, "t").SetTimestamp(9, row);
            if (!IsNull(row))
            {
                values.SetBoolean(0, row % 2 == 0).SetInt16(1, 1).SetInt32(2, 2).SetInt64(3, 3).SetUInt64(4, 4).SetFloat32(5, 5).SetFloat64(6, 6).SetBytes(8, [9]);
            }

            builder.Append(values.ToArray());
        }

        var batch = builder.Build();
        foreach (var column in new[] { 0, 1, 2, 3, 4, 5, 6, 8 })
        {
            var array = batch.Column(column);
            Assert.Equal(Enumerable.Range(0, rows).Select(IsNull), Enumerable.Range(0, rows).Select(array.IsNull));
            Assert.Equal(Enumerable.Range(0, rows).Count(IsNull), array.NullCount);
        }

        var flags = (BooleanArray)batch.Column(0);
        Assert.All(Enumerable.Range(0, rows).Where(r => !IsNull(r)), r => Assert.Equal(r % 2 == 0, flags.GetValue(r)));
        Assert.Equal(0, batch.Column(7).NullCount);
    }

    private static void FillViews(RecordBatch batch, ArrowColumnView[] views)
    {
        for (var c = 0; c < views.Length; c++)
        {
            views[c] = ArrowColumnView.Of(batch.Column(c));
        }
    }
}
