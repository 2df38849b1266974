using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Connections;

namespace LumaDB.Server.Hosting;

/// <summary>Connection and request counts per listener, published as luma_listener_* metrics.</summary>
public sealed class ListenerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LumaDB.Server";

    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _requests;

    /// <summary>Creates the instruments.</summary>
    public ListenerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateCounter<long>("luma.listener.connections", description: "Connections accepted, per listener.");
        _activeConnections = meter.CreateUpDownCounter<long>("luma.listener.active_connections", description: "Connections open now, per listener.");
        _requests = meter.CreateCounter<long>("luma.listener.requests", description: "HTTP and gRPC requests received, per listener.");
    }

    /// <summary>Connection middleware: counts a connection for its whole life.</summary>
    public async Task TrackConnectionAsync(string listener, ConnectionDelegate next, ConnectionContext connection)
    {
        var tag = new KeyValuePair<string, object?>("listener", listener);
        _connections.Add(1, tag);
        _activeConnections.Add(1, tag);
        try
        {
            await next(connection);
        }
        finally
        {
            _activeConnections.Add(-1, tag);
        }
    }

    /// <summary>Counts one request on a listener.</summary>
    public void RequestReceived(string listener)
    {
        var tags = new TagList { { "listener", listener } };
        _requests.Add(1, tags);
    }
}
