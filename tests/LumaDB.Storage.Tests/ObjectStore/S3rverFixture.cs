using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

/// <summary>
/// A real S3-compatible server (s3rver, from tests/tools) on 127.0.0.1 and a free port, started once for the
/// S3 tests and stopped by its process id. A missing install fails the tests: they must not pass by skipping.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "lumadb-test";
    private Process? _server;
    private string _dataDirectory = "";

    public string Endpoint { get; private set; } = "";

    public S3ObjectStoreOptions Options(int maxAttempts = 4) => new()
    {
        Endpoint = Endpoint,
        Bucket = Bucket,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    public async Task InitializeAsync()
    {
        var tools = FindToolsDirectory();
        var script = Path.Combine(tools, "node_modules", "s3rver", "bin", "s3rver.js");
        var launcher = Path.Combine(tools, "node_modules", ".bin", "s3rver");
        if (!File.Exists(launcher) || !File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed in {tools}. Run: npm install --prefix tests/tools   (needs node and npm on PATH)");
        }

        _dataDirectory = Path.Combine(Path.GetTempPath(), "lumadb-s3rver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { launcher, "-d", _dataDirectory, "-a", "127.0.0.1", "-p", port.ToString(), "--no-vhost-buckets", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _server = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The S3 tests need node on PATH to run s3rver: " + e.Message, e);
        }

        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        Endpoint = $"http://127.0.0.1:{port}";
        await WaitUntilListeningAsync(port);

        using var store = new S3ObjectStore(Options());
        await store.CreateBucketIfMissingAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {_server.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string FindToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Cannot find tests/tools/package.json above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
