using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using LumaDB.Bench.Otlp;

// OTLP load generator: realistic spans and log records, pre-encoded, exported at full speed by several
// concurrent OTLP/HTTP and OTLP/gRPC senders; reports items/s, export latency and on-disk bytes per item.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: LumaDB.Bench.Otlp [--duration 20] [--concurrency 4] [--batch 1000] [--protocol mixed|http|grpc]
                 [--signals traces,logs] [--templates 64] [--host 127.0.0.1 --grpc-port 4317 --http-port 4318]
                 [--requests N] [--no-lookups] [--set key=value ...] [--in-process]
        Without --host the bench starts luma (luma.dll beside it, or the binary the LUMA_BIN environment variable
        names) on a fresh data directory and, after the run, stops it with SIGTERM (which flushes) to measure the
        otel_traces and otel_logs segment files. --requests stops each signal after N requests (or the duration,
        whichever comes first): a fixed workload, for instruction counts under a profiler; --no-lookups leaves out
        the trace API reads after the span run.
        --in-process times parse, mapping and store append in this process, without sockets.
        """);
    return 2;
}

var culture = CultureInfo.InvariantCulture;
var baseUnixNano = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
var generator = new TelemetryGenerator(7);
var watch = Stopwatch.StartNew();
var spanTemplates = new List<ExportTemplate>();
var logTemplates = new List<ExportTemplate>();
var logLines = new List<string>();
for (var i = 0; i < options.Templates; i++)
{
    if (options.Traces)
    {
        var (request, spans) = generator.Traces(options.Batch, baseUnixNano + (i * 1_000_000_000L));
        spanTemplates.Add(ExportTemplate.Locate(request.ToByteArray(), spans, baseUnixNano, traces: true));
    }

    if (options.Logs)
    {
        var (request, lines) = generator.Logs(options.Batch, baseUnixNano + (i * 1_000_000_000L));
        logTemplates.Add(ExportTemplate.Locate(request.ToByteArray(), lines.Count, baseUnixNano, traces: false));
        logLines.AddRange(lines);
    }
}

Console.WriteLine(string.Create(culture,
    $"generated {options.Templates} request templates per signal in {watch.Elapsed.TotalSeconds:F1}s: {Average(spanTemplates)} B per trace request, {Average(logTemplates)} B per logs request"));

if (options.Profile)
{
    await IngestProfile.RunAsync(spanTemplates, logTemplates, options.Duration);
    return 0;
}

string dataDir = "";
LumaServer? server = null;
var host = options.Host;
int grpcPort = options.GrpcPort, httpPort = options.HttpPort;
if (host is null)
{
    dataDir = Directory.CreateTempSubdirectory("luma-otlp-bench-").FullName;
    server = await LumaServer.StartAsync(dataDir, options.Settings);
    (host, grpcPort, httpPort) = ("127.0.0.1", server.GrpcPort, server.HttpPort);
}

var failed = false;
try
{
    Console.WriteLine(string.Create(culture,
        $"luma at {host} (grpc {grpcPort}, http {httpPort}); {options.Concurrency} senders ({options.Protocol}), {options.Batch} items per request, {options.Duration}s per signal"));
    long spansSent = 0, logsSent = 0;
    if (options.Traces)
    {
        var runStart = DateTimeOffset.UtcNow;
        var run = await RunAsync("spans", spanTemplates, traces: true);
        spansSent = run.Items;
        failed |= run.Failures > 0;
        if (server is not null && spansSent > 0 && !options.NoLookups)
        {
            await TraceLookupsAsync(server, runStart, DateTimeOffset.UtcNow);
        }
    }

    if (options.Logs)
    {
        var run = await RunAsync("log records", logTemplates, traces: false);
        logsSent = run.Items;
        failed |= run.Failures > 0;
    }

    if (server is null)
    {
        Console.WriteLine("on-disk bytes: not measured (the bench measures them only for a server it starts itself)");
    }
    else
    {
        Console.WriteLine(string.Create(culture, $"resident memory before stop: {server.ResidentBytes() / (1 << 20)} MiB; stopping luma (SIGTERM flushes)..."));
        var stop = Stopwatch.StartNew();
        await server.StopAsync();
        Console.WriteLine(string.Create(culture, $"stopped in {stop.Elapsed.TotalSeconds:F1}s"));
        var (_, rowsAtStop, filesAtStop) = await SegmentUsage.MeasureAsync(dataDir, "trace_state");

        // Opening a data directory deletes the segment files its manifest no longer names (compaction inputs a stop
        // can leave behind); reopen once and stop again so that only live segments are counted.
        await using (var reopened = await LumaServer.StartAsync(dataDir, options.Settings))
        {
            await reopened.StopAsync();
        }

        if (options.Traces)
        {
            Console.WriteLine(string.Create(culture, $"otel_traces right after the stop: {rowsAtStop} rows in {filesAtStop} segment files; after a reopen:"));
        }
        if (options.Traces)
        {
            var (bytes, rows, files) = await SegmentUsage.MeasureAsync(dataDir, "trace_state");
            Console.WriteLine(string.Create(culture,
                $"otel_traces: {rows} rows ({spansSent} spans accepted) in {files} segment files, {bytes} bytes: {Ratio(bytes, rows):F1} bytes per span"));
            if (rows != spansSent)
            {
                // Segment files hold a different count than was accepted: list them to see which.
                await SegmentUsage.MeasureAsync(dataDir, "trace_state", Console.Out);
            }
        }

        if (options.Logs)
        {
            var (bytes, rows, files) = await SegmentUsage.MeasureAsync(dataDir, "severity_number");
            var raw = logLines.Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1);
            var gzip = GzipBytes(logLines);
            Console.WriteLine(string.Create(culture,
                $"otel_logs: {rows} rows ({logsSent} log records accepted) in {files} segment files, {bytes} bytes: {Ratio(bytes, rows):F1} bytes per log record"));
            Console.WriteLine(string.Create(culture,
                $"reference: the same records as logfmt lines are {Ratio(raw, logLines.Count):F1} bytes per line raw, {Ratio(gzip, logLines.Count):F1} gzipped in 1 MiB chunks"));
        }

        Console.WriteLine("Loki side-by-side: not run; Grafana Loki has no Debian package here (Debian's loki is an unrelated program) and its Go module is under the AGPL");
    }
}
finally
{
    if (server is not null)
    {
        await server.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

return failed ? 1 : 0;

async Task<(long Items, long Failures)> RunAsync(string what, List<ExportTemplate> templates, bool traces)
{
    var latencies = new List<double>[options.Concurrency];
    var byProtocol = new Dictionary<string, List<double>>();
    long items = 0, requests = 0, failures = 0, sequence = 0;
    var cpuBefore = server?.CpuTime() ?? TimeSpan.Zero;
    var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var splitBefore = server?.CpuSplit() ?? default;
    var started = Stopwatch.GetTimestamp();
    var end = DateTime.UtcNow.AddSeconds(options.Duration);
    var maxBody = templates.Max(t => t.Body.Length);
    var tasks = Enumerable.Range(0, options.Concurrency).Select(sender => Task.Run(async () =>
    {
        var protocol = options.Protocol == "mixed" ? (sender % 2 == 0 ? "grpc" : "http") : options.Protocol;
        using Exporter exporter = protocol == "grpc" ? new GrpcExporter(host!, grpcPort) : new HttpExporter(host!, httpPort);
        var mine = latencies[sender] = [];
        var buffer = new byte[maxBody];
        while (DateTime.UtcNow < end)
        {
            var n = Interlocked.Increment(ref sequence);
            if (options.Requests > 0 && n > options.Requests)
            {
                break;
            }

            var template = templates[(int)(n % templates.Count)];

            // A fresh salt per request gives every trace new ids; times move to now.
            var salt = (ulong)n * 0x9E3779B97F4A7C15UL;
            var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            template.WriteTo(buffer, salt, now - template.BaseUnixNano - 1_000_000_000L);
            var t0 = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                error = await exporter.ExportAsync(traces, buffer.AsMemory(0, template.Body.Length));
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                if (Interlocked.Increment(ref failures) <= 3)
                {
                    Console.Error.WriteLine($"{protocol} export failed: {error}");
                }

                continue;
            }

            mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Interlocked.Add(ref items, template.Items);
            Interlocked.Increment(ref requests);
        }

        lock (byProtocol)
        {
            if (!byProtocol.TryGetValue(protocol, out var list))
            {
                byProtocol[protocol] = list = [];
            }

            list.AddRange(mine);
        }
    })).ToArray();
    await Task.WhenAll(tasks);
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var cpu = ((server?.CpuTime() ?? TimeSpan.Zero) - cpuBefore).TotalSeconds;
    var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
    var splitAfter = server?.CpuSplit() ?? default;
    var all = byProtocol.Values.SelectMany(l => l).Order().ToList();
    Console.WriteLine(string.Create(culture,
        $"{what}/s {items / seconds:F0}  {what} {items}  requests {requests}  failures {failures}  export p50 {Percentile(all, 0.50):F1} ms  p99 {Percentile(all, 0.99):F1} ms  ({seconds:F1}s)"));
    if (server is not null)
    {
        // On a shared machine the wall-clock rate depends on what else runs; the server's CPU time per item does not.
        Console.WriteLine(string.Create(culture,
            $"  server CPU {cpu:F1}s: {(cpu > 0 ? items / cpu : 0):F0} {what} per CPU-second ({(items > 0 ? cpu * 1e6 / items : 0):F1} us each)"));
        var user = (splitAfter.User - splitBefore.User).TotalSeconds;
        var system = (splitAfter.System - splitBefore.System).TotalSeconds;
        var faults = splitAfter.MinorFaults - splitBefore.MinorFaults;
        Console.WriteLine(string.Create(culture,
            $"  of which user {user:F1}s, system {system:F1}s; {faults} minor page faults ({(items > 0 ? faults * 1000.0 / items : 0):F1} per 1,000 {what})"));
    }

    // The senders share the machine with the server: what they cost bounds what a machine can accept.
    Console.WriteLine(string.Create(culture,
        $"  load generator CPU {ownCpu:F1}s ({(items > 0 ? ownCpu * 1e6 / items : 0):F1} us per {what[..^1]}){(server is null || cpu + ownCpu <= 0 ? "" : $", {100 * ownCpu / (cpu + ownCpu):F0}% of server plus generator")}"));

    foreach (var (protocol, list) in byProtocol.OrderBy(p => p.Key))
    {
        list.Sort();
        Console.WriteLine(string.Create(culture, $"  {protocol}: {list.Count} requests, p50 {Percentile(list, 0.50):F1} ms, p99 {Percentile(list, 0.99):F1} ms"));
    }

    return (items, failures);
}

// Reads back traces from across the run through the trace API, right after it (merges may still be due): one
// search per tenth of the run for a few of its traces, the newest traces with no bounds, then each of the traces
// the searches found by id.
static async Task TraceLookupsAsync(LumaServer server, DateTimeOffset from, DateTimeOffset to)
{
    var culture = System.Globalization.CultureInfo.InvariantCulture;
    using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.RestPort}"), Timeout = TimeSpan.FromMinutes(2) };
    var ids = new List<string>();
    var searches = new List<double>();
    var slice = (to - from) / 10;
    for (var i = 0; i < 10; i++)
    {
        var start = (from + (slice * i)).ToUnixTimeMilliseconds() / 1000.0;
        var end = (from + (slice * (i + 1))).ToUnixTimeMilliseconds() / 1000.0;
        var t0 = Stopwatch.GetTimestamp();
        using var found = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(string.Create(culture, $"/api/v1/traces?limit=5&start={start:F3}&end={end:F3}")));
        searches.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        ids.AddRange(found.RootElement.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!));
    }

    // What a trace UI asks first: the newest traces, with no bounds.
    var newest = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var found = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/v1/traces?limit=20"));
        newest.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }

    var lookups = new List<double>();
    var spans = 0;
    foreach (var id in ids)
    {
        var t0 = Stopwatch.GetTimestamp();
        var body = await client.GetStringAsync($"/api/v1/traces/{id}");
        lookups.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        spans += body.Split("\"spanId\"").Length - 1;
    }

    searches.Sort();
    newest.Sort();
    lookups.Sort();
    Console.WriteLine(string.Create(culture,
        $"  trace API right after the run: 10 searches (5 traces each, one per tenth of the run) p50 {Percentile(searches, 0.5):F0} ms, max {searches[^1]:F0} ms; newest 20 traces (no bounds) p50 {Percentile(newest, 0.5):F0} ms; {lookups.Count} traces by id ({spans} spans) p50 {Percentile(lookups, 0.5):F1} ms, p99 {Percentile(lookups, 0.99):F1} ms"));
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

static double Ratio(long a, long b) => b == 0 ? double.NaN : (double)a / b;

static long Average(List<ExportTemplate> templates) => templates.Count == 0 ? 0 : (long)templates.Average(t => t.Body.Length);

// Loki keeps a stream's lines in compressed chunks of about a megabyte; gzip of 1 MiB runs of the lines is the
// closest stand-in without Loki itself.
static long GzipBytes(List<string> lines)
{
    long total = 0;
    var chunk = new ArrayBufferWriter<byte>(1 << 20);
    void Flush()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(chunk.WrittenSpan);
        }

        total += output.Length;
        chunk.ResetWrittenCount();
    }

    foreach (var line in lines)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        chunk.Write(bytes);
        if (chunk.WrittenCount >= 1 << 20)
        {
            Flush();
        }
    }

    if (chunk.WrittenCount > 0)
    {
        Flush();
    }

    return total;
}

internal sealed record Options(int Duration, int Concurrency, int Batch, string Protocol, bool Traces, bool Logs, int Templates,
    string? Host, int GrpcPort, int HttpPort, List<string> Settings, bool Profile, int Requests, bool NoLookups)
{
    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        var profile = args.Contains("--in-process");
        var noLookups = args.Contains("--no-lookups");
        args = [.. args.Where(a => a is not ("--in-process" or "--no-lookups"))];
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            if (args[i] == "--set")
            {
                settings.Add(args[++i]);
            }
            else
            {
                values[args[i]] = args[++i];
            }
        }

        int Get(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var signals = values.GetValueOrDefault("--signals", "traces,logs").Split(',');
        var protocol = values.GetValueOrDefault("--protocol", "mixed");
        if (protocol is not ("mixed" or "http" or "grpc"))
        {
            return null;
        }

        return new Options(Get("--duration", 20), Get("--concurrency", 4), Get("--batch", 1000), protocol,
            signals.Contains("traces"), signals.Contains("logs"), Get("--templates", 64),
            values.GetValueOrDefault("--host"), Get("--grpc-port", 4317), Get("--http-port", 4318), settings, profile, Get("--requests", 0), noLookups);
    }
}
