using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Collects the values of one row, in any column order, and encodes them in the <see cref="RowCodec"/> form.
/// Reusable: <see cref="Reset"/> keeps its buffers, so encoding many rows allocates nothing per row.
/// </summary>
public sealed class RowBuilder
{
    private readonly TableLayout _layout;
    private readonly ulong[] _fixed;
    private readonly int[] _varStart;
    private readonly int[] _varLength;
    private readonly bool[] _present;

    // The layout's column facts come from its codec's arrays: read for every value set and encoded, where going
    // through the layout's column list cost an interface call each.
    private readonly RowCodec _codec;
    private readonly ArrayBufferWriter<byte> _varData = new(256);

    /// <summary>Creates a builder for rows of <paramref name="layout"/>; every column starts null.</summary>
    public RowBuilder(TableLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _layout = layout;
        var n = layout.Columns.Count;
        _fixed = new ulong[n];
        _varStart = new int[n];
        _varLength = new int[n];
        _present = new bool[n];
        _codec = layout.Codec;
    }

    /// <summary>The table the rows belong to.</summary>
    public TableLayout Layout => _layout;

    /// <summary>Makes every column null again.</summary>
    public void Reset()
    {
        Array.Clear(_present);
        _varData.ResetWrittenCount();
    }

    /// <summary>Whether a value (not null) has been set for <paramref name="column"/> since the last reset.</summary>
    public bool HasValue(int column) => _present[column];

    /// <summary>Sets a column to null.</summary>
    public RowBuilder SetNull(int column)
    {
        _present[column] = false;
        return this;
    }

    /// <summary>Sets a boolean column.</summary>
    public RowBuilder SetBoolean(int column, bool value) => SetFixed(column, SegmentColumnKind.Boolean, value ? 1UL : 0UL);

    /// <summary>Sets a 16-bit integer column.</summary>
    public RowBuilder SetInt16(int column, short value) => SetFixed(column, SegmentColumnKind.Int16, (ulong)value);

    /// <summary>Sets a 32-bit integer column.</summary>
    public RowBuilder SetInt32(int column, int value) => SetFixed(column, SegmentColumnKind.Int32, (ulong)value);

    /// <summary>Sets a 64-bit integer column.</summary>
    public RowBuilder SetInt64(int column, long value) => SetFixed(column, SegmentColumnKind.Int64, (ulong)value);

    /// <summary>Sets an unsigned 64-bit column.</summary>
    public RowBuilder SetUInt64(int column, ulong value) => SetFixed(column, SegmentColumnKind.UInt64, value);

    /// <summary>Sets a 32-bit float column.</summary>
    public RowBuilder SetFloat32(int column, float value) => SetFixed(column, SegmentColumnKind.Float32, BitConverter.SingleToUInt32Bits(value));

