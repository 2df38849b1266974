using System.Diagnostics;

namespace LumaDB.Server.Tests.Postgres.Clients;

/// <summary>Runs a real PostgreSQL client program (Java, Node.js, Python) and collects what it printed.</summary>
internal static class ClientProgram
{
    /// <summary>The folder of the client scripts beside this file, found by walking up from the test assembly.</summary>
    public static string ScriptDirectory { get; } = FindScripts();

    /// <summary>Runs <paramref name="program"/>; fails with the package to install when it is missing.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string installHint, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        if (!File.Exists(program))
        {
            Assert.Fail($"{program} is missing: scripts/test.sh installs {installHint}");
        }

        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? ScriptDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await output).ReplaceLineEndings("\n"), await error);
    }

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "LumaDB.Server.Tests", "Postgres", "Clients");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/LumaDB.Server.Tests/Postgres/Clients not found above the test assembly");
    }
}
