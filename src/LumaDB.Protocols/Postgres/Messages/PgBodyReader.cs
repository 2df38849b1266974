using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>Reads the fields of a framed message body; every read reports failure rather than throwing.</summary>
public ref struct PgBodyReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _body.Length - _position;

    /// <summary>Where the reader is in the body.</summary>
    public readonly int Position => _position;

    /// <summary>Reads a NUL-terminated UTF-8 string.</summary>
    public bool TryReadCString(out string value)
    {
        value = "";
        var end = _body[_position..].IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(_body.Slice(_position, end));
        _position += end + 1;
        return true;
    }

    /// <summary>Reads a NUL-terminated string as its UTF-8 bytes (a slice of the body, nothing copied).</summary>
    public bool TryReadCStringBytes(out ReadOnlySpan<byte> value)
    {
        value = default;
        var end = _body[_position..].IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        value = _body.Slice(_position, end);
        _position += end + 1;
        return true;
    }

    /// <summary>Reads one byte.</summary>
    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (Remaining < 1)
        {
            return false;
        }

        value = _body[_position++];
        return true;
    }

    /// <summary>Reads a big-endian 16-bit integer.</summary>
    public bool TryReadInt16(out short value)
    {
        value = 0;
        if (Remaining < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt16BigEndian(_body[_position..]);
        _position += 2;
        return true;
    }

    /// <summary>Reads a big-endian 32-bit integer.</summary>
    public bool TryReadInt32(out int value)
    {
        value = 0;
        if (Remaining < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt32BigEndian(_body[_position..]);
        _position += 4;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> bytes, returning where they start.</summary>
    public bool TrySkip(int count, out int start)
    {
        start = _position;
        if (count < 0 || Remaining < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
