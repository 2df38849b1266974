using LumaDB.Protocols.Postgres;
using LumaDB.Protocols.Postgres.Auth;

namespace LumaDB.Server.Configuration;

/// <summary>Checks and turns the <c>[postgres]</c> TLS and authentication-rule keys into listener options.</summary>
public static class PostgresSecurityConfig
{
    /// <summary>Refuses rules that do not parse and TLS settings without a certificate source.</summary>
    /// <exception cref="ConfigException">With the key and what is wrong.</exception>
    public static void Validate(LumaOptions options)
    {
        ParseRules(options.PostgresSecurity.AuthRules);
        var security = options.PostgresSecurity;
        if (security.TlsMode != "off" && !security.TlsGenerateSelfSigned && (security.TlsCertFile.Length == 0 || security.TlsKeyFile.Length == 0))
        {
            throw new ConfigException($"key 'postgres.tls_mode' is \"{security.TlsMode}\" but no certificate is configured; set 'postgres.tls_cert_file' and 'postgres.tls_key_file', or 'postgres.tls_generate_self_signed' = true");
        }
    }

    /// <summary>The parsed rules.</summary>
    /// <exception cref="ConfigException">A rule does not parse.</exception>
    public static IReadOnlyList<PgAuthRule> ParseRules(string text)
    {
        try
        {
            return PgAuthRule.ParseAll(text);
        }
        catch (FormatException e)
        {
            throw new ConfigException($"key 'postgres.auth_rules': {e.Message}", e);
        }
    }

    /// <summary>The TLS mode word as the listener's enum.</summary>
    public static PgTlsMode TlsMode(LumaOptions options) => options.PostgresSecurity.TlsMode switch
    {
        "allow" => PgTlsMode.Allow,
        "require" => PgTlsMode.Require,
        _ => PgTlsMode.Off,
    };

    /// <summary>Loads (or generates) the certificate when TLS is on; null when it is off.</summary>
    /// <exception cref="ConfigException">The files are missing or invalid.</exception>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2? LoadCertificate(LumaOptions options)
    {
        var security = options.PostgresSecurity;
        if (security.TlsMode == "off")
        {
            return null;
        }

        var directory = Path.Combine(options.Server.DataDir, "tls");
        var cert = security.TlsCertFile.Length > 0 ? security.TlsCertFile : Path.Combine(directory, "server.crt");
        var key = security.TlsKeyFile.Length > 0 ? security.TlsKeyFile : Path.Combine(directory, "server.key");
        try
        {
            return PgCertificates.LoadOrCreate(cert, key, security.TlsGenerateSelfSigned);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ConfigException($"postgres TLS certificate: {e.Message}", e);
        }
    }
}
