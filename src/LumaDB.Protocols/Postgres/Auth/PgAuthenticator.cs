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
/// Decides how each login is authenticated and holds the credentials to check it against. Until roles live in
/// the catalog, the only user is the bootstrap superuser from the configuration; its password is kept only as a
/// SCRAM verifier and an md5 hash, never as plain text.
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

    /// <summary>Derives the credentials from the options.</summary>
    public PgAuthenticator(PgServerOptions options)
    {
        _user = options.BootstrapUser;
        _method = options.PasswordMethod;
        _rules = options.AuthRules;
        _allowCleartext = options.AllowCleartextPassword;
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

            return rule.Method;
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

    /// <summary>Whether the user exists.</summary>
    public bool UserExists(string user) => string.Equals(user, _user, StringComparison.Ordinal);

    /// <summary>The user's SCRAM verifier, or null for an unknown user.</summary>
    public ScramVerifier? ScramVerifierOf(string user) => UserExists(user) ? _scram : null;

    /// <summary>Checks an md5 response; false for unknown users.</summary>
    public bool VerifyMd5(string user, ReadOnlySpan<byte> salt, string response) =>
        UserExists(user) && _md5 is not null && Md5Password.Verify(_md5, salt, response);

    /// <summary>Checks a cleartext password; false for unknown users.</summary>
    public bool VerifyCleartext(string user, string password) =>
        UserExists(user) && _cleartextHash is not null
        && CryptographicOperations.FixedTimeEquals(_cleartextHash, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(password)));
}
