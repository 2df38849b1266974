using System.Security.Cryptography;
using System.Text;
using LumaDB.Protocols.Postgres.Auth;

namespace LumaDB.Protocols.Tests.Postgres;

public sealed class ScramTests
{
    private static readonly byte[] Secret = "server secret"u8.ToArray();

    // The SCRAM-SHA-256 example exchange of RFC 7677, section 3.
    private const string ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramVerifier RfcVerifier() => ScramVerifier.Derive("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    [Fact]
    public void The_rfc_7677_example_exchange_succeeds_with_the_rfc_signature()
    {
        var exchange = new ScramServerExchange(RfcVerifier(), "user", Secret, ServerNonce);

        Assert.True(exchange.TryHandleClientFirst(ClientFirst, out var serverFirst, out var error), error);
        Assert.Equal(ServerFirst, serverFirst);
        Assert.True(exchange.TryHandleClientFinal(ClientFinal, out var serverFinal, out error), error);
        Assert.Equal(ServerFinal, serverFinal);
    }

    [Fact]
    public void A_wrong_password_fails_at_the_proof_without_a_protocol_error()
    {
        var exchange = new ScramServerExchange(ScramVerifier.Derive("not pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096), "user", Secret, ServerNonce);

        Assert.True(exchange.TryHandleClientFirst(ClientFirst, out _, out _));
        Assert.False(exchange.TryHandleClientFinal(ClientFinal, out var serverFinal, out var error));
        Assert.Null(serverFinal);
        Assert.Null(error);
    }

    [Fact]
    public void An_unknown_user_gets_a_normal_looking_exchange_that_always_fails()
    {
        var first = new ScramServerExchange(null, "ghost", Secret, ServerNonce);
        var again = new ScramServerExchange(null, "ghost", Secret, ServerNonce);

        Assert.True(first.TryHandleClientFirst(ClientFirst, out var serverFirst, out _));
        Assert.True(again.TryHandleClientFirst(ClientFirst, out var serverFirstAgain, out _));
        Assert.Equal(serverFirst, serverFirstAgain);
        Assert.Contains(",i=4096", serverFirst, StringComparison.Ordinal);
        Assert.False(first.TryHandleClientFinal(ClientFinal, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void A_tampered_nonce_is_a_protocol_error()
    {
        var exchange = new ScramServerExchange(RfcVerifier(), "user", Secret, ServerNonce);
        exchange.TryHandleClientFirst(ClientFirst, out _, out _);

        Assert.False(exchange.TryHandleClientFinal(ClientFinal.Replace("k0,p=", "k1,p=", StringComparison.Ordinal), out _, out var error));
        Assert.Equal("malformed SCRAM message: nonce mismatch", error);
    }

    [Fact]
    public void Verifiers_round_trip_through_postgres_text_form()
    {
        var verifier = ScramVerifier.Create("correct horse");

        Assert.True(ScramVerifier.TryParse(verifier.ToString(), out var parsed));
        Assert.Equal(verifier.ToString(), parsed!.ToString());
        Assert.StartsWith("SCRAM-SHA-256$4096:", verifier.ToString(), StringComparison.Ordinal);
        Assert.False(ScramVerifier.TryParse("md5abc", out _));
        Assert.False(ScramVerifier.TryParse("SCRAM-SHA-256$x:y$z:w", out _));
    }

    [Fact]
    public void A_client_computing_scram_from_the_password_is_accepted()
    {
        var verifier = ScramVerifier.Create("s3cret!", iterations: 4096);
        var exchange = new ScramServerExchange(verifier, "luma", Secret);
        var clientNonce = "abcdefghijklmnop";
        var clientFirstBare = $"n=,r={clientNonce}";

        Assert.True(exchange.TryHandleClientFirst("n,," + clientFirstBare, out var serverFirst, out _));
        var fields = serverFirst!.Split(',').ToDictionary(f => f[0], f => f[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("s3cret!"), Convert.FromBase64String(fields['s']), int.Parse(fields['i']), HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var withoutProof = $"c=biws,r={fields['r']}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}");
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();

        Assert.True(exchange.TryHandleClientFinal($"{withoutProof},p={Convert.ToBase64String(proof)}", out var serverFinal, out _));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        Assert.Equal("v=" + Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage)), serverFinal);
    }

    [Fact]
    public void Md5_passwords_follow_postgres_hashing()
    {
        // PostgreSQL: md5 || md5(password || user); the client answers md5 || md5(that hex || salt).
        var stored = Md5Password.Hash("secret", "alice");
        byte[] salt = [1, 2, 3, 4];
#pragma warning disable CA5351
        var inner = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("secretalice")));
        var response = "md5" + Convert.ToHexStringLower(MD5.HashData([.. Encoding.ASCII.GetBytes(inner), .. salt]));
#pragma warning restore CA5351

        Assert.Equal("md5" + inner, stored);
        Assert.True(Md5Password.Verify(stored, salt, response));
        Assert.False(Md5Password.Verify(stored, [4, 3, 2, 1], response));
    }
}
