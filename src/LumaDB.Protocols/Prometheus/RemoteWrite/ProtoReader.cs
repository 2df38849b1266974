using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Protobuf wire types.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A forward-only protobuf reader over a span. Remote write is the busiest ingest path, so it is decoded by hand
/// straight from the request buffer: no message objects, no per-sample allocation. Every read reports failure
/// instead of throwing, so truncated or malformed input is an ordinary outcome.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    public readonly int Position => _position;

    /// <summary>Reads a field tag; false at the end or on a malformed tag.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(out var tag) || tag > uint.MaxValue)
        {
            return false;
        }

        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        return field > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarint(out ulong value)
    {
        // Fast path: most varints in remote write (timestamps aside) fit in one byte.
        if (_position < _data.Length && _data[_position] < 0x80)
        {
            value = _data[_position++];
            return true;
        }

        return TryReadVarintSlow(out value);
    }

    private bool TryReadVarintSlow(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                return false;
            }

            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    public bool TryReadFixed64(out ulong value)
    {
        if (_data.Length - _position < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return true;
    }

    public bool TryReadDouble(out double value)
    {
        var ok = TryReadFixed64(out var bits);
        value = BitConverter.UInt64BitsToDouble(bits);
        return ok;
    }

    public bool TryReadLengthDelimited(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadVarint(out var length) || length > (ulong)(_data.Length - _position))
        {
            return false;
        }

        value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips a field of an unknown or unwanted number, as protobuf requires.</summary>
    public bool TrySkip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                return TryReadVarint(out _);
            case WireType.Fixed64:
                return TryReadFixed64(out _);
            case WireType.LengthDelimited:
                return TryReadLengthDelimited(out _);
            case WireType.Fixed32:
                if (_data.Length - _position < 4)
                {
                    return false;
                }

                _position += 4;
                return true;
            default:
                // Groups are long deprecated and never used by remote write.
                return false;
        }
    }

    public static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
