namespace LumaDB.Server.Configuration;

/// <summary>TLS and authentication rules of the <c>[postgres]</c> table.</summary>
public sealed class PostgresSecuritySection
{
    /// <summary>off, allow or require.</summary>
    public string TlsMode { get; set; } = "off";

    /// <summary>PEM certificate file (chain allowed); empty with self-signed generation means a file under the data directory.</summary>
    public string TlsCertFile { get; set; } = "";

    /// <summary>PEM private key file for <see cref="TlsCertFile"/>.</summary>
    public string TlsKeyFile { get; set; } = "";

    /// <summary>Whether a self-signed certificate is generated at start when the files do not exist.</summary>
    public bool TlsGenerateSelfSigned { get; set; }

    /// <summary>pg_hba-style rules, one per line; empty means the built-in default.</summary>
    public string AuthRules { get; set; } = "";
}
