using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LumaDB.Bench.PromQL;
using LumaDB.Bench.RemoteWrite;
using Snappier;

// Writes the same dashboard-like data to LumaDB and Prometheus over remote write, then runs typical Grafana
// range queries against both, several times each: median latency per server, the ratio, and whether the
// results agree.
// Usage: --luma http://127.0.0.1:P --prom http://127.0.0.1:Q [--hosts 128] [--hours 6] [--runs 5] [--step 30] [--settle 15]
//    or: --in-process 1 [--hosts 128] [--hours 6] [--runs 5] [--step 30]
var argsMap = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    argsMap[args[i].TrimStart('-')] = args[i + 1];
}

if (argsMap.ContainsKey("in-process"))
{
    // The engine alone over an in-memory store: series-wise against step-by-step range evaluation.
    InProcess.Run(argsMap);
    return;
}

var luma = argsMap["luma"];
var prom = argsMap["prom"];
var hosts = int.Parse(argsMap.GetValueOrDefault("hosts", "128"), CultureInfo.InvariantCulture);
var hours = double.Parse(argsMap.GetValueOrDefault("hours", "6"), CultureInfo.InvariantCulture);
var runs = int.Parse(argsMap.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
var stepSeconds = int.Parse(argsMap.GetValueOrDefault("step", "30"), CultureInfo.InvariantCulture);
const int IntervalMs = 15_000;

var data = new DashboardData(hosts);
var steps = (int)(hours * 3600 * 1000 / IntervalMs);
var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / IntervalMs * IntervalMs;
var start = end - ((long)(steps - 1) * IntervalMs);
Console.WriteLine($"series {data.Series.Count}, samples per series {steps}, total samples {(long)data.Series.Count * steps}");

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
var writeWatch = Stopwatch.StartNew();
var writeTimes = new Dictionary<string, TimeSpan> { ["LumaDB"] = TimeSpan.Zero, ["Prometheus"] = TimeSpan.Zero };

// Ten-minute windows, every series in each window before the next one: both servers see samples in time order.
const int WindowSteps = 40;
const int SeriesPerRequest = 500;
for (var w = 0; w < steps; w += WindowSteps)
{
    var bodies = new List<byte[]>();
    var encoder = new WriteRequestEncoder();
    var points = new (long, double)[Math.Min(WindowSteps, steps - w)];
    for (var first = 0; first < data.Series.Count; first += SeriesPerRequest)
    {
        encoder.Reset();
        for (var s = first; s < Math.Min(first + SeriesPerRequest, data.Series.Count); s++)
        {
            for (var k = 0; k < points.Length; k++)
            {
                var step = w + k;
                points[k] = (start + ((long)step * IntervalMs), DashboardData.Value(data.Series[s], s, step));
            }

            encoder.AddSeries(data.Series[s].Labels, points);
        }

        bodies.Add(Snappy.CompressToArray(encoder.Written));
    }

    foreach (var (name, url) in new[] { ("LumaDB", luma), ("Prometheus", prom) })
    {
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (body, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            content.Headers.ContentEncoding.Add("snappy");
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/v1/write") { Content = content };
            request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        writeTimes[name] += sw.Elapsed;
    }
}

Console.WriteLine($"written in {writeWatch.Elapsed.TotalSeconds:F1} s (LumaDB {writeTimes["LumaDB"].TotalSeconds:F1} s, Prometheus {writeTimes["Prometheus"].TotalSeconds:F1} s)");

// Both servers flush and compact what was just written; queries start once that has had time to finish.
var settle = int.Parse(argsMap.GetValueOrDefault("settle", "15"), CultureInfo.InvariantCulture);
await Task.Delay(TimeSpan.FromSeconds(settle));

// The load left this process a large heap; collecting it now keeps its collections out of the timed queries.
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
GC.WaitForPendingFinalizers();

var queries = DashboardData.Queries;

// Off the 15 s sample grid (as a dashboard's "now" is): no sample sits exactly on a window edge, where Prometheus 2.x
// (closed windows) and 3.x (left-open windows) differ.
// The range starts one 5m window after the first sample: a window reaching before a series' first sample is
// extrapolated differently by Prometheus 2.x (zero point of a counter checked before the half-interval cap) and 3.x
// (after it), which LumaDB follows; that alone made the first steps of every rate differ by about 1%.
var qs = $"&start={(start + 300_000 + 7_000) / 1000.0:F3}&end={end / 1000.0:F3}&step={stepSeconds}";
Console.WriteLine($"{"query",-100} {"LumaDB ms",10} {"Prom ms",10} {"ratio",7}  agree");
var worst = 0.0;
var timings = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var query in queries)
{
    var url = "/api/v1/query_range?query=" + Uri.EscapeDataString(query) + qs;
    var results = new Dictionary<string, string>();
    var medians = new Dictionary<string, double>();
    var servers = new[] { ("LumaDB", luma), ("Prometheus", prom) };
    var times = servers.ToDictionary(s => s.Item1, _ => new List<double>());

    // Runs alternate between the servers, so a burst of background work on the machine lands on both.
    for (var r = 0; r < runs + 1; r++)
    {
        foreach (var (name, server) in servers)
        {
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync(server + url);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var ms = sw.Elapsed.TotalMilliseconds; // until the last byte; decoding the body is the client's own work
            var body = Encoding.UTF8.GetString(bytes);
            if (response.Headers.TryGetValues("Server-Timing", out var timing))
            {
                timings[query] = string.Join(", ", timing);
            }

            if (r > 0)
            {
                times[name].Add(ms); // the first run warms caches on both sides
            }

            results[name] = body;
        }
    }

    foreach (var (name, list) in times)
    {
        list.Sort();
        medians[name] = list[list.Count / 2];
    }

    var ratio = medians["LumaDB"] / medians["Prometheus"];
    worst = Math.Max(worst, ratio);
    var agree = Agreement(results["LumaDB"], results["Prometheus"], query.StartsWith("topk", StringComparison.Ordinal));
    Console.WriteLine($"{query,-100} {medians["LumaDB"],10:F1} {medians["Prometheus"],10:F1} {ratio,7:F2}  {agree}");
    if (timings.TryGetValue(query, out var spent))
    {
        Console.WriteLine($"  LumaDB server timing: {spent}");
    }

    if (query.StartsWith("rate(", StringComparison.Ordinal) && agree.StartsWith("NO: ", StringComparison.Ordinal) && agree.Contains(" at ", StringComparison.Ordinal))
    {
        await ExplainAsync(query, agree);
    }
}

Console.WriteLine($"worst LumaDB/Prometheus ratio {worst:F2}");

// For a differing point of a per-series rate: the raw samples of its 5m window on each server.
async Task ExplainAsync(string query, string agree)
{
    var metric = System.Text.RegularExpressions.Regex.Match(query, @"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{|\[)").Groups[1].Value;
    var rest = agree["NO: ".Length..];
    var at = rest.LastIndexOf(" at ", StringComparison.Ordinal);
    var labels = rest[..at];
    var ts = rest[(at + 4)..rest.IndexOf(':', at)];
    if (labels.Length == 0 || !labels.Contains('=', StringComparison.Ordinal))
    {
        return;
    }

    var selector = metric + "{" + string.Join(",", labels.Split(',').Select(l => l.Split('=', 2)).Select(p => $"{p[0]}=\"{p[1]}\"")) + "}[5m]";
    foreach (var (name, server) in new[] { ("LumaDB", luma), ("Prometheus", prom) })
    {
        var body = await http.GetStringAsync(server + "/api/v1/query?query=" + Uri.EscapeDataString(selector) + "&time=" + ts);
        using var doc = JsonDocument.Parse(body);
        foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var values = series.GetProperty("values").EnumerateArray().Select(p => $"{p[0].GetDouble():F3}={p[1].GetString()}");
            Console.WriteLine($"  {name} {selector} @{ts}: {string.Join(" ", values)}");
        }
    }
}

