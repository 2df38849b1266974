using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Hosting;

public sealed class ServerLifecycleTests
{
    private const int SigTerm = 15;
    private const int SigInt = 2;

    [Fact]
    public async Task Sigterm_shuts_down_cleanly_with_exit_code_zero()
    {
        await using var luma = await LumaProcess.StartReadyAsync();

        var watch = Stopwatch.StartNew();
        luma.Signal(SigTerm);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(10)), "luma did not exit after SIGTERM");
        Assert.Equal(0, luma.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"an idle server took {watch.Elapsed} to stop");
        Assert.Contains("Database closed", luma.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Shutdown complete", luma.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(luma.StandardError);
    }

    [Fact]
    public async Task Sigint_shuts_down_cleanly_with_exit_code_zero()
    {
        await using var luma = await LumaProcess.StartReadyAsync();

        luma.Signal(SigInt);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(10)), "luma did not exit after SIGINT; its output:\n" + luma.StandardOutput);
        Assert.Equal(0, luma.ExitCode);
    }

    [Fact]
    public async Task Shutdown_waits_for_open_work_up_to_the_grace_period_and_no_longer()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "server.shutdown_grace_period=2s"]);

        // A client half-way through its PostgreSQL startup holds a connection the server must not cut at once.
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, luma.Ports.Postgres);
        await client.GetStream().WriteAsync(new byte[] { 0, 0, 0, 40, 0, 3 });
        await Task.Delay(100);

        var watch = Stopwatch.StartNew();
        luma.Signal(SigTerm);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(15)), "luma did not exit after its grace period");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        Assert.Equal(0, luma.ExitCode);
    }

    [Fact]
    public async Task Listeners_stop_accepting_once_shutdown_begins()
    {
        await using var luma = await LumaProcess.StartReadyAsync();
        luma.Signal(SigTerm);
        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await Assert.ThrowsAsync<HttpRequestException>(() => luma.Http.GetAsync(new Uri(luma.HttpBase, "/health")));
    }

    [Fact]
    public async Task A_port_in_use_stops_start_up_with_a_clear_message_and_a_nonzero_exit()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var ports = LumaPorts.Allocate();
        await using var luma = LumaProcess.Start(["--set", $"prometheus.port={port}"], ports: ports);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.NotEqual(0, luma.ExitCode);
        Assert.Contains($"the prometheus listener's address 127.0.0.1:{port} ([prometheus] port) is already in use", luma.StandardError, StringComparison.Ordinal);
        Assert.Contains("--set prometheus.port=N", luma.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_is_refused()
    {
        await using var first = await LumaProcess.StartReadyAsync();
        await using var second = LumaProcess.Start(dataDir: first.DataDir);

        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("is in use by another process", second.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_config_file_stops_start_up_with_one_message_naming_file_line_and_key()
    {
        var dir = Directory.CreateTempSubdirectory("luma-badcfg-");
        var file = Path.Combine(dir.FullName, "bad.toml");
        await File.WriteAllTextAsync(file, "[http]\nport = \"eighty\"\n");
        try
        {
            await using var luma = LumaProcess.Start(["--config", file]);

            Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(2, luma.ExitCode);
            Assert.Equal($"luma: invalid configuration: {file}:2: key 'http.port' expects an integer from 0 to 65535, got the string \"eighty\"", luma.StandardError.Trim());
            Assert.Empty(luma.StandardOutput);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Environment_variables_configure_the_running_server()
    {
        var ports = LumaPorts.Allocate();
        var envHttp = FreePorts.Next();
        await using var luma = LumaProcess.Start(
            ports.All.Where(p => p.Name != "http").SelectMany(p => new[] { "--set", $"{p.Name}.port={p.Port}" }).Append("--data-dir").Append("data"),
            environment: new Dictionary<string, string> { ["LUMA_HTTP__PORT"] = envHttp.ToString() },
            assignPorts: false);

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage? response = null;
        while (response is null && DateTime.UtcNow < deadline && !luma.HasExited)
        {
            try
            {
                response = await http.GetAsync(new Uri($"http://127.0.0.1:{envHttp}/ready"));

                // Listeners answer while storage recovers; /ready turns 200 once it has.
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    response.Dispose();
                    response = null;
                    await Task.Delay(50);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        response.Dispose();
    }

    [Fact]
    public async Task Json_log_format_writes_one_json_object_per_line()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "log.format=json"]);
        luma.Signal(SigTerm);
        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var lines = luma.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
        }

        Assert.Contains(lines, l => l.Contains("\"Category\":\"LumaDB.Server\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_log_level_per_category_silences_that_category_only()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "log.levels.LumaDB.Engine=warning"]);

        Assert.DoesNotContain("opened and recovered", luma.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("started; config", luma.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_command_prints_effective_configuration_as_toml()
    {
        await using var luma = LumaProcess.Start(["--set", "http.port=8181"], command: "config", assignPorts: false);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, luma.ExitCode);
        Assert.Contains("[http]\nport = 8181\n", luma.StandardOutput.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("[server]\ndata_dir = \"./data\"", luma.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_command_prints_the_version()
    {
        await using var luma = LumaProcess.Start(command: "version", assignPorts: false);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, luma.ExitCode);
        Assert.StartsWith("LumaDB 0.1.0 (commit ", luma.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_options()
    {
        await using var luma = LumaProcess.Start(["--help"], command: "serve", assignPorts: false);

        Assert.True(await luma.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, luma.ExitCode);
        foreach (var word in new[] { "--config", "--data-dir", "--set", "SECTION.KEY=VALUE" })
        {
            Assert.Contains(word, luma.StandardOutput, StringComparison.Ordinal);
        }
    }
}
