using System.Security.Cryptography;
using System.Text;

namespace LumaDB.Protocols.Postgres.Auth;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as PostgreSQL runs it inside
/// AuthenticationSASL: client-first, server-first, client-final (proof checked), server-final (signature).
/// An unknown user gets a convincing exchange with a fake salt and always fails at the proof, so the answer
/// never tells whether the user exists. Written here because .NET has no SCRAM server.
/// </summary>
public sealed class ScramServerExchange
{
    /// <summary>The SASL mechanism name.</summary>
    public const string Mechanism = "SCRAM-SHA-256";

    private readonly ScramVerifier _verifier;
    private readonly bool _userKnown;
    private readonly string _serverNonce;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    /// <summary>Starts an exchange for a user's stored verifier, or for an unknown user when null.</summary>
    /// <param name="verifier">The user's verifier; null when the user does not exist or has no SCRAM password.</param>
    /// <param name="userName">The user's name, used to make a stable fake salt for unknown users.</param>
    /// <param name="mockSecret">A per-server secret that keeps fake salts unpredictable.</param>
    /// <param name="serverNonce">The server's nonce; random unless a test fixes it.</param>
    public ScramServerExchange(ScramVerifier? verifier, string userName, ReadOnlySpan<byte> mockSecret, string? serverNonce = null)
    {
        _userKnown = verifier is not null;
        _verifier = verifier ?? MockVerifier(userName, mockSecret);
        _serverNonce = serverNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    }

    /// <summary>Handles client-first-message; returns server-first-message or an error.</summary>
    public bool TryHandleClientFirst(string clientFirst, out string? serverFirst, out string? error)
    {
        serverFirst = null;
        // gs2-header: channel-binding flag, optional authzid, then the bare message.
        if (clientFirst.StartsWith("p=", StringComparison.Ordinal))
        {
            error = "channel binding is not supported; use SCRAM-SHA-256 without -PLUS";
            return false;
        }

        if (!(clientFirst.StartsWith("n,", StringComparison.Ordinal) || clientFirst.StartsWith("y,", StringComparison.Ordinal)))
        {
            error = "malformed SCRAM message: expected a gs2 header";
            return false;
        }

        var secondComma = clientFirst.IndexOf(',', 2);
        if (secondComma < 0)
        {
            error = "malformed SCRAM message: expected a gs2 header";
            return false;
        }

        _clientFirstBare = clientFirst[(secondComma + 1)..];
        var clientNonce = Attribute(_clientFirstBare, 'r');
        if (string.IsNullOrEmpty(clientNonce) || clientNonce.Any(c => c is < '!' or > '~' || c == ','))
        {
            error = "malformed SCRAM message: bad client nonce";
            return false;
        }

        _nonce = clientNonce + _serverNonce;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_verifier.Salt)},i={_verifier.Iterations}";
        serverFirst = _serverFirst;
        error = null;
        return true;
    }

    /// <summary>
    /// Handles client-final-message. On a valid proof returns true and server-final-message; on a bad proof
    /// returns false with <paramref name="error"/> null (the caller answers "password authentication failed").
    /// </summary>
    public bool TryHandleClientFinal(string clientFinal, out string? serverFinal, out string? error)
    {
        serverFinal = null;
        error = null;
        if (_clientFirstBare is null || _serverFirst is null)
        {
            error = "SCRAM messages out of order";
            return false;
        }

        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            error = "malformed SCRAM message: no proof";
            return false;
        }

        var withoutProof = clientFinal[..proofAt];
        if (Attribute(withoutProof, 'r') != _nonce)
        {
            error = "malformed SCRAM message: nonce mismatch";
            return false;
        }

        if (Attribute(withoutProof, 'c') is not ("biws" or "eSws"))
        {
            error = "malformed SCRAM message: unexpected channel binding";
            return false;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            error = "malformed SCRAM message: proof is not base64";
            return false;
        }

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = HMACSHA256.HashData(_verifier.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return false;
        }

        // ClientKey = proof XOR signature; the client knew the password if H(ClientKey) is the stored key.
        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!_userKnown || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), _verifier.StoredKey))
        {
            return false;
        }

        serverFinal = "v=" + Convert.ToBase64String(HMACSHA256.HashData(_verifier.ServerKey, authMessage));
        return true;
    }

    private static string? Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[0] == name && part[1] == '=')
            {
                return part[2..];
            }
        }

        return null;
    }

    private static ScramVerifier MockVerifier(string userName, ReadOnlySpan<byte> secret)
    {
        var salt = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(userName))[..16];
        return new ScramVerifier(ScramVerifier.DefaultIterations, salt, new byte[32], new byte[32]);
    }
}