// "yes (n series, m points)" when both matrices hold the same series and points within 1e-6 relative.
static string Agreement(string lumaJson, string promJson, bool ties)
{
    var a = Parse(lumaJson);
    var b = Parse(promJson);
    if (a.Count != b.Count)
    {
        return $"NO: {a.Count} vs {b.Count} series";
    }

    var points = 0;
    foreach (var (labels, pa) in a)
    {
        if (!b.TryGetValue(labels, out var pb))
        {
            return ties ? "series differ (topk ties)" : "NO: series " + labels + " missing in Prometheus";
        }

        if (pa.Count != pb.Count)
        {
            return $"NO: {labels}: {pa.Count} vs {pb.Count} points";
        }

        for (var i = 0; i < pa.Count; i++)
        {
            var (ta, va) = pa[i];
            var (tb, vb) = pb[i];
            var close = va == vb || (double.IsNaN(va) && double.IsNaN(vb)) || Math.Abs(va - vb) <= 1e-6 * Math.Max(Math.Abs(va), Math.Abs(vb));
            if (ta != tb || !close)
            {
                return $"NO: {labels} at {ta}: {va} vs {vb}";
            }

            points++;
        }
    }

    return $"yes ({a.Count} series, {points} points)";
}

static Dictionary<string, List<(double T, double V)>> Parse(string json)
{
    using var doc = JsonDocument.Parse(json);
    var result = new Dictionary<string, List<(double, double)>>(StringComparer.Ordinal);
    foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
    {
        var labels = string.Join(",", series.GetProperty("metric").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value.GetString()));
        var points = new List<(double, double)>();
        foreach (var p in series.GetProperty("values").EnumerateArray())
        {
            points.Add((p[0].GetDouble(), double.Parse(p[1].GetString()!, CultureInfo.InvariantCulture)));
        }

        result[labels] = points;
    }

    return result;
}
