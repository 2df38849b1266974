using System.Buffers;
using System.Buffers.Binary;

namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>
/// Frames frontend messages after startup: a type byte, a big-endian length that counts itself, then the body.
/// Never throws on short input; a length out of bounds is an Error the session answers with 08P01 and closes.
/// </summary>
public static class PgMessageReader
{
    /// <summary>Tries to frame one message at the start of <paramref name="buffer"/>.</summary>
    public static PgFrameStatus TryRead(ReadOnlySequence<byte> buffer, int maxMessageLength, out byte type, out ReadOnlySequence<byte> body, out long consumed, out string? error)
    {
        type = 0;
        body = default;
        consumed = 0;
        error = null;
        if (buffer.Length < 5)
        {
            return PgFrameStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);
        if (length < 4 || length > maxMessageLength)
        {
            error = $"invalid message length {length} for message type '{(char)header[0]}'";
            return PgFrameStatus.Error;
        }

        if (buffer.Length < 1 + (long)length)
        {
            return PgFrameStatus.Incomplete;
        }

        type = header[0];
        body = buffer.Slice(5, length - 4);
        consumed = 1 + (long)length;
        return PgFrameStatus.Complete;
    }
}
