using System.Diagnostics;
using System.Globalization;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using LumaDB.Storage.Wal;

namespace LumaDB.Bench.RemoteWrite;

/// <summary>
/// Drives the remote write path in-process, without HTTP: snappy decompress, validation and the receiver's decode
/// and store write, timed per phase. The quickest loop for profiling the ingest path.
/// </summary>
internal static class InProcess
{
    public static async Task<int> RunAsync(string directory, IReadOnlyList<(byte[] Body, int Samples)> requests, int warmup, int concurrency, int seconds, WalFsyncMode fsync)
    {
        var store = new MetricStore(new MetricStoreOptions { Directory = directory, FsyncMode = fsync });
        await store.OpenAsync();
        using var receiver = new MetricStoreReceiver(store, 64);
        // The first round creates the series; the clock covers the steady state after it.
        var warmupWatch = Stopwatch.StartNew();
        var warmupDecoder = new RemoteWriteDecoder();
        long warmupSamples = 0;
        for (var i = 0; i < warmup && i < requests.Count; i++)
        {
            warmupSamples += requests[i].Samples;
            RemoteWriteContent.TryDecompress(requests[i].Body, 128 << 20, out var body, out var length, out _);
            await receiver.ApplyAsync(body.AsMemory(0, length), RemoteWriteVersion.V1, warmupDecoder, CancellationToken.None);
            System.Buffers.ArrayPool<byte>.Shared.Return(body!);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first round (series creation): {warmupWatch.Elapsed.TotalSeconds:F1}s"));
        var next = warmup - 1;
        long samples = 0, decompressTicks = 0, validateTicks = 0, applyTicks = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        // CPU time rather than elapsed time is what decides the rate when the load generator shares the cores.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var stop = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var decoder = new RemoteWriteDecoder();
            while (watch.Elapsed < stop)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= requests.Count)
                {
                    break;
                }

                var (compressed, count) = requests[i];
                var t0 = Stopwatch.GetTimestamp();
                if (!RemoteWriteContent.TryDecompress(compressed, 128 << 20, out var body, out var length, out var error))
                {
                    throw new InvalidOperationException(error);
                }

                var t1 = Stopwatch.GetTimestamp();
                if (!decoder.TryValidate(body.AsSpan(0, length), RemoteWriteVersion.V1, out _, out error))
                {
                    throw new InvalidOperationException(error);
                }

                var t2 = Stopwatch.GetTimestamp();
                await receiver.ApplyAsync(body.AsMemory(0, length), RemoteWriteVersion.V1, decoder, CancellationToken.None);
                var t3 = Stopwatch.GetTimestamp();
                System.Buffers.ArrayPool<byte>.Shared.Return(body!);
                Interlocked.Add(ref decompressTicks, t1 - t0);
                Interlocked.Add(ref validateTicks, t2 - t1);
                Interlocked.Add(ref applyTicks, t3 - t2);
                Interlocked.Add(ref samples, count);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var active = store.Index.Count;
        var rss = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"in-process: samples/s {samples / elapsed:F0}  samples {samples}  ({elapsed:F1}s, {concurrency} writers, fsync {fsync})  process CPU {cpu / Math.Max(1, samples):F3} us/sample"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  time per sample (summed over writers): decompress {Ms(decompressTicks) * 1e6 / Math.Max(1, samples):F0} ns  validate {Ms(validateTicks) * 1e6 / Math.Max(1, samples):F0} ns  apply {Ms(applyTicks) * 1e6 / Math.Max(1, samples):F0} ns"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated {allocated / Math.Max(1, samples):F0} B/sample, {gcs} GCs; after GC: heap {heap / Math.Max(1, active):F0} B/series, RSS {rss / Math.Max(1, active):F0} B/series ({active} series, hot tier {store.HotMemoryBytes / Math.Max(1, active):F0} B/series)"));
        // What the samples cost on disk once flushed: chunk rows in segments plus whatever log is left.
        var flushWatch = Stopwatch.StartNew();
        await store.FlushAsync();
        var flushSeconds = flushWatch.Elapsed.TotalSeconds;
        var diskBytes = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var segmentBytes = new DirectoryInfo(directory).EnumerateFiles("*.parquet", SearchOption.AllDirectories).Sum(f => f.Length);
        var stored = samples + warmupSamples;
        // Log segments are deleted whole, so until the clean close below the directory still holds the active ones.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  after flush ({flushSeconds:F1}s): segments {(double)segmentBytes / Math.Max(1, stored):F2} B/sample ({segmentBytes} bytes, {store.SegmentCount} segments), with logs {(double)diskBytes / Math.Max(1, stored):F2} B/sample ({stored} samples)"));
        await store.DisposeAsync();
        return 0;
    }
}
