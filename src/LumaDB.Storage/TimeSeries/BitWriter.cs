using System.Buffers.Binary;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Appends bit fields, most significant bit first, into a growing buffer. The bytes written so far are readable
/// at any time (no pending accumulator), so an open chunk can be read while it is still being appended to.
/// </summary>
/// <remarks>
/// The buffer is a plain array sized to what is written, not a pooled one: every series keeps a writer for its
/// open chunk for as long as it lives, and the pool's power-of-two buckets would double that memory.
/// </remarks>
public sealed class BitWriter : IDisposable
{
    // A field is merged with one 8-byte read-modify-write, so the buffer keeps 8 zeroed bytes past the end.
    private const int Slack = 8;

    private byte[] _buffer;
    private long _bitLength;

    /// <summary>Creates a writer with room for about <paramref name="initialBytes"/> bytes.</summary>
    public BitWriter(int initialBytes = 64)
    {
        _buffer = new byte[Math.Max(initialBytes, 8) + Slack];
    }

    /// <summary>Number of bits written.</summary>
    public long BitLength => _bitLength;

    /// <summary>Number of bytes the written bits occupy (the last one zero-padded).</summary>
    public int ByteLength => (int)((_bitLength + 7) >> 3);

    /// <summary>Bytes held, the slack included; for memory accounting.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenBytes => _buffer.AsSpan(0, ByteLength);

    /// <summary>Prefetch hint: loads the buffer's header (an append reads its length) and the line the next bits go to.</summary>
    public void PrefetchTail()
    {
        PrefetchLine.ArrayData(ref _buffer, -sizeof(int));
        PrefetchLine.ArrayData(ref _buffer, (nint)(_bitLength >> 3));
    }

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

    /// <summary>Forgets everything written and starts over in a buffer of about <paramref name="initialBytes"/> bytes.</summary>
    public void Restart(int initialBytes)
    {
        _buffer = new byte[Math.Max(initialBytes, 8) + Slack];
        _bitLength = 0;
    }

    /// <summary>Forgets everything written, keeping the buffer.</summary>
    public void Reset()
    {
        Array.Clear(_buffer, 0, Math.Min(_buffer.Length, ByteLength + Slack));
        _bitLength = 0;
    }

    /// <summary>Drops the buffer.</summary>
    public void Dispose()
    {
        _buffer = [];
        _bitLength = 0;
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
        // Growing by half keeps the slack of a long-lived chunk buffer small.
        var larger = new byte[Math.Max(needed, _buffer.Length + (_buffer.Length >> 1))];
        _buffer.AsSpan(0, ByteLength).CopyTo(larger);
        _buffer = larger;
    }
}