    /// <summary>Sets a 64-bit float column.</summary>
    public RowBuilder SetFloat64(int column, double value) => SetFixed(column, SegmentColumnKind.Float64, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>Sets a timestamp column to microseconds since the Unix epoch.</summary>
    public RowBuilder SetTimestamp(int column, long microseconds) => SetFixed(column, SegmentColumnKind.TimestampMicros, (ulong)microseconds);

    /// <summary>Sets a text column.</summary>
    public RowBuilder SetText(int column, ReadOnlySpan<char> value)
    {
        Expect(column, SegmentColumnKind.Utf8);
        var length = Encoding.UTF8.GetByteCount(value);
        var span = _varData.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        return SetVariable(column, length);
    }

    /// <summary>Sets a binary column, or a text column from UTF-8 bytes.</summary>
    public RowBuilder SetBytes(int column, ReadOnlySpan<byte> value)
    {
        if (_codec.KindOf(column) is not (SegmentColumnKind.Utf8 or SegmentColumnKind.Binary))
        {
            throw new ArgumentException($"Column {column} is {_layout.Columns[column].Kind}, not text or bytes.", nameof(column));
        }

        value.CopyTo(_varData.GetSpan(value.Length));
        return SetVariable(column, value.Length);
    }

    /// <summary>
    /// The buffer to write a text or bytes column's value into in place (with a JSON writer, say, instead of
    /// through a scratch buffer and <see cref="SetBytes"/>); <see cref="EndValue"/> then makes what was written
    /// the column's value. Set no other column in between.
    /// </summary>
    public IBufferWriter<byte> BeginValue(int column)
    {
        if (_codec.KindOf(column) is not (SegmentColumnKind.Utf8 or SegmentColumnKind.Binary))
        {
            throw new ArgumentException($"Column {column} is {_layout.Columns[column].Kind}, not text or bytes.", nameof(column));
        }

        _varStart[column] = _varData.WrittenCount;
        return _varData;
    }

    /// <summary>Makes the bytes written since <see cref="BeginValue"/> for <paramref name="column"/> its value.</summary>
    public RowBuilder EndValue(int column)
    {
        _varLength[column] = _varData.WrittenCount - _varStart[column];
        _present[column] = true;
        return this;
    }

    /// <summary>Encodes the row; throws when a non-nullable column is null. Returns the bytes written.</summary>
    public int Encode(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bitmapBytes = _codec.BitmapBytes;
        var size = bitmapBytes;
        for (var c = 0; c < _present.Length; c++)
        {
            if (!_present[c])
            {
                if (!_codec.IsNullable(c))
                {
                    throw new ArgumentException($"Column '{_layout.Columns[c].Name}' is not nullable and has no value.");
                }

                continue;
            }

            var width = _codec.WidthOf(c);
            size += width != 0 ? width : 4 + _varLength[c];
        }

        var span = destination.GetSpan(size)[..size];
        span[..bitmapBytes].Clear();
        var at = bitmapBytes;
        var data = _varData.WrittenSpan;
        for (var c = 0; c < _present.Length; c++)
        {
            if (!_present[c])
            {
                span[c >> 3] |= (byte)(1 << (c & 7));
                continue;
            }

            var width = _codec.WidthOf(c);
            switch (width)
            {
                case 1: span[at] = (byte)_fixed[c]; break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)_fixed[c]); break;
                case 4: BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)_fixed[c]); break;
                case 8: BinaryPrimitives.WriteUInt64LittleEndian(span[at..], _fixed[c]); break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)_varLength[c]);
                    data.Slice(_varStart[c], _varLength[c]).CopyTo(span[(at + 4)..]);
                    width = 4 + _varLength[c];
                    break;
            }

            at += width;
        }

        destination.Advance(size);
        return size;
    }

    /// <summary>
    /// Writes the row's shard key: the bytes <see cref="RowCodec.WriteKey"/> writes for the encoded row, taken from
    /// the values set here instead of locating them in the encoding again.
    /// </summary>
    internal void WriteKey(IBufferWriter<byte> key)
    {
        key.Write(_layout.KeyPrefix);
        var data = _varData.WrittenSpan;
        foreach (var c in _codec.PrimaryKeyColumns)
        {
            if (!_present[c])
            {
                KeyEncoding.WriteNull(key);
                continue;
            }

            var isFixed = _codec.WidthOf(c) != 0;
            RowCodec.WriteKeyValue(key, _codec.KindOf(c), isFixed ? _fixed[c] : 0, isFixed ? default : data.Slice(_varStart[c], _varLength[c]));
        }
    }

    /// <summary>Encodes the row into a new array.</summary>
    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(64);
        Encode(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Gives a column the zero of its kind (empty for text and bytes).</summary>
    internal void SetDefault(int column)
    {
        _present[column] = true;
        _fixed[column] = 0;
        _varStart[column] = 0;
        _varLength[column] = 0;
    }

    private RowBuilder SetFixed(int column, SegmentColumnKind kind, ulong bits)
    {
        Expect(column, kind);
        _fixed[column] = bits;
        _present[column] = true;
        return this;
    }

    private RowBuilder SetVariable(int column, int length)
    {
        _varStart[column] = _varData.WrittenCount;
        _varLength[column] = length;
        _varData.Advance(length);
        _present[column] = true;
        return this;
    }

    private void Expect(int column, SegmentColumnKind kind)
    {
        if (_codec.KindOf(column) != kind)
        {
            throw new ArgumentException($"Column {column} is {_layout.Columns[column].Kind}, not {kind}.", nameof(column));
        }
    }
}
