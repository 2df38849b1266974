namespace LumaDB.Protocols.Postgres;

/// <summary>Who opened a PostgreSQL session and with which start-up parameters; what a SQL session is created from.</summary>
/// <param name="User">The authenticated user.</param>
/// <param name="Database">The database the client asked for.</param>
/// <param name="Parameters">The StartupMessage's parameters (application_name, client_encoding, options...).</param>
public sealed record PgSessionStart(string User, string Database, IReadOnlyDictionary<string, string> Parameters);
