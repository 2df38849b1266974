using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace LumaDB.Protocols.Postgres;

/// <summary>The listening socket of <see cref="PgTransportFactory"/>: each accepted socket becomes a <see cref="PgSocketConnection"/>.</summary>
internal sealed class PgSocketListener : IConnectionListener
{
    private readonly Socket _socket;
    private long _nextId;

    private PgSocketListener(Socket socket)
    {
        _socket = socket;
        EndPoint = socket.LocalEndPoint!;
    }

    /// <inheritdoc />
    public EndPoint EndPoint { get; }

    /// <summary>Binds and listens on <paramref name="endpoint"/>.</summary>
    public static PgSocketListener Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(endpoint.Address, endpoint.Port));
            socket.Listen(512);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new PgSocketListener(socket);
    }

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted: take the next one.
                continue;
            }

            accepted.NoDelay = true;
            return new PgSocketConnection(accepted, "pg-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <inheritdoc />
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
