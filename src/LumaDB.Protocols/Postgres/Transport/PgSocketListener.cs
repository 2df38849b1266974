using System.Net;
using System.Net.Sockets;
using LumaDB.Protocols.Postgres.Messages;
using Microsoft.AspNetCore.Connections;

namespace LumaDB.Protocols.Postgres;

/// <summary>The listening socket of <see cref="PgTransportFactory"/>: each accepted socket becomes a <see cref="PgSocketConnection"/>.</summary>
internal sealed class PgSocketListener : IConnectionListener
{
    // ErrorResponse: severity FATAL, SQLSTATE 53300, "sorry, too many clients already".
    private static readonly byte[] TooManyClients = BuildTooManyClients();

    private readonly Socket _socket;
    private readonly int _maxThreads;
    private long _nextId;
    private int _live;

    private PgSocketListener(Socket socket, int maxThreads)
    {
        _socket = socket;
        _maxThreads = maxThreads;
        EndPoint = socket.LocalEndPoint!;
    }

    /// <inheritdoc />
    public EndPoint EndPoint { get; }

    /// <summary>Binds and listens on <paramref name="endpoint"/>.</summary>
    public static PgSocketListener Bind(IPEndPoint endpoint, int maxThreads = int.MaxValue)
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

        return new PgSocketListener(socket, maxThreads);
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

            if (Interlocked.Increment(ref _live) > _maxThreads)
            {
                // A flood beyond the limit costs no thread: refuse at once, without reading the startup packet.
                Interlocked.Decrement(ref _live);
                Refuse(accepted);
                continue;
            }

            accepted.NoDelay = true;
            return new PgSocketConnection(accepted, "pg-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), () => Interlocked.Decrement(ref _live));
        }
    }

    private static void Refuse(Socket socket)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(TooManyClients, SocketFlags.None, out _);
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static byte[] BuildTooManyClients()
    {
        using var message = new PgOutputBuffer(256);
        message.ErrorOrNotice((byte)'E', new PgError("FATAL", PgSqlState.TooManyConnections, PgSqlState.TooManyConnectionsMessage));
        return message.WrittenMemory.ToArray();
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
