using System.Reflection;
using System.Runtime.InteropServices;

namespace LumaDB.Server.Hosting;

/// <summary>What this binary is: version, commit, runtime.</summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The release version, e.g. <c>0.1.0</c>.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The source commit the binary was built from, or <c>unknown</c>.</summary>
    public static string Commit => Informational.Contains('+', StringComparison.Ordinal) ? Informational.Split('+')[1][..Math.Min(12, Informational.Split('+')[1].Length)] : "unknown";

    /// <summary>The .NET runtime version.</summary>
    public static string Runtime => RuntimeInformation.FrameworkDescription;

    /// <summary>Operating system and architecture.</summary>
    public static string Platform => RuntimeInformation.RuntimeIdentifier;

    /// <summary>One line for <c>luma version</c> and the start-up log.</summary>
    public static string Describe() => $"LumaDB {Version} (commit {Commit}, {Runtime}, {Platform})";
}
