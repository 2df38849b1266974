using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// Measures luma's start-up: from process start to the first 200 from /ready, over several runs,
// each on a fresh data directory and fresh loopback ports.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: LumaDB.Bench.Startup <path to luma or luma.dll> [runs=10]");
    return 2;
}

var binary = Path.GetFullPath(args[0]);
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
var timings = new List<double>();

for (var run = 0; run < runs; run++)
{
    var dataDir = Directory.CreateTempSubdirectory("luma-startup-").FullName;
    var ports = Enumerable.Range(0, 6).Select(_ => FreePort()).ToArray();
    var info = binary.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") : new ProcessStartInfo(binary);
    if (binary.EndsWith(".dll", StringComparison.Ordinal))
    {
        info.ArgumentList.Add(binary);
    }

    info.ArgumentList.Add("serve");
    info.ArgumentList.Add("--data-dir");
    info.ArgumentList.Add(dataDir);
    var names = new[] { "postgres", "http", "prometheus", "otlp_grpc", "otlp_http", "internal_grpc" };
    for (var i = 0; i < names.Length; i++)
    {
        info.ArgumentList.Add("--set");
        info.ArgumentList.Add($"{names[i]}.port={ports[i]}");
    }

    info.RedirectStandardOutput = true;
    info.RedirectStandardError = true;
    var ready = new Uri($"http://127.0.0.1:{ports[1]}/ready");

    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    while (true)
    {
        if (process.HasExited)
        {
            Console.Error.WriteLine($"luma exited with {process.ExitCode} before it was ready");
            return 1;
        }

        try
        {
            using var response = await http.GetAsync(ready);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(1);
    }

    var elapsed = watch.Elapsed.TotalMilliseconds;
    timings.Add(elapsed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {elapsed:F1} ms"));
    process.Kill();
    await process.WaitForExitAsync();
    Directory.Delete(dataDir, recursive: true);
}

timings.Sort();
var median = timings.Count % 2 == 1 ? timings[timings.Count / 2] : (timings[(timings.Count / 2) - 1] + timings[timings.Count / 2]) / 2;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"start-up to /ready 200 over {timings.Count} runs: median {median:F1} ms, min {timings[0]:F1} ms, max {timings[^1]:F1} ms"));
return 0;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
