using System.Diagnostics;
using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;
using Xunit.Abstractions;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>On-disk size of realistic tables; the bounds catch an encoding or compression regression.</summary>
public sealed class SegmentSizeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Schema MetricSchema = new(
    [
        new Field("series_id", UInt64Type.Default, nullable: false),
        new Field("ts", new TimestampType(TimeUnit.Microsecond, "UTC"), nullable: false),
        new Field("value", DoubleType.Default, nullable: false),
    ], metadata: null);

    /// <summary>1,000 series x 1,000 scrapes 15 s apart with millisecond jitter; values a random walk in hundredths.</summary>
    private static IEnumerable<RecordBatch> Scrapes()
    {
        var random = new Random(42);
        const int series = 1000, points = 1000, batch = 8192;
        var ids = new ulong[batch];
        var times = new long[batch];
        var values = new double[batch];
        var n = 0;
        for (var s = 0; s < series; s++)
        {
            var value = random.Next(0, 10_000) / 100.0;
            for (var p = 0; p < points; p++)
            {
                value = Math.Round(Math.Max(0, value + (random.Next(-100, 101) / 100.0)), 2);
                ids[n] = (ulong)s;
                times[n] = Rows.EpochMicros + (p * 15_000_000L) + (random.Next(0, 50) * 1000L);
                values[n] = value;
                if (++n == batch)
                {
                    yield return Batch(ids, times, values, n);
                    n = 0;
                }
            }
        }

        if (n > 0)
        {
            yield return Batch(ids, times, values, n);
        }
    }

    private static RecordBatch Batch(ulong[] ids, long[] times, double[] values, int n)
    {
        var timestamp = new TimestampType(TimeUnit.Microsecond, "UTC");
        return new RecordBatch(MetricSchema,
        [
            new UInt64Array(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan(0, n)).ToArray()), ArrowBuffer.Empty, n, 0, 0),
            new TimestampArray(timestamp, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(times.AsSpan(0, n)).ToArray()), ArrowBuffer.Empty, n, 0, 0),
            new DoubleArray(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan(0, n)).ToArray()), ArrowBuffer.Empty, n, 0, 0),
        ], n);
    }

    [Fact]
    public async Task A_million_metric_samples_take_a_few_bytes_each()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 128 * 1024 });
        var watch = Stopwatch.StartNew();
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(MetricSchema, ["series_id", "ts"], "ts"), Scrapes());
        var written = watch.Elapsed;

        watch.Restart();
        await using var reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
        long rows = 0;
        await foreach (var batch in reader.ScanAsync())
        {
            rows += batch.Length;
        }

        var bytesPerRow = (double)descriptor.ByteSize / descriptor.RowCount;
        output.WriteLine($"(series_id, ts, value): {descriptor.ByteSize} bytes, {bytesPerRow:F2} B/row, write {written.TotalMilliseconds:F0} ms, scan {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(1_000_000, rows);
        Assert.InRange(bytesPerRow, 1, 5.2);
    }

    [Fact]
    public async Task Regular_scrape_timestamps_and_series_ids_are_delta_encoded_to_a_fraction_of_a_byte()
    {
        // 1,000 series x 1,000 scrapes exactly 15 s apart but for one in 50, which is up to 3 ms late or early.
        IEnumerable<RecordBatch> RegularScrapes()
        {
            var random = new Random(5);
            const int series = 1000, points = 1000, batch = 8192;
            var ids = new ulong[batch];
            var times = new long[batch];
            var values = new double[batch];
            var n = 0;
            for (var s = 0; s < series; s++)
            {
                for (var p = 0; p < points; p++)
                {
                    ids[n] = (ulong)s;
                    times[n] = Rows.EpochMicros + (p * 15_000_000L) + (random.Next(50) == 0 ? random.Next(-3_000, 3_000) : 0);
                    values[n] = p;
                    if (++n == batch)
                    {
                        yield return Batch(ids, times, values, n);
                        n = 0;
                    }
                }
            }

            yield return Batch(ids, times, values, n);
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 4096 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(MetricSchema, ["series_id", "ts"], "ts"), RegularScrapes());

        var bytes = new Dictionary<string, long>();
        var encodings = new Dictionary<string, HashSet<string>>();
        await using (var parquet = await Parquet.ParquetReader.CreateAsync(Path.Combine(_dir.Path, descriptor.FileName)))
        {
            foreach (var chunk in parquet.Metadata!.RowGroups.SelectMany(g => g.Columns))
            {
                var name = chunk.MetaData!.PathInSchema[0];
                bytes[name] = bytes.GetValueOrDefault(name) + chunk.MetaData.TotalCompressedSize;
                (encodings.TryGetValue(name, out var set) ? set : encodings[name] = []).UnionWith(chunk.MetaData.Encodings.Select(e => e.ToString()));
            }
        }

        output.WriteLine(string.Join(", ", bytes.Select(b => $"{b.Key}: {(double)b.Value / descriptor.RowCount:F3} B/row")));
        Assert.Contains("DELTA_BINARY_PACKED", encodings["ts"]);
        Assert.InRange((double)bytes["ts"] / descriptor.RowCount, 0.01, 0.4);
        Assert.InRange((double)bytes["series_id"] / descriptor.RowCount, 0.001, 0.1);
    }

    [Fact]
    public async Task A_narrow_table_of_a_key_and_a_small_integer_stays_small()
    {
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("status", Int32Type.Default, false)], null);
        var random = new Random(7);
        IEnumerable<RecordBatch> Batches()
        {
            for (var start = 0; start < 1_000_000; start += 8192)
            {
                var n = Math.Min(8192, 1_000_000 - start);
                var ids = new Int64Array.Builder();
                var statuses = new Int32Array.Builder();
                for (var i = start; i < start + n; i++)
                {
                    ids.Append(i * 3L);
                    statuses.Append(random.Next(0, 20) == 0 ? 500 : 200);
                }

                yield return new RecordBatch(schema, [ids.Build(), statuses.Build()], n);
            }
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 128 * 1024 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(schema, ["id"], null), Batches());

        var bytesPerRow = (double)descriptor.ByteSize / descriptor.RowCount;
        output.WriteLine($"(id, status): {descriptor.ByteSize} bytes, {bytesPerRow:F2} B/row");
        Assert.InRange(bytesPerRow, 0.01, 0.5);
    }
}
