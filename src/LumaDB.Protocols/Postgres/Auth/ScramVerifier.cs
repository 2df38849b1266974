using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LumaDB.Protocols.Postgres.Auth;

/// <summary>
/// A stored SCRAM-SHA-256 verifier: what the server keeps instead of a password (RFC 5802/7677), written in
/// PostgreSQL's <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c> form so catalogs read alike.
/// </summary>
public sealed class ScramVerifier
{
    /// <summary>PostgreSQL's default iteration count.</summary>
    public const int DefaultIterations = 4096;

    private const string Prefix = "SCRAM-SHA-256$";

    /// <summary>Creates a verifier from its parts.</summary>
    public ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey)
    {
        Iterations = iterations;
        Salt = salt;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    /// <summary>PBKDF2 iteration count.</summary>
    public int Iterations { get; }

    /// <summary>The salt.</summary>
    public byte[] Salt { get; }

    /// <summary>H(ClientKey).</summary>
    public byte[] StoredKey { get; }

    /// <summary>HMAC(SaltedPassword, "Server Key").</summary>
    public byte[] ServerKey { get; }

    /// <summary>Derives a verifier from a password with a fresh random salt.</summary>
    public static ScramVerifier Create(string password, int iterations = DefaultIterations) =>
        Derive(password, RandomNumberGenerator.GetBytes(16), iterations);

    /// <summary>Derives a verifier from a password and a given salt.</summary>
    public static ScramVerifier Derive(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return new ScramVerifier(iterations, salt, SHA256.HashData(clientKey), serverKey);
    }

    /// <summary>Reads PostgreSQL's text form; false if it is not one.</summary>
    public static bool TryParse(string text, out ScramVerifier? verifier)
    {
        verifier = null;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('$');
        if (parts.Length != 2)
        {
            return false;
        }

        var head = parts[0].Split(':');
        var keys = parts[1].Split(':');
        if (head.Length != 2 || keys.Length != 2 || !int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            verifier = new ScramVerifier(iterations, Convert.FromBase64String(head[1]), Convert.FromBase64String(keys[0]), Convert.FromBase64String(keys[1]));
            return verifier.StoredKey.Length == 32 && verifier.ServerKey.Length == 32;
        }
        catch (FormatException)
        {
            verifier = null;
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}:{Convert.ToBase64String(Salt)}${Convert.ToBase64String(StoredKey)}:{Convert.ToBase64String(ServerKey)}");
}
