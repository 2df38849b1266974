using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Storage.Memtables;

/// <summary>Reads the elements of a key written with <see cref="KeyEncoding"/>, in order.</summary>
public ref struct KeyReader
{
    private readonly ReadOnlySpan<byte> _key;
    private int _position;

    /// <summary>Creates a reader at the first element.</summary>
    public KeyReader(ReadOnlySpan<byte> key)
    {
        _key = key;
        _position = 0;
    }

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(KeyElementKind.UInt64, 8));

    /// <summary>Kind of the next element, or <see cref="KeyElementKind.End"/>.</summary>
    public readonly KeyElementKind Next => _position < _key.Length ? (KeyElementKind)_key[_position] : KeyElementKind.End;

    /// <summary>Consumes a NULL.</summary>
    public void ReadNull() => Take(KeyElementKind.Null, 0);

    /// <summary>Consumes a boolean.</summary>
    public bool ReadBoolean()
    {
        var kind = Next;
        if (kind is not (KeyElementKind.True or KeyElementKind.False))
        {
            throw Mismatch(KeyElementKind.True);
        }

        _position++;
        return kind == KeyElementKind.True;
    }

    /// <summary>Consumes a 16-bit integer.</summary>
    public short ReadInt16() => (short)(BinaryPrimitives.ReadUInt16BigEndian(Take(KeyElementKind.Int16, 2)) ^ 0x8000);

    /// <summary>Consumes a 32-bit integer.</summary>
    public int ReadInt32() => (int)BinaryPrimitives.ReadUInt32BigEndian(Take(KeyElementKind.Int32, 4)) ^ int.MinValue;

    /// <summary>Consumes a 64-bit integer.</summary>
    public long ReadInt64() => (long)BinaryPrimitives.ReadUInt64BigEndian(Take(KeyElementKind.Int64, 8)) ^ long.MinValue;

    /// <summary>Consumes a timestamp (microseconds since the Unix epoch).</summary>
    public long ReadTimestamp() => (long)BinaryPrimitives.ReadUInt64BigEndian(Take(KeyElementKind.Timestamp, 8)) ^ long.MinValue;

    /// <summary>Consumes a double.</summary>
    public double ReadFloat64() => KeyEncoding.DecodeFloat64(BinaryPrimitives.ReadUInt64BigEndian(Take(KeyElementKind.Float64, 8)));

    /// <summary>Consumes text.</summary>
    public string ReadText()
    {
        var writer = new ArrayBufferWriter<byte>();
        ReadEscaped(KeyElementKind.Text, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    /// <summary>Consumes raw bytes.</summary>
    public byte[] ReadBytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        ReadEscaped(KeyElementKind.Bytes, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Consumes text or bytes, appending the unescaped bytes to <paramref name="destination"/>.</summary>
    public void ReadEscaped(KeyElementKind kind, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Take(kind, 0);
        while (true)
        {
            var rest = _key[_position..];
            var zero = rest.IndexOf((byte)0);
            if (zero < 0)
            {
                throw new FormatException("Unterminated text or bytes element in key.");
            }

            destination.Write(rest[..zero]);
            if (zero + 1 < rest.Length && rest[zero + 1] == 0xFF)
            {
                destination.Write([(byte)0]);
                _position += zero + 2;
                continue;
            }

            _position += zero + 1;
            return;
        }
    }

    private readonly FormatException Mismatch(KeyElementKind expected) =>
        new($"Key element {Next} found where {expected} was expected at offset {_position}.");

    private ReadOnlySpan<byte> Take(KeyElementKind kind, int bodyLength)
    {
        if (Next != kind)
        {
            throw Mismatch(kind);
        }

        if (_position + 1 + bodyLength > _key.Length)
        {
            throw new FormatException($"Key ends inside a {kind} element.");
        }

        var body = _key.Slice(_position + 1, bodyLength);
        _position += 1 + bodyLength;
        return body;
    }
}
