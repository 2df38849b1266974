using System.Buffers;
using System.Buffers.Binary;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Appends bit fields, most significant bit first, into a pooled buffer. The bytes written so far are readable
/// at any time (no pending accumulator), so an open chunk can be read while it is still being appended to.
/// </summary>
public sealed class BitWriter : IDisposable
{
    // A field is merged with one 8-byte read-modify-write, so the buffer keeps 8 zeroed bytes past the end.
    private const int Slack = 8;

    private byte[] _buffer;
    private long _bitLength;

    /// <summary>Creates a writer with room for about <paramref name="initialBytes"/> bytes.</summary>
    public BitWriter(int initialBytes = 64)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialBytes, 16) + Slack);
        Array.Clear(_buffer);
    }

    /// <summary>Number of bits written.</summary>
    public long BitLength => _bitLength;

    /// <summary>Number of bytes the written bits occupy (the last one zero-padded).</summary>
    public int ByteLength => (int)((_bitLength + 7) >> 3);

    /// <summary>Bytes held, the slack included; for memory accounting.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenBytes => _buffer.AsSpan(0, ByteLength);

    /// <summary>Appends one bit.</summary>
    public void WriteBit(bool bit) => WriteSmall(bit ? 1UL : 0UL, 1);

    /// <summary>Appends the low <paramref name="count"/> bits of <paramref name="value"/> (0 to 64).</summary>
    public void WriteBits(ulong value, int count)
    {
        if (count > 32)
        {
            WriteSmall(value >> 32, count - 32);
            WriteSmall(value & 0xFFFF_FFFFUL, 32);
        }
        else if (count > 0)
        {
            WriteSmall(value, count);
        }
    }

    /// <summary>Forgets everything written, keeping the buffer.</summary>
    public void Reset()
    {
        Array.Clear(_buffer, 0, Math.Min(_buffer.Length, ByteLength + Slack));
        _bitLength = 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void WriteSmall(ulong value, int count)
    {
        var byteIndex = (int)(_bitLength >> 3);
        var bitOffset = (int)(_bitLength & 7);
        if (byteIndex + Slack > _buffer.Length)
        {
            Grow(byteIndex + Slack);
        }

        // bitOffset + count <= 39, so the shift stays inside one 64-bit word.
        var masked = value & ((1UL << count) - 1);
        var window = _buffer.AsSpan(byteIndex, 8);
        var word = BinaryPrimitives.ReadUInt64BigEndian(window);
        word |= masked << (64 - bitOffset - count);
        BinaryPrimitives.WriteUInt64BigEndian(window, word);
        _bitLength += count;
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        var used = ByteLength;
        _buffer.AsSpan(0, used).CopyTo(larger);
        Array.Clear(larger, used, larger.Length - used);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
