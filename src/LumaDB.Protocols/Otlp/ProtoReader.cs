using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Walks the fields of one protobuf message in place, without building objects: the OTLP ingest decoders read
/// spans and log records straight from the request bytes. Malformed input throws <see cref="OtlpInvalidException"/>.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _at;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _at = 0;
    }

    /// <summary>Reads the next tag; false at the end of the message.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out int field, out int wireType)
    {
        if (_at >= _data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        // Fields 1 to 15 have one-byte tags: every field of the OTLP messages takes ReadVarint's inline path.
        var tag = ReadVarint();

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (tag > uint.MaxValue || field == 0 || wireType is not (Varint or Fixed64 or LengthDelimited or Fixed32))
        {
            ThrowInvalidTag(tag);
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if ((uint)_at < (uint)_data.Length && _data[_at] < 0x80)
        {
            return _data[_at++];
        }

        return ReadVarintSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadVarintSlow()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_at >= _data.Length)
            {
                throw Invalid("message truncated inside a varint");
            }

            var b = _data[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Invalid("malformed varint");
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _at < 8)
        {
            throw Invalid("message truncated inside a fixed64");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_at..]);
        _at += 8;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _at))
        {
            ThrowTruncated();
        }

        var value = _data.Slice(_at, (int)length);
        _at += (int)length;
        return value;
    }

    /// <summary>Skips the value of a field of <paramref name="wireType"/>.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: ReadFixed64(); break;
            case LengthDelimited: ReadBytes(); break;
            default:
                if (_data.Length - _at < 4)
                {
                    throw Invalid("message truncated inside a fixed32");
                }

                _at += 4;
                break;
        }
    }

    private static OtlpInvalidException Invalid(string what) => new("invalid protobuf: " + what);

    [DoesNotReturn]
    private static void ThrowInvalidTag(ulong tag) => throw Invalid(
        tag > uint.MaxValue || (tag >> 3) == 0 ? "invalid field tag" : $"unsupported wire type {tag & 7} for field {tag >> 3}");

    [DoesNotReturn]
    private static void ThrowTruncated() => throw Invalid("message truncated: a length-delimited field runs past its end");
}
