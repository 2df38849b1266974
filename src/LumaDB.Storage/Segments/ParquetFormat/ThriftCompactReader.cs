using LumaDB.Storage.IO;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Reads Thrift's compact protocol (see <see cref="ThriftCompactWriter"/>) from a span: enough to walk a page header
/// field by field and skip whatever field a reader does not need. Malformed input throws
/// <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ThriftCompactReader
{
    // Nesting a reader follows before it calls the input malformed: Parquet's own structs nest a few levels.
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _source;
    private int _offset;
    private short _lastFieldId;

    public ThriftCompactReader(ReadOnlySpan<byte> source)
    {
        _source = source;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _offset;

    /// <summary>
    /// Reads the next field header of the current struct; false at the struct's stop byte. A boolean field's value
    /// is its type (<see cref="ThriftCompactType.BooleanTrue"/> or <see cref="ThriftCompactType.BooleanFalse"/>).
    /// </summary>
    public bool NextField(out short id, out byte type)
    {
        var header = ReadByte();
        if (header == 0)
        {
            id = 0;
            type = 0;
            return false;
        }

        type = (byte)(header & 0x0F);
        var delta = header >> 4;
        id = delta != 0 ? FieldId(_lastFieldId + delta) : FieldId(Varint.UnZigZag(Varint.Read(_source, ref _offset)));
        _lastFieldId = id;
        return true;
    }

    /// <summary>Enters a struct-valued field: its fields count their ids from zero. Returns what <see cref="EndStruct"/> restores.</summary>
    public short BeginStruct()
    {
        var outer = _lastFieldId;
        _lastFieldId = 0;
        return outer;
    }

    /// <summary>Leaves a struct after its stop byte was read by <see cref="NextField"/>.</summary>
    public void EndStruct(short outer) => _lastFieldId = outer;

    public int ReadI32(byte type)
    {
        Expect(type, ThriftCompactType.I32);
        return Int32(Varint.UnZigZag(Varint.Read(_source, ref _offset)));
    }

    /// <summary>Skips a value of <paramref name="type"/>, structs and collections included.</summary>
    public void Skip(byte type) => Skip(type, 0);

    private void Skip(byte type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("Thrift value nests too deeply.");
        }

        switch (type)
        {
            case ThriftCompactType.BooleanTrue or ThriftCompactType.BooleanFalse:
                break;
            case ThriftCompactType.Byte:
                ReadByte();
                break;
            case ThriftCompactType.I16 or ThriftCompactType.I32 or ThriftCompactType.I64:
                Varint.Read(_source, ref _offset);
                break;
            case ThriftCompactType.Double:
                Take(8);
                break;
            case ThriftCompactType.Binary:
                Take(Length(Varint.Read(_source, ref _offset)));
                break;
            case ThriftCompactType.List or ThriftCompactType.Set:
                {
                    var header = ReadByte();
                    var size = header >> 4;
                    var elementType = (byte)(header & 0x0F);
                    var count = size == 15 ? Length(Varint.Read(_source, ref _offset)) : size;
                    for (var i = 0; i < count; i++)
                    {
                        // Booleans in a collection take a byte each, unlike booleans in a field header.
                        if (elementType is ThriftCompactType.BooleanTrue or ThriftCompactType.BooleanFalse)
                        {
                            ReadByte();
                        }
                        else
                        {
                            Skip(elementType, depth + 1);
                        }
                    }

                    break;
                }

            case ThriftCompactType.Map:
                {
                    var count = Length(Varint.Read(_source, ref _offset));
                    if (count == 0)
                    {
                        break;
                    }

                    var types = ReadByte();
                    for (var i = 0; i < count; i++)
                    {
                        Skip((byte)(types >> 4), depth + 1);
                        Skip((byte)(types & 0x0F), depth + 1);
                    }

                    break;
                }

            case ThriftCompactType.Struct:
                {
                    var outer = BeginStruct();
                    while (NextField(out _, out var fieldType))
                    {
                        Skip(fieldType, depth + 1);
                    }

                    EndStruct(outer);
                    break;
                }

            default:
                throw new InvalidDataException($"Unknown Thrift compact type {type}.");
        }
    }

    private static short FieldId(long value) =>
        value is >= short.MinValue and <= short.MaxValue ? (short)value : throw new InvalidDataException($"Thrift field id {value} is out of range.");

    private static int Int32(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new InvalidDataException($"Thrift i32 value {value} is out of range.");

    private static int Length(ulong value) =>
        value <= int.MaxValue ? (int)value : throw new InvalidDataException($"Thrift length {value} is out of range.");

    private static void Expect(byte type, byte expected)
    {
        if (type != expected)
        {
            throw new InvalidDataException($"Thrift field has type {type} where {expected} was expected.");
        }
    }

    private byte ReadByte()
    {
        if ((uint)_offset >= (uint)_source.Length)
        {
            throw new InvalidDataException("Thrift data ends early.");
        }

        return _source[_offset++];
    }

    private void Take(int length)
    {
        if (length < 0 || length > _source.Length - _offset)
        {
            throw new InvalidDataException("Thrift data ends early.");
        }

        _offset += length;
    }
}
