using System.Buffers.Binary;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Reads bit fields, most significant bit first, from a span. Reading past the end yields zero bits and sets
/// <see cref="IsOverrun"/> instead of throwing, so damaged input cannot crash a decoder.
/// </summary>
public ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private long _bitPosition;

    /// <summary>Creates a reader at the first bit of <paramref name="data"/>.</summary>
    public BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _bitPosition = 0;
    }

    /// <summary>Bits consumed so far.</summary>
    public readonly long BitPosition => _bitPosition;

    /// <summary>True once a read went past the last bit.</summary>
    public readonly bool IsOverrun => _bitPosition > (long)_data.Length * 8;

    /// <summary>Reads one bit.</summary>
    public bool ReadBit() => ReadSmall(1) != 0;

    /// <summary>Reads <paramref name="count"/> bits (0 to 64) as an unsigned value.</summary>
    public ulong ReadBits(int count)
    {
        if (count > 32)
        {
            var high = ReadSmall(count - 32);
            return (high << 32) | ReadSmall(32);
        }

        return count > 0 ? ReadSmall(count) : 0;
    }

    private ulong ReadSmall(int count)
    {
        var byteIndex = (int)(_bitPosition >> 3);
        var bitOffset = (int)(_bitPosition & 7);
        ulong word;
        if (byteIndex + 8 <= _data.Length)
        {
            word = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(byteIndex, 8));
        }
        else
        {
            // Near the end: pad with zeros rather than read past the span.
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            if (byteIndex < _data.Length)
            {
                _data[byteIndex..].CopyTo(tail);
            }

            word = BinaryPrimitives.ReadUInt64BigEndian(tail);
        }

        _bitPosition += count;
        return (word << bitOffset) >> (64 - count);
    }
}
