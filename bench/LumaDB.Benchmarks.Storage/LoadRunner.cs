using System.Diagnostics;
using System.Globalization;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.TimeSeries;
using LumaDB.Storage.Wal;

namespace LumaDB.Benchmarks.Storage;

/// <summary>Stopwatch-driven load mode: sustained throughput and latency percentiles, printed as tables.</summary>
internal sealed class LoadRunner(TimeSpan duration)
{
    private const int Samples = 1_000_000;

    public async Task RunAsync()
    {
        Console.WriteLine($"LumaDB storage load run: {Environment.ProcessorCount} cores, {RuntimeInfo()}, {duration.TotalSeconds:0.#} s per write case");
        Console.WriteLine();
        Console.WriteLine("| write case (RowMemtable + WAL, 8-byte key + 2 columns) | rows/s | WAL records | fsyncs |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        await WriteCaseAsync(WalFsyncMode.Never, committers: 1, batchRows: 1000);
        await WriteCaseAsync(WalFsyncMode.Never, committers: 4, batchRows: 100);
        await WriteCaseAsync(WalFsyncMode.Always, committers: 1, batchRows: 1000);
        await WriteCaseAsync(WalFsyncMode.Always, committers: 1, batchRows: 100);
        await WriteCaseAsync(WalFsyncMode.Always, committers: 16, batchRows: 100);
        await WriteCaseAsync(WalFsyncMode.Always, committers: 64, batchRows: 1);
        Console.WriteLine();
        PointLookups();
        Console.WriteLine();
        Gorilla();
    }

    private static string RuntimeInfo() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private async Task WriteCaseAsync(WalFsyncMode mode, int committers, int batchRows)
    {
        var directory = Path.Combine(Path.GetTempPath(), "lumadb-bench", Guid.NewGuid().ToString("N"));
        var options = new WalOptions { Directory = directory, FsyncMode = mode };
        var wal = WriteAheadLog.Open(options);
        var memtable = new RowMemtable(256L * 1024 * 1024);
        var applyLock = new Lock();
        long rows = 0;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var tasks = Enumerable.Range(0, committers).Select(c => Task.Run(async () =>
            {
                var payload = new byte[batchRows * NarrowRows.EncodedSize];
                long next = (long)c << 40;
                while (stopwatch.Elapsed < duration)
                {
                    NarrowRows.WriteBatch(payload, next, batchRows);
                    var lsn = await wal.AppendAsync(1, payload);

                    // The shard's commit path: one writer applies the acknowledged batch to the memtable.
                    lock (applyLock)
                    {
                        if (memtable.IsFull)
                        {
                            // Stand-in for a flush: the memtable is handed off and the WAL below it dropped.
                            memtable = new RowMemtable(256L * 1024 * 1024);
                            wal.TruncateBefore(lsn);
                        }

                        for (var i = 0; i < batchRows; i++)
                        {
                            var slot = payload.AsSpan(i * NarrowRows.EncodedSize, NarrowRows.EncodedSize);
                            memtable.Put(slot[..NarrowRows.KeySize], lsn, slot[NarrowRows.KeySize..]);
                        }
                    }

                    next += batchRows;
                    Interlocked.Add(ref rows, batchRows);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            var elapsed = stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine(
                $"| fsync={mode.ToString().ToLowerInvariant()}, {committers} committer(s) x {batchRows} rows/batch | {Format(rows / elapsed)} | {wal.AppendCount:N0} | {wal.SyncCount:N0} |");
        }
        finally
        {
            await wal.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void PointLookups()
    {
        const int count = 1_000_000;
        var memtable = new RowMemtable(512L * 1024 * 1024);
        Span<byte> key = stackalloc byte[NarrowRows.KeySize];
        Span<byte> row = stackalloc byte[NarrowRows.RowSize];
        var random = new Random(1);
        var ids = Enumerable.Range(0, count).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
        var fill = Stopwatch.StartNew();
        ulong seq = 0;
        foreach (var id in ids)
        {
            NarrowRows.WriteKey(key, id);
            NarrowRows.WriteRow(row, id);
            memtable.Put(key, ++seq, row);
        }

        var fillSeconds = fill.Elapsed.TotalSeconds;
        var probes = new long[count];
        for (var i = 0; i < count; i++)
        {
            probes[i] = random.NextInt64(count);
        }

        // Warm up for a second (tiered JIT reaches optimized code), then time every lookup on its own for the
        // percentiles and the whole loop for the mean.
        var found = 0;
        var warmup = Stopwatch.StartNew();
        var warmed = 0;
        while (warmup.Elapsed < TimeSpan.FromSeconds(1))
        {
            NarrowRows.WriteKey(key, probes[warmed++ % count]);
            memtable.TryGet(key, ulong.MaxValue, out _);
        }

        var latencies = new long[count];
        for (var i = 0; i < count; i++)
        {
            NarrowRows.WriteKey(key, probes[i]);
            var start = Stopwatch.GetTimestamp();
            found += memtable.TryGet(key, ulong.MaxValue, out _) == MemtableLookup.Found ? 1 : 0;
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }

        var loop = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            NarrowRows.WriteKey(key, probes[i]);
            found += memtable.TryGet(key, ulong.MaxValue, out _) == MemtableLookup.Found ? 1 : 0;
        }

        var meanNs = loop.Elapsed.TotalNanoseconds / count;
        Array.Sort(latencies);
        double Ns(double p) => latencies[(int)(p * (count - 1))] * 1e9 / Stopwatch.Frequency;

        Console.WriteLine($"RowMemtable, {count:N0} narrow rows (inserted in random order: {Format(count / fillSeconds)} rows/s, {memtable.ApproximateBytes / (double)count:0} B/row):");
        Console.WriteLine();
        Console.WriteLine("| point lookup | p50 | p99 | p99.9 | mean (untimed loop) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| random existing key | {Ns(0.5):0} ns | {Ns(0.99):0} ns | {Ns(0.999):0} ns | {meanNs:0} ns |");
        if (found != count * 2)
        {
            throw new InvalidOperationException("lookups missed rows");
        }
    }

    private static void Gorilla()
    {
        Console.WriteLine($"Gorilla codec, {Samples:N0}-sample series in 120-sample chunks:");
        Console.WriteLine();
        Console.WriteLine("| series | encode | decode | bytes/sample |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        GorillaCase("counter (1/3 idle scrapes)", SeriesGenerator.Counter(Samples, 1));
        GorillaCase("busy counter (changes every scrape)", SeriesGenerator.BusyCounter(Samples, 2));
        GorillaCase("gauge (2 decimals)", SeriesGenerator.Gauge(Samples, 3));
        Console.WriteLine();

        var (times, values) = SeriesGenerator.Counter(Samples, 4);
        using var memtable = new SeriesMemtable();
        var stopwatch = Stopwatch.StartNew();
        const int series = 1000;
        for (var i = 0; i < Samples; i++)
        {
            // Round-robin over the series, every series following the same counter shape.
            memtable.Append((ulong)(i % series), times[i / series], values[i / series]);
        }

        var appendRate = Samples / stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"SeriesMemtable: {Format(appendRate)} samples/s appended over {series} series; {memtable.BytesPerSample:0.00} B/sample encoded, {memtable.MemoryBytes / (double)Samples:0.00} B/sample with overhead");
    }

    private static void GorillaCase(string name, (long[] Times, double[] Values) series)
    {
        var (times, values) = series;
        using var encoder = new GorillaChunkEncoder();
        var chunks = new List<GorillaChunk>(times.Length / 120 + 1);
        for (var round = 0; round < 3; round++)
        {
            chunks.Clear();
            encoder.Reset();
            var encode = Stopwatch.StartNew();
            for (var i = 0; i < times.Length; i++)
            {
                encoder.Append(times[i], values[i]);
                if (encoder.Count == 120)
                {
                    chunks.Add(encoder.ToChunk());
                    encoder.Reset();
                }
            }

            if (encoder.Count > 0)
            {
                chunks.Add(encoder.ToChunk());
            }

            var encodeRate = times.Length / encode.Elapsed.TotalSeconds;
            var decode = Stopwatch.StartNew();
            var checksum = 0.0;
            long decoded = 0;
            foreach (var chunk in chunks)
            {
                var iterator = chunk.GetIterator();
                while (iterator.MoveNext())
                {
                    checksum += iterator.Value;
                    decoded++;
                }
            }

            var decodeRate = decoded / decode.Elapsed.TotalSeconds;
            if (decoded != times.Length || checksum == 0)
            {
                throw new InvalidOperationException("decode mismatch");
            }

            if (round == 2)
            {
                var bytes = chunks.Sum(c => (long)c.Data.Length);
                Console.WriteLine($"| {name} | {Format(encodeRate)} samples/s | {Format(decodeRate)} samples/s | {bytes / (double)times.Length:0.00} |");
            }
        }
    }

    private static string Format(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("0", CultureInfo.InvariantCulture),
    };
}
