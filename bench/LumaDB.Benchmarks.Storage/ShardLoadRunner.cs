using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Wal;

namespace LumaDB.Benchmarks.Storage;

/// <summary>
/// Load mode through the whole shard (WriteBatch, WAL, memtable, flush, segments, compaction): batched write
/// throughput, hot and warm point-lookup percentiles, and on-disk bytes per sample of a metric series.
/// </summary>
internal sealed class ShardLoadRunner(TimeSpan duration, string parts)
{
    /// <summary>The narrow row: (key int64, ts timestamp, value float64).</summary>
    internal static readonly TableLayout Narrow = new(
        1,
        [
            new TableColumn("key", SegmentColumnKind.Int64, IsNullable: false),
            new TableColumn("ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
            new TableColumn("value", SegmentColumnKind.Float64, IsNullable: false),
        ],
        [0],
        timeColumn: 1);

    /// <summary>A metric series table: (series_id uint64, ts timestamp, value float64), keyed by series then time.</summary>
    private static readonly TableLayout Series = new(
        2,
        [
            new TableColumn("series_id", SegmentColumnKind.UInt64, IsNullable: false),
            new TableColumn("ts", SegmentColumnKind.TimestampMicros, IsNullable: false),
            new TableColumn("value", SegmentColumnKind.Float64, IsNullable: false),
        ],
        [0, 1],
        timeColumn: 1);

    public async Task RunAsync()
    {
        Console.WriteLine($"LumaDB shard load run: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {duration.TotalSeconds:0.#} s per write case");
        Console.WriteLine();
        if (parts.Contains('w', StringComparison.Ordinal))
        {
            Console.WriteLine("| write case (Shard.CommitAsync, narrow row) | rows/s | commits | segments flushed | building the batch | CommitAsync | process CPU | arena chunks recycled / warmed ahead / allocated | gen2 GCs |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            await WriteCaseAsync(WalFsyncMode.Never, committers: 1, batchRows: 1_000);
            await WriteCaseAsync(WalFsyncMode.Never, committers: 1, batchRows: 10_000);
            await WriteCaseAsync(WalFsyncMode.Always, committers: 1, batchRows: 10_000);
            await WriteCaseAsync(WalFsyncMode.Always, committers: 2, batchRows: 10_000);

            // Larger batches (a bulk load, a big remote-write request): fewer commits, the same per-row path.
            await WriteCaseAsync(WalFsyncMode.Always, committers: 1, batchRows: 100_000);
            await WriteCaseAsync(WalFsyncMode.Always, committers: 2, batchRows: 100_000);
            Console.WriteLine();
        }

        if (parts.Contains('l', StringComparison.Ordinal))
        {
            await LookupsAsync();
            Console.WriteLine();
        }

        if (parts.Contains('b', StringComparison.Ordinal))
        {
            await BytesPerSampleAsync();
        }
    }

    internal static string NewDirectory() => Path.Combine(Path.GetTempPath(), "lumadb-bench", Guid.NewGuid().ToString("N"));

    internal static void FillBatch(WriteBatch batch, RowBuilder builder, ArrayBufferWriter<byte> row, long firstKey, int count)
    {
        batch.Clear();
        for (var i = 0; i < count; i++)
        {
            var key = firstKey + i;
            builder.Reset();
            builder.SetInt64(0, key).SetTimestamp(1, 1_700_000_000_000_000 + key).SetFloat64(2, key * 0.5);
            row.ResetWrittenCount();
            builder.Encode(row);
            batch.Put(Narrow, row.WrittenSpan);
        }
    }

    private async Task WriteCaseAsync(WalFsyncMode mode, int committers, int batchRows)
    {
        var directory = NewDirectory();
        long rows = 0;
        long commits = 0;
        long fillTicks = 0;
        long commitTicks = 0;
        try
        {
            await using var shard = await Shard.OpenAsync(new ShardOptions { Directory = directory, Tables = [Narrow], FsyncMode = mode });
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var gen2 = GC.CollectionCount(2);
            var stopwatch = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, committers).Select(c => Task.Run(async () =>
            {
                var batch = new WriteBatch();
                var builder = new RowBuilder(Narrow);
                var row = new ArrayBufferWriter<byte>(64);
                var next = (long)c << 40;
                while (stopwatch.Elapsed < duration)
                {
                    var start = Stopwatch.GetTimestamp();
                    FillBatch(batch, builder, row, next, batchRows);
                    var filled = Stopwatch.GetTimestamp();
                    await shard.CommitAsync(batch);
                    Interlocked.Add(ref fillTicks, filled - start);
                    Interlocked.Add(ref commitTicks, Stopwatch.GetTimestamp() - filled);
                    next += batchRows;
                    Interlocked.Add(ref rows, batchRows);
                    Interlocked.Increment(ref commits);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            var elapsed = stopwatch.Elapsed.TotalSeconds;
            var cpuPerRow = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / rows;
            Console.WriteLine(
                $"| fsync={mode.ToString().ToLowerInvariant()}, {committers} committer(s) x {batchRows:N0} rows/batch | {Format(rows / elapsed)} | {commits:N0} | {shard.Segments.Count} | {PerRow(fillTicks)} | {PerRow(commitTicks)} | {cpuPerRow:0} ns/row | {shard.MemtableArena.ReusedChunks:N0} / {shard.MemtableArena.WarmedChunks:N0} / {shard.MemtableArena.AllocatedChunks:N0} | {GC.CollectionCount(2) - gen2} |");

            string PerRow(long ticks) => (ticks * 1e9 / Stopwatch.Frequency / rows).ToString("0", CultureInfo.InvariantCulture) + " ns/row";
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task LookupsAsync()
    {
        const int count = 200_000;
        const int probes = 20_000;
        var directory = NewDirectory();
        try
        {
            await using var shard = await Shard.OpenAsync(new ShardOptions
            {
                Directory = directory,
                Tables = [Narrow],
                FsyncMode = WalFsyncMode.Never,
                MemtableBudgetBytes = 1L << 30,
            });
            var batch = new WriteBatch();
            var builder = new RowBuilder(Narrow);
            var row = new ArrayBufferWriter<byte>(64);
            for (var first = 0L; first < count; first += 10_000)
            {
                FillBatch(batch, builder, row, first, 10_000);
                await shard.CommitAsync(batch);
            }

            var random = new Random(7);
            var keys = Enumerable.Range(0, probes).Select(_ =>
            {
                var writer = new ArrayBufferWriter<byte>(16);
                KeyEncoding.WriteInt64(writer, random.NextInt64(count));
                return writer.WrittenMemory;
            }).ToArray();

            Console.WriteLine($"Point lookups (Shard.GetAsync), {count:N0} narrow rows, {probes:N0} random existing keys, each timed:");
            Console.WriteLine();
            Console.WriteLine("| tier | p50 | p99 | p99.9 | mean |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            await TimeLookupsAsync(shard, keys, "hot (memtable)");
            await shard.FlushAsync();
            await TimeLookupsAsync(shard, keys, $"warm ({shard.Segments.Count} segment, {shard.Segments[0].Descriptor.RowGroups.Count} row groups)");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task TimeLookupsAsync(Shard shard, ReadOnlyMemory<byte>[] keys, string name)
    {
        // Warm-up pass (JIT tiers, file cache), then every lookup timed on its own.
        foreach (var key in keys.Take(2_000))
        {
            _ = await shard.GetAsync(Narrow, key, ulong.MaxValue) ?? throw new InvalidOperationException("lookup missed a row");
        }

        var latencies = new long[keys.Length];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < keys.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = await shard.GetAsync(Narrow, keys[i], ulong.MaxValue) ?? throw new InvalidOperationException("lookup missed a row");
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }

        var meanUs = total.Elapsed.TotalMicroseconds / keys.Length;
        Array.Sort(latencies);
        double Us(double p) => latencies[(int)(p * (latencies.Length - 1))] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"| {name} | {Us(0.5):0.0} us | {Us(0.99):0.0} us | {Us(0.999):0.0} us | {meanUs:0.0} us |");
    }

    private static async Task BytesPerSampleAsync()
    {
        const int series = 1_000;
        const int perSeries = 1_000;
        const int flushes = 4;
        var directory = NewDirectory();
        try
        {
            await using var shard = await Shard.OpenAsync(new ShardOptions
            {
                Directory = directory,
                Tables = [Series],
                FsyncMode = WalFsyncMode.Never,
                MemtableBudgetBytes = 1L << 30,
                Compaction = new CompactionOptions { Background = false },
            });
            var random = new Random(11);
            var values = new double[series];
            var times = new long[series];
            for (var s = 0; s < series; s++)
            {
                values[s] = random.Next(1000);
                times[s] = SeriesGenerator.Start * 1000;
            }

            var builder = new RowBuilder(Series);
            var row = new ArrayBufferWriter<byte>(64);
            var batch = new WriteBatch();
            for (var f = 0; f < flushes; f++)
            {
                // A time slice of every series per flush, as a scrape-driven memtable would hold.
                for (var i = 0; i < perSeries / flushes; i++)
                {
                    batch.Clear();
                    for (var s = 0; s < series; s++)
                    {
                        times[s] += 15_000_000 + (random.Next(50) == 0 ? random.Next(-3_000, 3_000) : 0);
                        values[s] = Math.Round(values[s] + ((random.NextDouble() - 0.5) * 4), 2);
                        builder.Reset();
                        builder.SetUInt64(0, (ulong)s).SetTimestamp(1, times[s]).SetFloat64(2, values[s]);
                        row.ResetWrittenCount();
                        builder.Encode(row);
                        batch.Put(Series, row.WrittenSpan);
                    }

                    await shard.CommitAsync(batch);
                }

                await shard.FlushAsync();
            }

            const double samples = series * perSeries;
            var flushed = shard.Segments.Sum(s => s.Descriptor.ByteSize);
            var flushedColumns = await ColumnBytesAsync(directory, shard);
            var compactWatch = Stopwatch.StartNew();
            var compacted = await shard.CompactAsync(Series);
            var compactSeconds = compactWatch.Elapsed.TotalSeconds;
            var after = shard.Segments.Sum(s => s.Descriptor.ByteSize);
            var compactedColumns = await ColumnBytesAsync(directory, shard);
            Console.WriteLine(
                $"Series (series_id uint64, ts, value double), {series:N0} series x {perSeries:N0} samples, 15 s scrapes, 2-decimal random walk: " +
                $"{flushed / samples:0.00} B/sample after {flushes} flushes, {after / samples:0.00} B/sample after compaction into {shard.Segments.Count} segment ({compacted?.RowsWritten:N0} rows, {compactSeconds:0.00} s)");
            Console.WriteLine();
            Console.WriteLine("| column (compressed bytes per sample) | after flushes | after compaction |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var (name, bytes) in flushedColumns)
            {
                Console.WriteLine($"| {name} | {bytes / samples:0.000} | {compactedColumns.GetValueOrDefault(name) / samples:0.000} |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Compressed bytes of each column over every live segment, from the Parquet footers.</summary>
    private static async Task<Dictionary<string, long>> ColumnBytesAsync(string directory, Shard shard)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var segment in shard.Segments)
        {
            await using var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(directory, "segments", segment.Descriptor.FileName));
            foreach (var group in reader.Metadata!.RowGroups)
            {
                foreach (var chunk in group.Columns)
                {
                    var name = string.Join('.', chunk.MetaData!.PathInSchema) + " " + string.Join(',', chunk.MetaData.Encodings);
                    totals[name] = totals.GetValueOrDefault(name) + chunk.MetaData.TotalCompressedSize;
                }
            }
        }

        return totals;
    }

    private static string Format(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("0", CultureInfo.InvariantCulture),
    };
}
