using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>
/// A connection's outgoing backend messages, built in one pooled buffer that is reused for the connection's
/// life. Messages reserve their length, write their fields and patch the length at the end, so nothing is
/// encoded twice; the session hands <see cref="WrittenMemory"/> to the socket when it flushes.
/// </summary>
public sealed partial class PgOutputBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    /// <summary>Creates a buffer with an initial capacity.</summary>
    public PgOutputBuffer(int initialCapacity = 8192) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Bytes written since the last reset.</summary>
    public int Length => _length;

    /// <summary>Forgets what was written (after it was flushed).</summary>
    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
    }

    /// <summary>Starts a message of the given type; close it with <see cref="EndMessage"/>.</summary>
    public void BeginMessage(byte type)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("a message is already open");
        }

        Ensure(5);
        _buffer[_length] = type;
        _messageStart = _length + 1;
        _length += 5;
    }

    /// <summary>Patches the open message's length.</summary>
    public void EndMessage()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_messageStart), _length - _messageStart);
        _messageStart = -1;
    }

    /// <summary>Rolls back a message that could not be completed (e.g. a row that failed to encode).</summary>
    public void AbandonMessage()
    {
        if (_messageStart >= 0)
        {
            _length = _messageStart - 1;
            _messageStart = -1;
        }
    }

    /// <summary>Writes a byte.</summary>
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes a big-endian 16-bit integer.</summary>
    public void WriteInt16(short value)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    /// <summary>Writes a big-endian 32-bit integer.</summary>
    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    /// <summary>Writes bytes as they are.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes a NUL-terminated UTF-8 string.</summary>
    public void WriteCString(string value)
    {
        var count = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(count + 1);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        _buffer[_length++] = 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
