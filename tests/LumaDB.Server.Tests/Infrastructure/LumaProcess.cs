using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LumaDB.Server.Tests.Infrastructure;

/// <summary>
/// A real luma server process on free loopback ports with a throwaway data directory, driven the way a user
/// would: command-line flags, signals, stdout and stderr.
/// </summary>
public sealed partial class LumaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownsDataDir;

    private LumaProcess(Process process, LumaPorts ports, string dataDir, bool ownsDataDir)
    {
        _process = process;
        Ports = ports;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    public LumaPorts Ports { get; }

    public string DataDir { get; }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Uri HttpBase => new($"http://127.0.0.1:{Ports.Http}");

    /// <summary>Path of the luma.dll built next to this test assembly's sources.</summary>
    public static string ServerAssembly { get; } = FindServerAssembly();

    /// <summary>Starts luma with every listener on a fresh free port plus the given extra arguments.</summary>
    public static LumaProcess Start(IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null, string? dataDir = null, LumaPorts? ports = null, string command = "serve", bool assignPorts = true)
    {
        ports ??= LumaPorts.Allocate();
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("luma-test-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        info.ArgumentList.Add(ServerAssembly);
        info.ArgumentList.Add(command);
        if (assignPorts)
        {
            info.ArgumentList.Add("--data-dir");
            info.ArgumentList.Add(Path.Combine(dataDir, "data"));
            foreach (var (name, port) in ports.All)
            {
                info.ArgumentList.Add("--set");
                info.ArgumentList.Add($"{name}.port={port}");
            }
        }

        foreach (var arg in extraArgs ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("LUMA_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var luma = new LumaProcess(process, ports, dataDir, ownsDataDir);
        process.OutputDataReceived += (_, e) => luma.Append(luma._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => luma.Append(luma._stderr, e.Data);
        process.Exited += (_, _) => luma._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return luma;
    }

    /// <summary>Starts luma and waits until /ready answers 200.</summary>
    public static async Task<LumaProcess> StartReadyAsync(IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null)
    {
        var luma = Start(extraArgs, environment);
        await luma.WaitReadyAsync();
        return luma;
    }

    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"luma exited with {_process.ExitCode} before it was ready.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(HttpBase, "/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"luma was not ready in time.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }

    /// <summary>Waits for the process to exit; returns false if it did not within the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(timeout)) == _exited.Task;
        if (finished)
        {
            // Let the asynchronous stdout/stderr readers drain.
            await _process.WaitForExitAsync();
        }

        return finished;
    }

    /// <summary>Sends a POSIX signal (15 = SIGTERM, 2 = SIGINT).</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private static string FindServerAssembly()
    {
        // The test project references the server project, so the build puts luma.dll beside the tests.
        var local = Path.Combine(AppContext.BaseDirectory, "luma.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "luma.runtimeconfig.json")))
        {
            return local;
        }

        throw new FileNotFoundException($"luma.dll and luma.runtimeconfig.json were not found in {AppContext.BaseDirectory}; build the solution first.");
    }
}

/// <summary>One free loopback port per listener.</summary>
public sealed class LumaPorts
{
    public required int Postgres { get; init; }

    public required int Http { get; init; }

    public required int Prometheus { get; init; }

    public required int OtlpGrpc { get; init; }

    public required int OtlpHttp { get; init; }

    public required int InternalGrpc { get; init; }

    public IEnumerable<(string Name, int Port)> All =>
    [
        ("postgres", Postgres), ("http", Http), ("prometheus", Prometheus),
        ("otlp_grpc", OtlpGrpc), ("otlp_http", OtlpHttp), ("internal_grpc", InternalGrpc),
    ];

    public static LumaPorts Allocate() => new()
    {
        Postgres = FreePorts.Next(),
        Http = FreePorts.Next(),
        Prometheus = FreePorts.Next(),
        OtlpGrpc = FreePorts.Next(),
        OtlpHttp = FreePorts.Next(),
        InternalGrpc = FreePorts.Next(),
    };
}
