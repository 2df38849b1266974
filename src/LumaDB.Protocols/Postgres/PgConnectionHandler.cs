using System.Net;
using LumaDB.Protocols.Postgres.Auth;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>The PostgreSQL listener's connection handler: one <see cref="PgSession"/> per accepted connection.</summary>
public sealed class PgConnectionHandler(PgServerOptions options, PgAuthenticator authenticator, PgSessionRegistry registry, ILogger<PgSession> logger) : ConnectionHandler
{
    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        // The slot is held from accept to close, startup included, as PostgreSQL counts backends.
        var admitted = registry.TryOpenConnection(options.MaxConnections);
        using var session = new PgSession(connection.Transport, client, options, authenticator, registry, logger) { OverConnectionLimit = !admitted };
        try
        {
            await session.RunAsync(connection.ConnectionClosed);
        }
        catch (ConnectionResetException)
        {
        }
        catch (IOException)
        {
            // The client went away mid-write; the session is over either way.
        }
        finally
        {
            if (admitted)
            {
                registry.CloseConnection();
            }
        }
    }
}
