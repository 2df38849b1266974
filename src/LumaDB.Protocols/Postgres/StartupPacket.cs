using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Protocols.Postgres;

/// <summary>The kinds of packet a client may send before the session starts.</summary>
public enum StartupPacketKind
{
    /// <summary>A StartupMessage with a protocol version and parameters.</summary>
    Startup,

    /// <summary>SSLRequest: the client asks to switch to TLS.</summary>
    SslRequest,

    /// <summary>GSSENCRequest: the client asks for GSSAPI encryption.</summary>
    GssEncRequest,

    /// <summary>CancelRequest: cancel the query of another session.</summary>
    CancelRequest,
}

/// <summary>A parsed pre-session packet.</summary>
public sealed class StartupPacket
{
    /// <summary>The packet's kind.</summary>
    public required StartupPacketKind Kind { get; init; }

    /// <summary>Major protocol version for <see cref="StartupPacketKind.Startup"/>.</summary>
    public int MajorVersion { get; init; }

    /// <summary>Minor protocol version for <see cref="StartupPacketKind.Startup"/>.</summary>
    public int MinorVersion { get; init; }

    /// <summary>The process id a CancelRequest quotes.</summary>
    public int CancelProcessId { get; init; }

    /// <summary>The secret key a CancelRequest quotes.</summary>
    public int CancelSecretKey { get; init; }

    /// <summary>Startup parameters (user, database, application_name, options...).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>The outcome of trying to frame one packet or message from buffered bytes.</summary>
public enum PgFrameStatus
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A packet was read.</summary>
    Complete,

    /// <summary>The bytes are not a valid packet; the connection must be closed.</summary>
    Error,
}

/// <summary>
/// Reads the untyped packets that open a PostgreSQL connection: a length, a 32-bit code, then a body.
/// Never throws on short input (it reports Incomplete) and bounds the packet size.
/// </summary>
public static class StartupPacketParser
{
    /// <summary>The largest startup packet accepted, as PostgreSQL's MAX_STARTUP_PACKET_LENGTH.</summary>
    public const int MaxPacketLength = 10_000;

    /// <summary>Protocol version 3.0 as sent on the wire.</summary>
    public const int Protocol30 = 3 << 16;

    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;

    /// <summary>Tries to read one packet from the start of <paramref name="buffer"/>.</summary>
    public static PgFrameStatus TryParse(ReadOnlySequence<byte> buffer, out StartupPacket? packet, out long consumed, out string? error)
    {
        packet = null;
        consumed = 0;
        error = null;
        if (buffer.Length < 4)
        {
            return PgFrameStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[8];
        buffer.Slice(0, Math.Min(8, buffer.Length)).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 8 || length > MaxPacketLength)
        {
            error = $"invalid length of startup packet: {length}";
            return PgFrameStatus.Error;
        }

        if (buffer.Length < length)
        {
            return PgFrameStatus.Incomplete;
        }

        var code = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var body = buffer.Slice(8, length - 8);
        consumed = length;
        switch (code)
        {
            case SslRequestCode when length == 8:
                packet = new StartupPacket { Kind = StartupPacketKind.SslRequest };
                return PgFrameStatus.Complete;
            case GssEncRequestCode when length == 8:
                packet = new StartupPacket { Kind = StartupPacketKind.GssEncRequest };
                return PgFrameStatus.Complete;
            case CancelRequestCode when length == 16:
                Span<byte> key = stackalloc byte[8];
                body.CopyTo(key);
                packet = new StartupPacket
                {
                    Kind = StartupPacketKind.CancelRequest,
                    CancelProcessId = BinaryPrimitives.ReadInt32BigEndian(key),
                    CancelSecretKey = BinaryPrimitives.ReadInt32BigEndian(key[4..]),
                };
                return PgFrameStatus.Complete;
            case SslRequestCode or GssEncRequestCode or CancelRequestCode:
                error = $"invalid length of startup packet: {length}";
                consumed = 0;
                return PgFrameStatus.Error;
        }

        if (!TryReadParameters(body, out var parameters, out error))
        {
            consumed = 0;
            return PgFrameStatus.Error;
        }

        packet = new StartupPacket
        {
            Kind = StartupPacketKind.Startup,
            MajorVersion = code >>> 16,
            MinorVersion = code & 0xFFFF,
            Parameters = parameters,
        };
        return PgFrameStatus.Complete;
    }

    private static bool TryReadParameters(ReadOnlySequence<byte> body, out Dictionary<string, string> parameters, out string? error)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        var bytes = body.ToArray();
        var span = bytes.AsSpan();
        while (true)
        {
            var end = span.IndexOf((byte)0);
            if (end < 0)
            {
                error = "invalid startup packet layout: expected terminator as last byte";
                return false;
            }

            if (end == 0)
            {
                if (span.Length != 1)
                {
                    error = "invalid startup packet layout: expected terminator as last byte";
                    return false;
                }

                return true;
            }

            var name = Encoding.UTF8.GetString(span[..end]);
            span = span[(end + 1)..];
            var valueEnd = span.IndexOf((byte)0);
            if (valueEnd < 0)
            {
                error = "invalid startup packet layout: expected terminator as last byte";
                return false;
            }

            parameters[name] = Encoding.UTF8.GetString(span[..valueEnd]);
            span = span[(valueEnd + 1)..];
        }
    }
}
