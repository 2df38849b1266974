using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LumaDB.Bench.Otlp;

/// <summary>A luma server (the luma.dll built beside the bench, or the binary LUMA_BIN names) on free loopback ports.</summary>
internal sealed partial class LumaServer : IAsyncDisposable
{
    private readonly Process _process;

    private LumaServer(Process process, string dataDir, int grpcPort, int httpPort, int restPort)
    {
        _process = process;
        DataDir = dataDir;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        RestPort = restPort;
    }

    public string DataDir { get; }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    /// <summary>The REST listener (readiness, the trace API).</summary>
    public int RestPort { get; }

    public static async Task<LumaServer> StartAsync(string dataDir, IEnumerable<string> extraSettings)
    {
        // LUMA_BIN names a luma binary to run (the NativeAOT one the side-by-side scripts publish); else the
        // luma.dll built beside the bench runs on the JIT.
        var binary = Environment.GetEnvironmentVariable("LUMA_BIN");
        var (grpc, http, health) = (FreePort(), FreePort(), FreePort());
        var info = new ProcessStartInfo(string.IsNullOrEmpty(binary) ? "dotnet" : binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (string.IsNullOrEmpty(binary))
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "luma.dll"));
        }

        foreach (var arg in new[]
        {
            "serve", "--data-dir", dataDir,
            "--set", $"otlp_grpc.port={grpc}", "--set", $"otlp_http.port={http}", "--set", $"http.port={health}",
            "--set", "postgres.port=0", "--set", "prometheus.port=0", "--set", "internal_grpc.port=0", "--set", "log.level=warning",
        })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var setting in extraSettings)
        {
            info.ArgumentList.Add("--set");
            info.ArgumentList.Add(setting);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start luma");
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("luma: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"luma exited with {process.ExitCode}");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri($"http://127.0.0.1:{health}/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    // The telemetry tables are created just after storage is ready.
                    await Task.Delay(300);
                    return new LumaServer(process, dataDir, grpc, http, health);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer within the timeout.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("luma did not become ready");
    }

    /// <summary>Stops the server with SIGTERM, which flushes every memtable to segment files.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>CPU time the server has used so far (user plus system), from /proc.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
    }

    /// <summary>
    /// User and system CPU time and minor page faults of the server so far, from /proc/PID/stat: on a virtual
    /// machine a first touch of a page can cost more than the work done in it, which the system time shows.
    /// </summary>
    public (TimeSpan User, TimeSpan System, long MinorFaults) CpuSplit() => ProcStat.Read(_process.Id);

    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.HasExited ? 0 : _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
