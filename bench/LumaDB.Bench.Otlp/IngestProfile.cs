using System.Diagnostics;
using System.Globalization;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp;
using LumaDB.Storage.Shards;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Bench.Otlp;

/// <summary>
/// The ingest path without sockets, in this process: decoding the protobuf request straight into encoded rows
/// ("parse"; "map" is then nothing) and the store's append (WAL, memtable) of a database in a temporary directory, timed stage by stage on one thread.
/// Single-threaded CPU time per item is what limits throughput on a small machine, whatever else runs on it.
/// </summary>
internal static class IngestProfile
{
    public static async Task RunAsync(List<ExportTemplate> spanTemplates, List<ExportTemplate> logTemplates, int seconds)
    {
        var dir = Directory.CreateTempSubdirectory("luma-otlp-profile-").FullName;
        try
        {
            var database = new Database(dir, NullLogger<Database>.Instance);
            await using (database)
            {
                database.AcquireDataDirectory();
                await database.RecoverAsync(CancellationToken.None);
                using var store = new TelemetryStore(database, new TelemetryTableOptions(), TimeProvider.System);
                var tables = await store.EnsureTablesAsync();
                if (spanTemplates.Count > 0)
                {
                    var decoder = new OtlpTraceDecoder(tables.Traces.Layout);
                    DecodeOnly("spans", spanTemplates, seconds, bytes => decoder.Decode(bytes.Span));
                    await StagesAsync("spans", spanTemplates, seconds, bytes =>
                    {
                        decoder.Decode(bytes.Span);
                        return () => () => store.AppendAsync(decoder.Batch);
                    });
                    await MaintenanceAsync("spans", database, tables.Traces.Layout);
                }

                if (logTemplates.Count > 0)
                {
                    var decoder = new OtlpLogDecoder(tables.Logs.Layout, store.ReserveLogIds);
                    DecodeOnly("log records", logTemplates, seconds, bytes => decoder.Decode(bytes.Span, 1));
                    await StagesAsync("log records", logTemplates, seconds, bytes =>
                    {
                        decoder.Decode(bytes.Span, 1);
                        return () => () => store.AppendAsync(decoder.Batch);
                    });
                    await MaintenanceAsync("log records", database, tables.Logs.Layout);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The decoder alone, in a loop on this thread: its CPU time and allocations per item.</summary>
    private static void DecodeOnly(string what, List<ExportTemplate> templates, int seconds, Action<ReadOnlyMemory<byte>> decode)
    {
        var buffer = new byte[templates.Max(t => t.Body.Length)];
        long items = 0, n = 0, ticks = 0;
        var alloc0 = GC.GetAllocatedBytesForCurrentThread();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var end = Stopwatch.GetTimestamp() + (Math.Max(1, seconds / 2) * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var template = templates[(int)(n % templates.Count)];
            n++;
            template.WriteTo(buffer, (ulong)n * 0x9E3779B97F4A7C15UL, n * 1_000_000_000L);
            var t0 = Stopwatch.GetTimestamp();
            decode(buffer.AsMemory(0, template.Body.Length));
            ticks += Stopwatch.GetTimestamp() - t0;
            items += template.Items;
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decode only, {what}: {ticks * 1e6 / Stopwatch.Frequency / items:F2} us each (wall, one thread), process CPU {cpu * 1e6 / items:F2} us each, {(GC.GetAllocatedBytesForCurrentThread() - alloc0) / items} B allocated each"));
    }

    /// <summary>
    /// After the timed appends: the flush of what is left in the memtable, then (after whatever merges the policy
    /// still has due) a major compaction of the table, every warm segment merged into one, timed as process CPU
    /// per row it handled. The merge rewrites every row once, so its figure is the cost of one
    /// compaction pass per row, which the timed appends only partly include (background merges run when due).
    /// </summary>
    private static async Task MaintenanceAsync(string what, Database database, TableLayout table)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        await database.FlushAsync();

        // Whatever the size-tiered policy still has due (a background merge may be running) first, untimed.
        await database.Shard.CompactAsync();
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        var faults0 = ProcStat.Read(Environment.ProcessId).MinorFaults;
        var result = await database.Shard.CompactAsync(table);
        process.Refresh();
        var cpu2 = process.TotalProcessorTime;
        var faults1 = ProcStat.Read(Environment.ProcessId).MinorFaults;
        if (result is null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"maintenance, {what}: final flush and due merges {(cpu1 - cpu0).TotalSeconds:F2}s CPU; fewer than two segments left, no major compaction"));
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"maintenance, {what}: final flush and due merges {(cpu1 - cpu0).TotalSeconds:F2}s CPU; major compaction of {result.Inputs.Count} segments, {result.RowsRead} rows: " +
            $"{(cpu2 - cpu1).TotalSeconds * 1e6 / Math.Max(1, result.RowsRead):F2} us process CPU per row, {(faults1 - faults0) * 1000.0 / Math.Max(1, result.RowsRead):F1} minor page faults per 1,000 rows"));
    }

    private static async Task StagesAsync(string what, List<ExportTemplate> templates, int seconds, Func<ReadOnlyMemory<byte>, Func<Func<ValueTask>>> parse)
    {
        var buffer = new byte[templates.Max(t => t.Body.Length)];
        long parseTicks = 0, mapTicks = 0, writeTicks = 0, items = 0, n = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var gc0 = GC.CollectionCount(0);
        var split0 = ProcStat.Read(Environment.ProcessId);
        var alloc0 = GC.GetTotalAllocatedBytes(precise: false);
        var end = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var template = templates[(int)(n % templates.Count)];
            n++;
            template.WriteTo(buffer, (ulong)n * 0x9E3779B97F4A7C15UL, n * 1_000_000_000L);
            var body = buffer.AsMemory(0, template.Body.Length);
            var t0 = Stopwatch.GetTimestamp();
            var map = parse(body);
            var t1 = Stopwatch.GetTimestamp();
            var write = map();
            var t2 = Stopwatch.GetTimestamp();
            await write();
            var t3 = Stopwatch.GetTimestamp();
            parseTicks += t1 - t0;
            mapTicks += t2 - t1;
            writeTicks += t3 - t2;
            items += template.Items;
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var split1 = ProcStat.Read(Environment.ProcessId);
        double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency / items;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"in-process {what}: {items} in {n} requests; per item: parse {Us(parseTicks):F2} us, map {Us(mapTicks):F2} us, store {Us(writeTicks):F2} us; " +
            $"{items / ((parseTicks + mapTicks + writeTicks) / (double)Stopwatch.Frequency):F0} {what}/s on one thread; process CPU {cpu * 1e6 / items:F2} us each; " +
            $"{(GC.GetTotalAllocatedBytes(precise: false) - alloc0) / items} B allocated each, {GC.CollectionCount(0) - gc0} gen0 GCs; " +
            $"system CPU {(split1.System - split0.System).TotalSeconds * 1e6 / items:F2} us each, {(split1.MinorFaults - split0.MinorFaults) * 1000.0 / items:F1} minor page faults per 1,000"));
    }
}
