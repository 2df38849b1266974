using LumaDB.Server.Configuration;

namespace LumaDB.Server.Hosting;

/// <summary>Facts about the running server that admin APIs report.</summary>
public sealed class ServerStatus(LumaOptions options, TimeProvider time)
{
    /// <summary>When the process started serving.</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>How long the server has run.</summary>
    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    /// <summary>The enabled listeners with the addresses they bind.</summary>
    public IEnumerable<(string Name, string Address, int Port)> Listeners =>
        options.Listeners.Where(l => l.Enabled).Select(l => (l.Name, ListenerAddress(options, l), l.Port));

    /// <summary>The address a listener binds.</summary>
    public static string ListenerAddress(LumaOptions options, ListenerSection listener) =>
        listener.Address.Length > 0 ? listener.Address : options.Server.ListenAddress;
}
