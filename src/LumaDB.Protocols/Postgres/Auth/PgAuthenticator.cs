using System.Net;
using System.Security.Cryptography;

namespace LumaDB.Protocols.Postgres.Auth;

/// <summary>What a login must go through, decided from the user and the client's address.</summary>
public enum PgLoginMethod
{
    /// <summary>No password asked.</summary>
    Trust,

    /// <summary>Cleartext password.</summary>
    Password,

    /// <summary>md5 challenge.</summary>
    Md5,

    /// <summary>SCRAM-SHA-256 exchange.</summary>
    ScramSha256,

    /// <summary>Refused before any exchange.</summary>
    Reject,
}

/// <summary>
/// Decides how each login is authenticated and holds the credentials to check it against: the bootstrap
/// superuser's from the configuration (kept only as a SCRAM verifier and an md5 hash, never as plain text) and
/// those of the roles created with CREATE ROLE, read from the catalog at each login so a new or changed password
/// applies to the next one.
/// </summary>
public sealed class PgAuthenticator
{
    private readonly string _user;
    private readonly ScramVerifier? _scram;
    private readonly string? _md5;
    private readonly byte[]? _cleartextHash;
    private readonly PgPasswordMethod _method;
    private readonly IReadOnlyList<PgAuthRule> _rules;
    private readonly bool _allowCleartext;
    private readonly Func<string, LumaDB.Engine.Catalog.RoleDefinition?>? _roles;

    /// <summary>Derives the credentials from the options.</summary>
    public PgAuthenticator(PgServerOptions options)
    {
        _user = options.BootstrapUser;
        _method = options.PasswordMethod;
        _rules = options.AuthRules;
        _allowCleartext = options.AllowCleartextPassword;
        _roles = options.RoleLookup;
        if (options.BootstrapPassword.Length > 0)
        {
            _scram = ScramVerifier.Create(options.BootstrapPassword);
            _md5 = Md5Password.Hash(options.BootstrapPassword, options.BootstrapUser);
            _cleartextHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.BootstrapPassword));
        }
    }

    /// <summary>A secret that makes the mock SCRAM exchange of unknown users unpredictable; new each start.</summary>
    public byte[] MockSecret { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Whether a password is configured.</summary>
    public bool HasPassword => _scram is not null;

    /// <summary>
    /// The method for a login, with the reason when it is refused outright. The configured rules decide when
    /// there are any (the first match wins; no match refuses); otherwise the secure default applies.
    /// </summary>
    public PgLoginMethod Decide(string user, string database, IPAddress? client, bool tls, out string? refusal)
    {
        refusal = null;
        if (_rules.Count > 0)
        {
            var rule = _rules.FirstOrDefault(r => r.Matches(user, database, client, tls));
            if (rule is null || rule.Method == PgLoginMethod.Reject)
            {
                refusal = $"{(rule is null ? "no authentication rule" : "authentication rule rejects connection")} for host \"{client}\", user \"{user}\", database \"{database}\", {(tls ? "SSL encryption" : "no encryption")}";
                return PgLoginMethod.Reject;
            }

            if (rule.Method == PgLoginMethod.Password && !tls && !_allowCleartext)
            {
                refusal = "cleartext password authentication requires a TLS connection; set [postgres] allow_cleartext_password to allow it without";
                return PgLoginMethod.Reject;
            }

            return ForStoredSecret(user, rule.Method, out refusal);
        }

        if (FindRole(user) is { } role && (role.ScramVerifier is not null || role.Md5Hash is not null || HasPassword))
        {
            // A created role with a password always proves it, even while the bootstrap user is trusted.
            return ForStoredSecret(user, _method switch
            {
                PgPasswordMethod.Md5 => PgLoginMethod.Md5,
                PgPasswordMethod.Password => PgLoginMethod.Password,
                _ => PgLoginMethod.ScramSha256,
            }, out refusal);
        }

        if (!HasPassword)
        {
            if (client is not null && !IPAddress.IsLoopback(client))
            {
                refusal = $"connections from {client} are refused: the bootstrap user has no password, so only loopback connections are trusted; set [postgres] bootstrap_password to allow other hosts";
                return PgLoginMethod.Reject;
            }

            return PgLoginMethod.Trust;
        }

        // Unknown users go through the same exchange as known ones and fail the same way.
        return _method switch
        {
            PgPasswordMethod.Md5 => PgLoginMethod.Md5,
            PgPasswordMethod.Password => PgLoginMethod.Password,
            _ => PgLoginMethod.ScramSha256,
        };
    }

    /// <summary>Whether the user exists: the bootstrap user or a catalog role that may log in.</summary>
    public bool UserExists(string user) => IsBootstrap(user) || FindRole(user) is { CanLogin: true };

    /// <summary>The user's SCRAM verifier, or null for an unknown user or one without a SCRAM secret.</summary>
    public ScramVerifier? ScramVerifierOf(string user)
    {
        if (IsBootstrap(user))
        {
            return _scram;
        }

        return FindRole(user) is { CanLogin: true, ScramVerifier: { } text } && ScramVerifier.TryParse(text, out var verifier) ? verifier : null;
    }

    /// <summary>Checks an md5 response; false for unknown users.</summary>
    public bool VerifyMd5(string user, ReadOnlySpan<byte> salt, string response)
    {
        var stored = IsBootstrap(user) ? _md5 : FindRole(user) is { CanLogin: true } role ? role.Md5Hash : null;
        return stored is not null && Md5Password.Verify(stored, salt, response);
    }

    /// <summary>Checks a cleartext password against the stored secret; false for unknown users.</summary>
    public bool VerifyCleartext(string user, string password)
    {
        if (IsBootstrap(user))
        {
            return _cleartextHash is not null
                && CryptographicOperations.FixedTimeEquals(_cleartextHash, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(password)));
        }

        if (FindRole(user) is not { CanLogin: true } role)
        {
            return false;
        }

        if (role.ScramVerifier is { } text && ScramVerifier.TryParse(text, out var verifier))
        {
            var derived = ScramVerifier.Derive(password, verifier!.Salt, verifier.Iterations);
            return CryptographicOperations.FixedTimeEquals(derived.StoredKey, verifier.StoredKey);
        }

        return role.Md5Hash is { } md5 && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(md5), System.Text.Encoding.ASCII.GetBytes(Md5Password.Hash(password, user)));
    }

    private bool IsBootstrap(string user) => string.Equals(user, _user, StringComparison.Ordinal);

    private LumaDB.Engine.Catalog.RoleDefinition? FindRole(string user) => IsBootstrap(user) ? null : _roles?.Invoke(user);

    /// <summary>
    /// The exchange a stored secret can answer: a role whose password is kept as a SCRAM verifier goes through
    /// SCRAM even where md5 is asked for (PostgreSQL does the same); one kept as an md5 hash through md5. A role
    /// that may not log in is refused.
    /// </summary>
    private PgLoginMethod ForStoredSecret(string user, PgLoginMethod method, out string? refusal)
    {
        refusal = null;
        if (!IsBootstrap(user) && FindRole(user) is { CanLogin: false })
        {
            refusal = $"role \"{user}\" is not permitted to log in";
            return PgLoginMethod.Reject;
        }

        if (FindRole(user) is not { } role)
        {
            return method;
        }

        return method switch
        {
            PgLoginMethod.Md5 when role.Md5Hash is null && role.ScramVerifier is not null => PgLoginMethod.ScramSha256,
            PgLoginMethod.ScramSha256 when role.ScramVerifier is null && role.Md5Hash is not null => PgLoginMethod.Md5,
            _ => method,
        };
    }
}
