using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>The real Prometheus server (/usr/bin/prometheus) on a free loopback port with a temporary TSDB.</summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PrometheusProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static bool IsInstalled => File.Exists(Binary);

    private static string Binary => "/usr/bin/prometheus";

    /// <summary>Starts Prometheus with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static async Task<PrometheusProcess> StartAsync(string workDir, string configYaml, string tsdbPath, IEnumerable<string>? extraArgs = null)
    {
        var port = FreePorts.Next();
        var config = Path.Combine(workDir, $"prometheus-{port}.yml");
        await File.WriteAllTextAsync(config, configYaml);
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + config, "--storage.tsdb.path=" + tsdbPath, $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        }.Concat(extraArgs ?? []))
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var prometheus = new PrometheusProcess(process, port);
        process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("prometheus exited: " + prometheus.Output);
            }

            try
            {
                using var response = await prometheus.Http.GetAsync(prometheus.Url("/-/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await prometheus.DisposeAsync();
        throw new TimeoutException("prometheus was not ready in time");
    }

    public Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    /// <summary>Runs an instant query and returns the <c>data.result</c> array.</summary>
    public async Task<JsonElement> QueryAsync(string query, DateTimeOffset? at = null)
    {
        var time = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds() / 1000.0;
        var url = Url("/api/v1/query?query=" + Uri.EscapeDataString(query) + "&time=" + time.ToString(CultureInfo.InvariantCulture));
        using var response = await Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>Stops with SIGTERM, which makes Prometheus flush its remote write queues first.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendTerm(_process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
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
    }

    private static int SendTerm(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
