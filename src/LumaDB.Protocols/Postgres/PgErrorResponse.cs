using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Protocols.Postgres;

/// <summary>Writes ErrorResponse ('E') messages in the PostgreSQL v3 format.</summary>
public static class PgErrorResponse
{
    /// <summary>SQLSTATE 0A000: feature_not_supported.</summary>
    public const string FeatureNotSupported = "0A000";

    /// <summary>SQLSTATE 08P01: protocol_violation.</summary>
    public const string ProtocolViolation = "08P01";

    /// <summary>Encodes an ErrorResponse with severity, SQLSTATE and message fields.</summary>
    public static void Write(IBufferWriter<byte> output, string severity, string sqlState, string message)
    {
        var fields = new (byte Code, string Value)[] { ((byte)'S', severity), ((byte)'V', severity), ((byte)'C', sqlState), ((byte)'M', message) };
        var length = 4 + 1;
        foreach (var (_, value) in fields)
        {
            length += 1 + Encoding.UTF8.GetByteCount(value) + 1;
        }

        var span = output.GetSpan(1 + length);
        span[0] = (byte)'E';
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        var at = 5;
        foreach (var (code, value) in fields)
        {
            span[at++] = code;
            at += Encoding.UTF8.GetBytes(value, span[at..]);
            span[at++] = 0;
        }

        span[at++] = 0;
        output.Advance(at);
    }
}
