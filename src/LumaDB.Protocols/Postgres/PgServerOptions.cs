using System.Security.Cryptography.X509Certificates;
using LumaDB.Protocols.Postgres.Auth;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Protocols.Postgres;

/// <summary>Whether clients may or must encrypt the connection with TLS (SSLRequest).</summary>
public enum PgTlsMode
{
    /// <summary>SSLRequest is answered 'N'; connections stay unencrypted.</summary>
    Off,

    /// <summary>Clients that ask get TLS; others may connect unencrypted.</summary>
    Allow,

    /// <summary>Every client must use TLS; an unencrypted StartupMessage is refused.</summary>
    Require,
}

/// <summary>How password logins are checked once a password is configured.</summary>
public enum PgPasswordMethod
{
    /// <summary>SCRAM-SHA-256 (the default and PostgreSQL's own default).</summary>
    ScramSha256,

    /// <summary>The md5 challenge, for old clients.</summary>
    Md5,

    /// <summary>Cleartext password; only with <see cref="PgServerOptions.AllowCleartextPassword"/>.</summary>
    Password,
}

/// <summary>Settings of the PostgreSQL listener's sessions.</summary>
public sealed class PgServerOptions
{
    /// <summary>The superuser that exists from the first start.</summary>
    public string BootstrapUser { get; init; } = "luma";

    /// <summary>
    /// The bootstrap user's password. Empty means trust from loopback addresses only; any other address is
    /// refused until a password is set.
    /// </summary>
    public string BootstrapPassword { get; init; } = "";

    /// <summary>How passwords are checked once one is set.</summary>
    public PgPasswordMethod PasswordMethod { get; init; } = PgPasswordMethod.ScramSha256;

    /// <summary>Allows the cleartext password method without TLS (off: the password would cross the network in the clear).</summary>
    public bool AllowCleartextPassword { get; init; }

    /// <summary>A client must finish its startup and authentication within this time.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest frontend message accepted after startup.</summary>
    public int MaxMessageBytes { get; init; } = 64 << 20;

    /// <summary>The server_version reported to clients; numeric, as clients parse it.</summary>
    public string ServerVersion { get; init; } = "15.6";

    /// <summary>Makes the SQL session each connection runs its statements on, once it has logged in.</summary>
    public required Func<PgSessionStart, ISqlSession> SessionFactory { get; init; }

    /// <summary>
    /// Finds a role created with CREATE ROLE in the catalog, for logins other than the bootstrap user's; null
    /// when the server has no catalog (only the bootstrap user can log in then).
    /// </summary>
    public Func<string, LumaDB.Engine.Catalog.RoleDefinition?>? RoleLookup { get; init; }

    /// <summary>Whether TLS is off, offered, or required.</summary>
    public PgTlsMode TlsMode { get; init; } = PgTlsMode.Off;

    /// <summary>The server certificate with its private key; required unless <see cref="TlsMode"/> is off.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Authentication rules in pg_hba.conf order: the first rule matching the connection type, database, user
    /// and client address decides the method. Empty: the built-in secure default (see <see cref="PgAuthenticator"/>).
    /// </summary>
    public IReadOnlyList<PgAuthRule> AuthRules { get; init; } = [];

    /// <summary>
    /// Most connections open at once, those still in startup included (PostgreSQL's max_connections); one more gets
    /// FATAL 53300 after its startup packet. CancelRequests are always answered.
    /// </summary>
    public int MaxConnections { get; init; } = 100;

    /// <summary>The sessions' default statement_timeout; zero is off.</summary>
    public TimeSpan StatementTimeout { get; init; }

    /// <summary>The sessions' default idle_session_timeout; zero is off.</summary>
    public TimeSpan IdleSessionTimeout { get; init; }

    /// <summary>The sessions' default idle_in_transaction_session_timeout; zero is off.</summary>
    public TimeSpan IdleInTransactionSessionTimeout { get; init; }
}
