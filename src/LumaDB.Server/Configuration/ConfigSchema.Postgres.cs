namespace LumaDB.Server.Configuration;

/// <summary>The PostgreSQL listener's TLS and authentication-rule keys.</summary>
public sealed partial class ConfigSchema
{
    private static void AddPostgresSecurityKeys(List<ConfigKey> keys)
    {
        keys.Add(new ConfigKey(ListenerNames.Postgres, "tls_mode", ConfigValueKind.Enum,
            "TLS for PostgreSQL clients (SSLRequest): \"off\" answers every client unencrypted, \"allow\" encrypts clients that ask, \"require\" refuses unencrypted logins.",
            o => o.PostgresSecurity.TlsMode, (o, v) => o.PostgresSecurity.TlsMode = (string)v)
        { AllowedValues = ["off", "allow", "require"] });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "tls_cert_file", ConfigValueKind.String,
            "PEM file with the server certificate (and chain). Empty with tls_generate_self_signed: <data_dir>/tls/server.crt.",
            o => o.PostgresSecurity.TlsCertFile, (o, v) => o.PostgresSecurity.TlsCertFile = (string)v)
        { AllowEmpty = true });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "tls_key_file", ConfigValueKind.String,
            "PEM file with the certificate's private key. Empty with tls_generate_self_signed: <data_dir>/tls/server.key.",
            o => o.PostgresSecurity.TlsKeyFile, (o, v) => o.PostgresSecurity.TlsKeyFile = (string)v)
        { AllowEmpty = true });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "tls_generate_self_signed", ConfigValueKind.Boolean,
            "When the certificate files do not exist, generate a self-signed certificate and key there at start (clients must then trust it explicitly).",
            o => o.PostgresSecurity.TlsGenerateSelfSigned, (o, v) => o.PostgresSecurity.TlsGenerateSelfSigned = (bool)v));
        keys.Add(new ConfigKey(ListenerNames.Postgres, "auth_rules", ConfigValueKind.String,
            "Authentication rules like pg_hba.conf lines, one per line (a TOML multi-line string) or separated by ';': \"host|hostssl|hostnossl database user address method\" with method trust, reject, password, md5 or scram-sha-256. The first matching rule decides; no match refuses. Empty: the bootstrap user is trusted from loopback while no password is set, else password_method applies.",
            o => o.PostgresSecurity.AuthRules, (o, v) => o.PostgresSecurity.AuthRules = (string)v)
        { AllowEmpty = true });
    }
}
