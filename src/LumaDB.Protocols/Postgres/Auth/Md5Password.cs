using System.Security.Cryptography;
using System.Text;

namespace LumaDB.Protocols.Postgres.Auth;

/// <summary>
/// PostgreSQL's md5 password scheme: stored as <c>"md5" + md5(password + user)</c>; the client answers a 4-byte
/// salt with <c>"md5" + md5(md5(password + user) + salt)</c>. Weak by today's standards and kept only because
/// older clients still ask for it; scram-sha-256 is the default.
/// </summary>
public static class Md5Password
{
    /// <summary>The stored form for a user's password.</summary>
#pragma warning disable CA5351 // The protocol defines MD5; it is offered only when configured.
    public static string Hash(string password, string user) => "md5" + Hex(MD5.HashData(Encoding.UTF8.GetBytes(password + user)));

    /// <summary>Checks a client's PasswordMessage against the stored hash and the salt the server sent.</summary>
    public static bool Verify(string storedHash, ReadOnlySpan<byte> salt, string clientResponse)
    {
        if (!storedHash.StartsWith("md5", StringComparison.Ordinal) || storedHash.Length != 35)
        {
            return false;
        }

        var inner = Encoding.ASCII.GetBytes(storedHash[3..]);
        var input = new byte[inner.Length + salt.Length];
        inner.CopyTo(input, 0);
        salt.CopyTo(input.AsSpan(inner.Length));
        var expected = Encoding.ASCII.GetBytes("md5" + Hex(MD5.HashData(input)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(clientResponse));
    }
#pragma warning restore CA5351

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
