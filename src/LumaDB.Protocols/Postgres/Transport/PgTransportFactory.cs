using System.Net;
using Microsoft.AspNetCore.Connections;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The transport of the PostgreSQL listener (<see cref="PgListenEndPoint"/> only): one thread per connection that
/// blocks in the socket receive, runs the session inline on the bytes it got, and sends the reply with a blocking
/// send from that same thread (<see cref="PgSocketConnection"/>), as PostgreSQL's process per connection does. A
/// point lookup then costs one wake-up and two system calls; the default socket transport needs an epoll event, a
/// thread-pool hand-off and a zero-byte receive before the real one, and under load the thread-pool wake-ups
/// were most of the slow tail. The HTTP and gRPC listeners keep the default socket transport.
/// </summary>
/// <remarks>
/// Connections beyond twice <see cref="PgServerOptions.MaxConnections"/> (plus a few) are refused at accept with
/// FATAL 53300 and get no thread, as PostgreSQL's postmaster refuses them without forking; those up to that bound
/// get a thread that reads the startup packet, so a CancelRequest is still served at the limit.
/// </remarks>
public sealed class PgTransportFactory(PgServerOptions? options = null) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is PgListenEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(PgSocketListener.Bind((IPEndPoint)endpoint, options is null ? int.MaxValue : (2 * options.MaxConnections) + 16));
}
