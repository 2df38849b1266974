using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>Test tables: a metrics-like (series, ts, value) table and a wide table with every column type.</summary>
public static class Rows
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly long EpochMicros = TimeRange.MicrosOf(Epoch);

    public static Schema MetricSchema { get; } = new(
    [
        new Field("series_id", Int64Type.Default, nullable: false),
        new Field("ts", new TimestampType(TimeUnit.Microsecond, "UTC"), nullable: false),
        new Field("value", DoubleType.Default, nullable: false),
    ], metadata: null);

    public static SegmentSchema MetricSegmentSchema() => SegmentSchema.FromArrow(MetricSchema, ["series_id", "ts"], "ts");

    /// <summary>Rows sorted by (series, ts): <paramref name="series"/> series of <paramref name="perSeries"/> points, one a second.</summary>
    public static IEnumerable<RecordBatch> Metrics(int series, int perSeries, int batchSize)
    {
        var total = series * perSeries;
        for (var start = 0; start < total; start += batchSize)
        {
            var count = Math.Min(batchSize, total - start);
            var ids = new Int64Array.Builder();
            var times = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
            var values = new DoubleArray.Builder();
            for (var row = start; row < start + count; row++)
            {
                var s = row / perSeries;
                var p = row % perSeries;
                ids.Append(s);
                times.Append(Epoch.AddSeconds(p));
                values.Append(Math.Round(Math.Sin(p / 10.0) * 100, 1) + s);
            }

            yield return new RecordBatch(MetricSchema, [ids.Build(), times.Build(), values.Build()], count);
        }
    }

    public static Schema WideSchema { get; } = new(
    [
        new Field("id", Int64Type.Default, nullable: false),
        new Field("flag", BooleanType.Default, nullable: true),
        new Field("small", Int16Type.Default, nullable: true),
        new Field("medium", Int32Type.Default, nullable: true),
        new Field("real32", FloatType.Default, nullable: true),
        new Field("real64", DoubleType.Default, nullable: true),
        new Field("name", StringType.Default, nullable: true),
        new Field("blob", BinaryType.Default, nullable: true),
        new Field("at", new TimestampType(TimeUnit.Microsecond, "UTC"), nullable: true),
    ], metadata: null);

    public static SegmentSchema WideSegmentSchema() => SegmentSchema.FromArrow(WideSchema, ["id"], "at");

    /// <summary>The value the wide table holds in row <paramref name="id"/>; every seventh row's optional columns are null.</summary>
    public static object?[] WideRow(long id)
    {
        if (id % 7 == 3)
        {
            return [id, null, null, null, null, null, null, null, null];
        }

        return
        [
            id,
            id % 2 == 0,
            (short)(id % 300 - 150),
            (int)(id * 3 - 1000),
            (float)(id / 4.0),
            id * 1.5 - 10,
            $"name-{id:D5}-é\u0000x",
            new[] { (byte)id, (byte)0, (byte)(id >> 8) },
            EpochMicros + id * 1_000_000,
        ];
    }

    public static IEnumerable<RecordBatch> Wide(int rows, int batchSize)
    {
        for (var start = 0; start < rows; start += batchSize)
        {
            var count = Math.Min(batchSize, rows - start);
            var id = new Int64Array.Builder();
            var flag = new BooleanArray.Builder();
            var small = new Int16Array.Builder();
            var medium = new Int32Array.Builder();
            var real32 = new FloatArray.Builder();
            var real64 = new DoubleArray.Builder();
            var name = new StringArray.Builder();
            var blob = new BinaryArray.Builder();
            var at = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
            for (long r = start; r < start + count; r++)
            {
                var v = WideRow(r);
                id.Append(r);
                if (v[1] is null)
                {
                    flag.AppendNull();
                    small.AppendNull();
                    medium.AppendNull();
                    real32.AppendNull();
                    real64.AppendNull();
                    name.AppendNull();
                    blob.AppendNull();
                    at.AppendNull();
                    continue;
                }

                flag.Append((bool)v[1]!);
                small.Append((short)v[2]!);
                medium.Append((int)v[3]!);
                real32.Append((float)v[4]!);
                real64.Append((double)v[5]!);
                name.Append((string)v[6]!);
                blob.Append((byte[])v[7]!);
                at.Append(DateTimeOffset.UnixEpoch.AddTicks((long)v[8]! * 10));
            }

            yield return new RecordBatch(WideSchema,
                [id.Build(), flag.Build(), small.Build(), medium.Build(), real32.Build(), real64.Build(), name.Build(), blob.Build(), at.Build()], count);
        }
    }

    /// <summary>Asserts that <paramref name="batches"/> hold exactly rows 0 to <paramref name="rows"/> - 1 of the wide table, in order.</summary>
    public static void AssertWide(IEnumerable<RecordBatch> batches, long rows)
    {
        var row = 0L;
        foreach (var batch in batches)
        {
            Assert.Equal(WideSchema.FieldsList.Select(f => f.Name), batch.Schema.FieldsList.Select(f => f.Name));
            for (var i = 0; i < batch.Length; i++, row++)
            {
                var expected = WideRow(row);
                for (var c = 0; c < expected.Length; c++)
                {
                    Assert.Equal(expected[c], Cell(batch.Column(c), i));
                }
            }
        }

        Assert.Equal(rows, row);
    }

    /// <summary>Reads a cell back as the same boxed shape <see cref="WideRow"/> uses.</summary>
    public static object? Cell(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        Int64Array a => a.GetValue(row),
        BooleanArray a => a.GetValue(row),
        Int16Array a => a.GetValue(row),
        Int32Array a => a.GetValue(row),
        FloatArray a => a.GetValue(row),
        DoubleArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        BinaryArray a => a.GetBytes(row).ToArray(),
        TimestampArray a => a.GetValue(row),
        _ => throw new NotSupportedException(array.GetType().Name),
    };

    public static async Task<List<RecordBatch>> ReadAllAsync(SegmentReader reader, SegmentScan? scan = null)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in reader.ScanAsync(scan))
        {
            batches.Add(batch);
        }

        return batches;
    }

    public static List<long> Int64Column(IEnumerable<RecordBatch> batches, string column) =>
        batches.SelectMany(b => ((Int64Array)b.Column(column)).Values.ToArray()).ToList();
}
