using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The socket transport of the PostgreSQL listener (<see cref="PgListenEndPoint"/> only): the session runs inline
/// on the thread that completed the socket read, and its reply is sent from that same thread. The default
/// transport hands each read to the thread pool and each write to an I/O queue, three thread switches per
/// query; for a point lookup that is most of its latency. Socket completions themselves still run on the
/// thread pool (not on the epoll thread), so a long statement holds a pool thread, never the event loop.
/// </summary>
public sealed class PgTransportFactory(ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _sockets = new(
        Options.Create(new SocketTransportOptions { UnsafePreferInlineScheduling = true, NoDelay = true }), loggerFactory);

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is PgListenEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        _sockets.BindAsync(endpoint, cancellationToken);
}
