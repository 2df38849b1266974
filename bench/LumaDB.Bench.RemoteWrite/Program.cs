using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.Channels;
using LumaDB.Bench.RemoteWrite;
using LumaDB.Storage.Wal;

// Remote write load generator: node_exporter-like series sent as snappy-compressed remote write 1.0 requests
// by several concurrent senders; reports samples/s and request latency percentiles. Requests are encoded
// before the clock starts (up to --prepare-mb of compressed bodies or --prepare-seconds of encoding), so the sender's own CPU, which shares the
// machine with the server, goes to sending; if the run outlasts them, the rest are encoded on the fly.
var options = ParseArgs(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: LumaDB.Bench.RemoteWrite --url http://127.0.0.1:9090/api/v1/write
                 [--series 100000] [--series-per-request 2000] [--samples-per-series 1]
                 [--concurrency 4] [--duration 30] [--interval-ms 1000] [--prepare-mb 1024] [--prepare-seconds 5]
                 [--max-samples 0]  stop after this many samples even before --duration (0: no limit)
               LumaDB.Bench.RemoteWrite --in-process DIRECTORY [--fsync always|interval|never] [same options]
                 drives the receiver and metric store in this process (no HTTP), timing each phase
        """);
    return 2;
}

var startTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (options.Duration * 1000L * 2);
var source = new RequestSource(options.Series, options.SeriesPerRequest, options.SamplesPerSeries, startTs, options.IntervalMs);
var prepared = new List<(byte[] Body, int Samples)>();
long preparedBytes = 0;
var encodeWatch = Stopwatch.StartNew();
while (preparedBytes < options.PrepareMb * (1L << 20) && (options.MaxSamples <= 0 || prepared.Count * (long)options.SeriesPerRequest * options.SamplesPerSeries < options.MaxSamples) && (encodeWatch.Elapsed.TotalSeconds < options.PrepareSeconds || options.InProcess is not null))
{
    var request = source.Next();
    prepared.Add(request);
    preparedBytes += request.Body.Length;
}

var encodeSeconds = encodeWatch.Elapsed.TotalSeconds;
var preparedSamples = prepared.Sum(r => (long)r.Samples);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"prepared {prepared.Count} requests, {preparedSamples} samples, {preparedBytes / (double)preparedSamples:F1} compressed B/sample, encoding at {preparedSamples / encodeSeconds:F0} samples/s"));

if (options.InProcess is { } directory)
{
    return await InProcess.RunAsync(directory, prepared, (options.Series + options.SeriesPerRequest - 1) / options.SeriesPerRequest, options.Concurrency, options.Duration, options.Fsync);
}

var batches = Channel.CreateBounded<(byte[] Body, int Samples)>(options.Concurrency * 4);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var latencies = new List<double>();
long samplesSent = 0, requests = 0, failures = 0;
var stop = DateTime.UtcNow.AddSeconds(options.Duration);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sending to {options.Url}: {options.Series} series, {options.SeriesPerRequest} series x {options.SamplesPerSeries} samples per request, {options.Concurrency} senders, {options.Duration}s"));

var producer = Task.Run(async () =>
{
    long queued = 0;
    bool More() => DateTime.UtcNow < stop && (options.MaxSamples <= 0 || queued < options.MaxSamples);
    foreach (var request in prepared)
    {
        if (!More())
        {
            break;
        }

        queued += request.Samples;
        await batches.Writer.WriteAsync(request);
    }

    while (More())
    {
        var request = source.Next();
        queued += request.Samples;
        await batches.Writer.WriteAsync(request);
    }

    batches.Writer.Complete();
});

var watch = Stopwatch.StartNew();
var senders = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
{
    var mine = new List<double>();
    await foreach (var (body, count) in batches.Reader.ReadAllAsync())
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = content };
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
                if (Interlocked.Read(ref failures) <= 3)
                {
                    Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                continue;
            }
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref failures);
            Console.Error.WriteLine(e.Message);
            continue;
        }

        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Add(ref samplesSent, count);
        Interlocked.Increment(ref requests);
    }

    lock (latencies)
    {
        latencies.AddRange(mine);
    }
})).ToArray();

await producer;
await Task.WhenAll(senders);
var seconds = watch.Elapsed.TotalSeconds;
latencies.Sort();
double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"samples/s {samplesSent / seconds:F0}  samples {samplesSent}  requests {requests}  failures {failures}  latency p50 {Percentile(0.50):F2} ms  p99 {Percentile(0.99):F2} ms  ({seconds:F1}s)"));
return failures == 0 ? 0 : 1;

static Options? ParseArgs(string[] args)
{
    var values = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        values[args[i]] = args[i + 1];
    }

    values.TryGetValue("--in-process", out var inProcess);
    if (!values.TryGetValue("--url", out var url) && inProcess is null)
    {
        return null;
    }

    int Get(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    var fsync = values.GetValueOrDefault("--fsync", "always") switch
    {
        "interval" => WalFsyncMode.Interval,
        "never" => WalFsyncMode.Never,
        _ => WalFsyncMode.Always,
    };
    return new Options(new Uri(url ?? "http://127.0.0.1/"), Get("--series", 100_000), Get("--series-per-request", 2000), Get("--samples-per-series", 1),
        Get("--concurrency", 4), Get("--duration", 30), Get("--interval-ms", 1000), Get("--prepare-mb", 1024), Get("--prepare-seconds", 5), inProcess, fsync, Get("--max-samples", 0));
}

internal sealed record Options(Uri Url, int Series, int SeriesPerRequest, int SamplesPerSeries, int Concurrency, int Duration, int IntervalMs,
    int PrepareMb, int PrepareSeconds, string? InProcess, WalFsyncMode Fsync, int MaxSamples);
