using System.Net;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The address of the PostgreSQL listener. Its own type lets <see cref="PgTransportFactory"/> claim this one
/// listener while the HTTP and gRPC listeners keep the default socket transport.
/// </summary>
public sealed class PgListenEndPoint(IPAddress address, int port) : IPEndPoint(address, port);
