using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>Length-prefixed values whose size is only known after they are written (binary arrays, text).</summary>
public sealed partial class PgOutputBuffer
{
    /// <summary>Reserves a 4-byte length and returns where it is; <see cref="EndLength"/> fills it in.</summary>
    public int BeginLength()
    {
        Ensure(4);
        var at = _length;
        _length += 4;
        return at;
    }

    /// <summary>Writes the number of bytes written since <see cref="BeginLength"/> into the reserved slot.</summary>
    public void EndLength(int at) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at), _length - at - 4);

    /// <summary>Writes a big-endian 64-bit integer.</summary>
    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Writes a string as UTF-8 without a terminator.</summary>
    public void WriteUtf8(string value)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>Room for at least <paramref name="sizeHint"/> bytes at the end; <see cref="Advance"/> says how many were used.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Counts <paramref name="bytes"/> written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int bytes) => _length += bytes;
}
