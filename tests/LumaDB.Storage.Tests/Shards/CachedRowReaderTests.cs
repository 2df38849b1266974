using System.Buffers;
using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Single rows read straight from a cached group's Arrow buffers match the general encoding byte for byte.</summary>
public sealed class CachedRowReaderTests
{
    private static readonly TableLayout Everything = RowCodecTests.Everything;

    private const int Rows = 37;

    [Fact]
    public void Every_row_encodes_as_the_row_codec_encodes_it_with_nulls_in_every_column()
    {
        var batch = Batch(Rows);
        var reader = CachedRowReader.TryCreate(batch, Everything);
        Assert.NotNull(reader);
        for (var i = 0; i < Rows; i++)
        {
            Assert.Equal(Expected(batch, i), reader.Encode(i));
            Assert.Equal((ulong)(1000 + i), reader.SeqAt(i));
            Assert.Equal(i % 4 == 1, reader.IsDeletedAt(i));
        }
    }

    [Fact]
    public void A_sliced_batch_reads_its_own_rows_not_those_before_its_offset()
    {
        var whole = Batch(Rows);
        var sliced = new RecordBatch(whole.Schema, whole.Arrays.Select(a => ArrowArrayFactory.Slice(a, 11, 20)), 20);
        var reader = CachedRowReader.TryCreate(sliced, Everything);
        Assert.NotNull(reader);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Expected(whole, i + 11), reader.Encode(i));
            Assert.Equal((ulong)(1000 + 11 + i), reader.SeqAt(i));
            Assert.Equal((i + 11) % 4 == 1, reader.IsDeletedAt(i));
        }
    }

    [Fact]
    public void An_array_of_another_kind_than_its_column_gets_no_reader()
    {
        var batch = Batch(Rows);
        var arrays = batch.Arrays.ToList();
        arrays[2] = new Int64Array.Builder().AppendRange(Enumerable.Range(0, Rows).Select(i => (long)i)).Build();
        var fields = batch.Schema.FieldsList.ToList();
        fields[2] = new Field("i32", Int64Type.Default, true);
        Assert.Null(CachedRowReader.TryCreate(new RecordBatch(new Schema(fields, null), arrays, Rows), Everything));
    }

    private static byte[] Expected(RecordBatch batch, int row)
    {
        var writer = new ArrayBufferWriter<byte>();
        Everything.Codec.EncodeFromArrow(batch, row, new RowBuilder(Everything), writer);
        return writer.WrittenSpan.ToArray();
    }

    // Column c is null in rows where (row + c) % 5 == 0, so every column has nulls and non-nulls around them.
    private static RecordBatch Batch(int rows)
    {
        static bool Null(int row, int column) => (row + column) % 5 == 0;

        var b = new BooleanArray.Builder();
        var i16 = new Int16Array.Builder();
        var i32 = new Int32Array.Builder();
        var i64 = new Int64Array.Builder();
        var u64 = new UInt64Array.Builder();
        var f32 = new FloatArray.Builder();
        var f64 = new DoubleArray.Builder();
        var text = new StringArray.Builder();
        var bin = new BinaryArray.Builder();
        var ts = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var seq = new UInt64Array.Builder();
        var deleted = new BooleanArray.Builder();
        var table = new UInt64Array.Builder();
        for (var r = 0; r < rows; r++)
        {
            if (Null(r, 0)) b.AppendNull(); else b.Append(r % 3 == 0);
            if (Null(r, 1)) i16.AppendNull(); else i16.Append((short)(-r * 100));
            if (Null(r, 2)) i32.AppendNull(); else i32.Append(int.MinValue + r);
            if (Null(r, 3)) i64.AppendNull(); else i64.Append(long.MaxValue - r);
            if (Null(r, 4)) u64.AppendNull(); else u64.Append(ulong.MaxValue - (ulong)r);
            if (Null(r, 5)) f32.AppendNull(); else f32.Append(r + 0.5f);
            if (Null(r, 6)) f64.AppendNull(); else f64.Append(-r / 3.0);
            if (Null(r, 7)) text.AppendNull(); else text.Append(new string('é', r % 7) + r);
            if (Null(r, 8)) bin.AppendNull(); else bin.Append(Enumerable.Range(0, r % 4).Select(x => (byte)(x * 90)).ToArray().AsSpan());
            if (Null(r, 9)) ts.AppendNull(); else ts.Append(DateTimeOffset.UnixEpoch.AddTicks(r * 10_000_017L));
            seq.Append((ulong)(1000 + r));
            deleted.Append(r % 4 == 1);
            table.Append(9);
        }

        IArrowArray[] arrays =
        [
            b.Build(), i16.Build(), i32.Build(), i64.Build(), u64.Build(), f32.Build(), f64.Build(), text.Build(), bin.Build(), ts.Build(),
            table.Build(), seq.Build(), deleted.Build(),
        ];
        var fields = Everything.Columns.Select((c, i) => new Field(c.Name, arrays[i].Data.DataType, true))
            .Append(new Field("_luma_table", UInt64Type.Default, false))
            .Append(new Field("_luma_seq", UInt64Type.Default, false))
            .Append(new Field("_luma_deleted", BooleanType.Default, false));
        return new RecordBatch(new Schema(fields, null), arrays, rows);
    }
}
