using LumaDB.Storage.IO;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments.ParquetFormat;

/// <summary>
/// Writes Thrift's compact protocol, the encoding of Parquet page headers and file metadata, into a pooled buffer:
/// field headers carry the id as a delta from the previous field of the same struct, integers are zigzag varints
/// and booleans live in the field header.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private readonly PooledBuffer<byte> _buffer;
    private readonly Stack<short> _lastFieldIds = new();
    private short _lastFieldId;

    public ThriftCompactWriter(PooledBuffer<byte> buffer) => _buffer = buffer;

    public void I32(short field, int value)
    {
        FieldHeader(field, ThriftCompactType.I32);
        WriteVarint(Varint.ZigZag(value));
    }

    public void I64(short field, long value)
    {
        FieldHeader(field, ThriftCompactType.I64);
        WriteVarint(Varint.ZigZag(value));
    }

    public void Byte(short field, sbyte value)
    {
        FieldHeader(field, ThriftCompactType.Byte);
        _buffer.Add((byte)value);
    }

    public void Bool(short field, bool value) => FieldHeader(field, value ? ThriftCompactType.BooleanTrue : ThriftCompactType.BooleanFalse);

    public void Binary(short field, ReadOnlySpan<byte> value)
    {
        FieldHeader(field, ThriftCompactType.Binary);
        BinaryValue(value);
    }

    public void String(short field, string value)
    {
        FieldHeader(field, ThriftCompactType.Binary);
        StringValue(value);
    }

    /// <summary>Starts a struct-valued field; <see cref="EndStruct"/> closes it.</summary>
    public void BeginStruct(short field)
    {
        FieldHeader(field, ThriftCompactType.Struct);
        BeginStructValue();
    }

    /// <summary>Starts a struct that is a list element (no field header).</summary>
    public void BeginStructValue()
    {
        _lastFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct()
    {
        _buffer.Add(0);
        _lastFieldId = _lastFieldIds.Pop();
    }

    /// <summary>Ends the outermost struct (a message: page header or file metadata).</summary>
    public void EndMessage()
    {
        _buffer.Add(0);
        _lastFieldId = 0;
    }

    public void BeginStructList(short field, int count) => ListHeader(field, ThriftCompactType.Struct, count);

    public void I32List(short field, ReadOnlySpan<int> values)
    {
        ListHeader(field, ThriftCompactType.I32, values.Length);
        foreach (var value in values)
        {
            WriteVarint(Varint.ZigZag(value));
        }
    }

    public void StringList(short field, ReadOnlySpan<string> values)
    {
        ListHeader(field, ThriftCompactType.Binary, values.Length);
        foreach (var value in values)
        {
            StringValue(value);
        }
    }

    private void ListHeader(short field, byte elementType, int count)
    {
        FieldHeader(field, ThriftCompactType.List);
        if (count < 15)
        {
            _buffer.Add((byte)((count << 4) | elementType));
        }
        else
        {
            _buffer.Add((byte)(0xF0 | elementType));
            WriteVarint((uint)count);
        }
    }

    private void FieldHeader(short field, byte type)
    {
        var delta = field - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            _buffer.Add((byte)((delta << 4) | type));
        }
        else
        {
            _buffer.Add(type);
            WriteVarint(Varint.ZigZag(field));
        }

        _lastFieldId = field;
    }

    private void BinaryValue(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        _buffer.Write(value);
    }

    private void StringValue(string value)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        var span = _buffer.GetSpan(length);
        System.Text.Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    private void WriteVarint(ulong value) => ParquetIntegerEncoding.WriteVarint(value, _buffer);

}
