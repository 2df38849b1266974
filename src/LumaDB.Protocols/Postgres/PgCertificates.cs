using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LumaDB.Protocols.Postgres;

/// <summary>Loads the PostgreSQL listener's TLS certificate from PEM files, generating a self-signed one on first start when asked.</summary>
public static class PgCertificates
{
    /// <summary>
    /// Loads the certificate and key; when either file is missing and <paramref name="generate"/> is set, writes a
    /// new self-signed certificate (ECDSA P-256, valid ten years, for localhost and the host name) there first.
    /// </summary>
    /// <exception cref="IOException">Files are missing and generation is off, or cannot be read or written.</exception>
    /// <exception cref="CryptographicException">The files are not a valid PEM certificate and key.</exception>
    public static X509Certificate2 LoadOrCreate(string certFile, string keyFile, bool generate)
    {
        if (!File.Exists(certFile) || !File.Exists(keyFile))
        {
            if (!generate)
            {
                throw new FileNotFoundException($"TLS certificate '{certFile}' or key '{keyFile}' does not exist");
            }

            WriteSelfSigned(certFile, keyFile);
        }

        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);

        // SslStream on some platforms needs the key in a persisted form rather than the ephemeral PEM import.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Creates a self-signed server certificate for localhost and this host's name.</summary>
    public static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=LumaDB", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Dns.GetHostName());
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    private static void WriteSelfSigned(string certFile, string keyFile)
    {
        using var certificate = CreateSelfSigned();
        using var key = certificate.GetECDsaPrivateKey()!;
        foreach (var file in new[] { certFile, keyFile })
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }

        File.WriteAllText(certFile, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
