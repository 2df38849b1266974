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
public sealed class PgTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is PgListenEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(PgSocketListener.Bind((IPEndPoint)endpoint));
}
