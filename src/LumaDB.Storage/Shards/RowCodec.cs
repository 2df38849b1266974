using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// The compact binary form of one row of a table, as the memtable and the WAL hold it: a null bitmap (bit set =
/// null), then each non-null value in column order. Fixed-width values are little-endian (booleans one byte,
/// timestamps microseconds); text and bytes are a u32 length and the bytes (text as UTF-8).
/// </summary>
/// <remarks>
/// Rows hold the key columns too, so a flush or scan rebuilds every column from the row alone; the memtable key
/// is derived from the row with <see cref="WriteKey"/>. Little-endian raw values let a decode into Arrow buffers
/// be a plain copy.
/// </remarks>
public sealed class RowCodec
{
    private const int MaxStackColumns = 64;
    private readonly TableLayout _layout;
    private readonly SegmentColumnKind[] _kinds;
    private readonly int[] _widths;
    private readonly bool[] _nullable;

    // An array, not the layout's list: a foreach over the list allocated an enumerator for every key written.
    private readonly int[] _primaryKey;

    // Where each column starts in a row with no nulls when every column is fixed-width (narrow metric and event
    // rows): such a row is located by one length check instead of a walk over the columns.
    private readonly int[]? _fixedStarts;
    private readonly int _fixedLength;

    internal RowCodec(TableLayout layout)
    {
        _layout = layout;
        _kinds = layout.Columns.Select(c => c.Kind).ToArray();
        _widths = _kinds.Select(FixedWidth).ToArray();
        _nullable = layout.Columns.Select(c => c.IsNullable).ToArray();
        _primaryKey = layout.PrimaryKey.ToArray();
        BitmapBytes = (_kinds.Length + 7) / 8;
        if (_kinds.All(k => FixedWidth(k) != 0))
        {
            _fixedStarts = new int[_kinds.Length];
            var at = BitmapBytes;
            for (var c = 0; c < _kinds.Length; c++)
            {
                _fixedStarts[c] = at;
                at += FixedWidth(_kinds[c]);
            }

            _fixedLength = at;
        }
    }

    /// <summary>Bytes of the null bitmap at the start of every row.</summary>
    public int BitmapBytes { get; }

    /// <summary>Width of a fixed-size value, or 0 for text and bytes.</summary>
    internal static int FixedWidth(SegmentColumnKind kind) => kind switch
    {
        SegmentColumnKind.Boolean => 1,
        SegmentColumnKind.Int16 => 2,
        SegmentColumnKind.Int32 or SegmentColumnKind.Float32 => 4,
        SegmentColumnKind.Int64 or SegmentColumnKind.UInt64 or SegmentColumnKind.Float64 or SegmentColumnKind.TimestampMicros => 8,
        _ => 0,
    };

    /// <summary>
    /// Finds where each column's value starts (-1 for null); the value of a text or bytes column starts at its
    /// length prefix. Throws when the row is shorter than its bitmap says.
    /// </summary>
    public void Locate(ReadOnlySpan<byte> row, Span<int> starts)
    {
        if (row.Length < BitmapBytes || starts.Length < _kinds.Length)
        {
            throw new InvalidDataException("Row is shorter than its null bitmap.");
        }

        if (_fixedStarts is not null && row.Length == _fixedLength && !HasNulls(row))
        {
            _fixedStarts.CopyTo(starts);
            return;
        }

        var at = BitmapBytes;
        for (var c = 0; c < _kinds.Length; c++)
        {
            if ((row[c >> 3] & (1 << (c & 7))) != 0)
            {
                starts[c] = -1;
                continue;
            }

            starts[c] = at;
            StepOver(row, c, ref at);
        }

        CheckEnd(row, at);
    }

    /// <summary>
    /// Steps over the value of column <paramref name="column"/> (not null) that starts at <paramref name="at"/>,
    /// leaving <paramref name="at"/> past it, and returns the value as the row form stores it (a text or bytes
    /// value without its length prefix). Throws when the row ends inside it.
    /// </summary>
    private ReadOnlySpan<byte> StepOver(ReadOnlySpan<byte> row, int column, ref int at)
    {
        var width = _widths[column];
        var start = at;
        if (width == 0)
        {
            if (row.Length - at < 4)
            {
                throw new InvalidDataException($"Row ends inside column {column}.");
            }

            width = BinaryPrimitives.ReadInt32LittleEndian(row[at..]);
            start = at + 4;
            if (width < 0)
            {
                throw new InvalidDataException($"Row ends inside column {column}.");
            }
        }

        if (row.Length - start < width)
        {
            throw new InvalidDataException($"Row ends inside column {column}.");
        }

        at = start + width;
        return row.Slice(start, width);
    }

    private static void CheckEnd(ReadOnlySpan<byte> row, int at)
    {
        if (at != row.Length)
        {
            throw new InvalidDataException("Row has bytes after its last column.");
        }
    }

    /// <summary>Whether any bit of the row's null bitmap is set.</summary>
    private bool HasNulls(ReadOnlySpan<byte> row) => row[..BitmapBytes].IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>Whether the column is null in the row.</summary>
    public bool IsNull(ReadOnlySpan<byte> row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)_kinds.Length, nameof(column));
        return (row[column >> 3] & (1 << (column & 7))) != 0;
    }

    /// <summary>The value of a boolean column.</summary>
    public bool GetBoolean(ReadOnlySpan<byte> row, int column) => Value(row, column, SegmentColumnKind.Boolean)[0] != 0;

    /// <summary>The value of an integer or timestamp (microseconds) column, widened to 64 bits.</summary>
    public long GetInt64(ReadOnlySpan<byte> row, int column) => ReadInt64(_kinds[column], Value(row, column, _kinds[column]), column);

    /// <summary>The value of an unsigned 64-bit column.</summary>
    public ulong GetUInt64(ReadOnlySpan<byte> row, int column) => BinaryPrimitives.ReadUInt64LittleEndian(Value(row, column, SegmentColumnKind.UInt64));

    /// <summary>The value of a float column, widened to double.</summary>
    public double GetFloat64(ReadOnlySpan<byte> row, int column)
    {
        var kind = _kinds[column] == SegmentColumnKind.Float32 ? SegmentColumnKind.Float32 : SegmentColumnKind.Float64;
        return ReadFloat64(kind, Value(row, column, kind));
    }

    /// <summary>A signed integer or timestamp value stored little-endian at its kind's width, widened to 64 bits.</summary>
    internal static long ReadInt64(SegmentColumnKind kind, ReadOnlySpan<byte> value, int column) => kind switch
    {
        SegmentColumnKind.Int16 => BinaryPrimitives.ReadInt16LittleEndian(value),
        SegmentColumnKind.Int32 => BinaryPrimitives.ReadInt32LittleEndian(value),
        SegmentColumnKind.Int64 or SegmentColumnKind.TimestampMicros => BinaryPrimitives.ReadInt64LittleEndian(value),
        _ => throw new InvalidOperationException($"Column {column} is {kind}, not a signed integer."),
    };

    /// <summary>A float value stored little-endian at its kind's width, widened to double.</summary>
    internal static double ReadFloat64(SegmentColumnKind kind, ReadOnlySpan<byte> value) => kind == SegmentColumnKind.Float32
        ? BinaryPrimitives.ReadSingleLittleEndian(value)
        : BinaryPrimitives.ReadDoubleLittleEndian(value);

    /// <summary>The UTF-8 bytes of a text column or the bytes of a binary column.</summary>
    public ReadOnlySpan<byte> GetBytes(ReadOnlySpan<byte> row, int column)
    {
        if (_kinds[column] is not (SegmentColumnKind.Utf8 or SegmentColumnKind.Binary))
        {
            throw new InvalidOperationException($"Column {column} is {_kinds[column]}, not text or bytes.");
        }

        var start = Start(row, column);
        return row.Slice(start + 4, (int)BinaryPrimitives.ReadUInt32LittleEndian(row[start..]));
    }

    /// <summary>The value of a text column.</summary>
    public string GetText(ReadOnlySpan<byte> row, int column) => Encoding.UTF8.GetString(GetBytes(row, column));

    /// <summary>Writes the row's shard key: the table prefix, then the primary-key columns in key encoding.</summary>
    public void WriteKey(ReadOnlySpan<byte> row, IBufferWriter<byte> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<int> starts = _kinds.Length <= MaxStackColumns ? stackalloc int[_kinds.Length] : new int[_kinds.Length];
        Locate(row, starts);
        key.Write(_layout.KeyPrefix);
        foreach (var c in _primaryKey)
        {
            WriteKeyElement(row, c, starts[c], key);
        }
    }

    /// <summary>
    /// Writes the shard key of row <paramref name="row"/> of a decoded batch whose first columns are this table's,
    /// in order: the same bytes <see cref="WriteKey"/> writes for that row encoded, without encoding it.
    /// </summary>
    internal void WriteKeyFromArrow(ReadOnlySpan<ArrowColumnView> columns, int row, IBufferWriter<byte> key)
    {
        key.Write(_layout.KeyPrefix);
        foreach (var c in _primaryKey)
        {
            var column = columns[c];
            if (!column.IsValid(row))
            {
                KeyEncoding.WriteNull(key);
                continue;
            }

            // Arrow packs booleans as bits; other fixed-width values are stored at their width.
            var (kind, width) = (_kinds[c], _widths[c]);
            var bits = kind == SegmentColumnKind.Boolean ? (column.Boolean(row) ? 1UL : 0UL) : width == 0 ? 0 : FixedBits(column.Fixed(row, width));
            WriteKeyValue(key, kind, bits, width == 0 ? column.Bytes(row) : default);
        }
    }

    /// <summary>Bytes row <paramref name="row"/> of a decoded batch (views of this table's columns) takes in row form.</summary>
    internal int RowSize(ReadOnlySpan<ArrowColumnView> columns, int row)
    {
        var size = BitmapBytes;
        for (var c = 0; c < _kinds.Length; c++)
        {
            if (columns[c].IsValid(row))
            {
                size += _widths[c] != 0 ? _widths[c] : sizeof(uint) + columns[c].Bytes(row).Length;
            }
        }

        return size;
    }

    /// <summary>
    /// Encodes row <paramref name="row"/> of a decoded batch (views of this table's columns) straight from its Arrow
    /// buffers into <paramref name="destination"/>, exactly <see cref="RowSize"/> bytes long.
    /// </summary>
    internal void EncodeFromArrow(ReadOnlySpan<ArrowColumnView> columns, int row, Span<byte> destination)
    {
        destination[..BitmapBytes].Clear();
        var at = BitmapBytes;
        for (var c = 0; c < _kinds.Length; c++)
        {
            ref readonly var column = ref columns[c];
            if (!column.IsValid(row))
            {
                destination[c >> 3] |= (byte)(1 << (c & 7));
                continue;
            }

            var width = _widths[c];
            var value = column.RowFormValue(row, _kinds[c], width);
            if (width == 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination[at..], (uint)value.Length);
                at += sizeof(uint);
            }

            value.CopyTo(destination[at..]);
            at += value.Length;
        }
    }

    /// <summary>
    /// Appends one version to a segment row group of this table's segment schema: every column of
    /// <paramref name="row"/> (in row form), then the system columns (table id, <paramref name="seq"/>, tombstone flag).
    /// </summary>
    internal void AppendVersion(ReadOnlySpan<byte> row, ulong seq, bool deleted, SegmentRowGroup rows)
    {
        // One walk over the row, checking it as Locate does: a flush appends every row of a memtable this way.
        // A malformed row throws with the columns before it appended; the row group is then abandoned whole.
        if (row.Length < BitmapBytes)
        {
            throw new InvalidDataException("Row is shorter than its null bitmap.");
        }

        var at = BitmapBytes;
        for (var c = 0; c < _kinds.Length; c++)
        {
            if ((row[c >> 3] & (1 << (c & 7))) != 0)
            {
                rows.AppendNull(c);
            }
            else
            {
                rows.AppendValue(c, StepOver(row, c, ref at));
            }
        }

        CheckEnd(row, at);
        AppendSystemColumns(seq, deleted, rows);
    }

    /// <summary>
    /// The value of a column that <see cref="Locate"/> found at <paramref name="start"/>, as the row form stores it:
    /// <paramref name="width"/> bytes of a fixed-width value, or the bytes after a text or bytes value's length.
    /// </summary>
    internal static ReadOnlySpan<byte> ValueAt(ReadOnlySpan<byte> row, int start, int width) =>
        width != 0 ? row.Slice(start, width) : row.Slice(start + sizeof(uint), (int)BinaryPrimitives.ReadUInt32LittleEndian(row[start..]));

    /// <summary>
    /// Appends row <paramref name="row"/> of a decoded batch (views of this table's columns) to a segment row group
    /// of this table's segment schema, with its system columns: what <see cref="AppendVersion(ReadOnlySpan{byte}, ulong, bool, SegmentRowGroup)"/>
    /// does for the row encoded, without encoding it.
    /// </summary>
    internal void AppendVersion(ReadOnlySpan<ArrowColumnView> columns, int row, ulong seq, bool deleted, SegmentRowGroup rows)
    {
        for (var c = 0; c < _kinds.Length; c++)
        {
            ref readonly var column = ref columns[c];
            if (column.IsValid(row))
            {
                rows.AppendValue(c, column.RowFormValue(row, _kinds[c], _widths[c]));
            }
            else
            {
                rows.AppendNull(c);
            }
        }

        AppendSystemColumns(seq, deleted, rows);
    }

    private void AppendSystemColumns(ulong seq, bool deleted, SegmentRowGroup rows)
    {
        var system = _kinds.Length;
        Span<byte> value = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(value, _layout.TableId);
        rows.AppendValue(system, value);
        BinaryPrimitives.WriteUInt64LittleEndian(value, seq);
        rows.AppendValue(system + 1, value);
        rows.AppendBoolean(system + 2, deleted);
    }

    /// <summary>
    /// A full row standing for a tombstone in a segment: key columns decoded from the shard key, nullable columns
    /// null, the rest zero or empty (segments need a value in every non-nullable column).
    /// </summary>
    internal void WriteTombstoneRow(ReadOnlySpan<byte> shardKey, IBufferWriter<byte> destination)
    {
        var builder = new RowBuilder(_layout);
        for (var c = 0; c < _kinds.Length; c++)
        {
            if (!_layout.Columns[c].IsNullable)
            {
                builder.SetDefault(c);
            }
        }

        var reader = new KeyReader(shardKey);
        reader.ReadUInt64();
        var scratch = new ArrayBufferWriter<byte>();
        foreach (var c in _primaryKey)
        {
            if (reader.Next == KeyElementKind.Null)
            {
                reader.ReadNull();
                builder.SetNull(c);
                continue;
            }

            switch (_kinds[c])
            {
                case SegmentColumnKind.Boolean: builder.SetBoolean(c, reader.ReadBoolean()); break;
                case SegmentColumnKind.Int16: builder.SetInt16(c, reader.ReadInt16()); break;
                case SegmentColumnKind.Int32: builder.SetInt32(c, reader.ReadInt32()); break;
                case SegmentColumnKind.Int64: builder.SetInt64(c, reader.ReadInt64()); break;
                case SegmentColumnKind.UInt64: builder.SetUInt64(c, reader.ReadUInt64()); break;
                case SegmentColumnKind.Float32: builder.SetFloat32(c, (float)reader.ReadFloat64()); break;
                case SegmentColumnKind.Float64: builder.SetFloat64(c, reader.ReadFloat64()); break;
                case SegmentColumnKind.TimestampMicros: builder.SetTimestamp(c, reader.ReadTimestamp()); break;
                default:
                    scratch.ResetWrittenCount();
                    reader.ReadEscaped(_kinds[c] == SegmentColumnKind.Utf8 ? KeyElementKind.Text : KeyElementKind.Bytes, scratch);
                    builder.SetBytes(c, scratch.WrittenSpan);
                    break;
            }
        }

        builder.Encode(destination);
    }

    /// <summary>Encodes row <paramref name="row"/> of a batch whose first columns are this table's, in order.</summary>
    internal void EncodeFromArrow(RecordBatch batch, int row, RowBuilder builder, IBufferWriter<byte> destination)
    {
        builder.Reset();
        for (var c = 0; c < _kinds.Length; c++)
        {
            var array = batch.Column(c);
            if (array.IsNull(row))
            {
                builder.SetNull(c);
                continue;
            }

            switch (array)
            {
                case BooleanArray a: builder.SetBoolean(c, a.GetValue(row)!.Value); break;
                case Int16Array a: builder.SetInt16(c, a.Values[row]); break;
                case Int32Array a: builder.SetInt32(c, a.Values[row]); break;
                case Int64Array a: builder.SetInt64(c, a.Values[row]); break;
                case UInt64Array a: builder.SetUInt64(c, a.Values[row]); break;
                case FloatArray a: builder.SetFloat32(c, a.Values[row]); break;
                case DoubleArray a: builder.SetFloat64(c, a.Values[row]); break;
                case TimestampArray a: builder.SetTimestamp(c, a.Values[row]); break;
                case BinaryArray a: builder.SetBytes(c, a.GetBytes(row)); break;
                default: throw new InvalidDataException($"Unexpected Arrow array {array.GetType().Name} for column {c}.");
            }
        }

        builder.Encode(destination);
    }

    internal SegmentColumnKind KindOf(int column) => _kinds[column];

    /// <summary>The primary key's columns, in key order.</summary>
    internal ReadOnlySpan<int> PrimaryKeyColumns => _primaryKey;

    /// <summary>Bytes of the column's value in a row; 0 for text and bytes (length-prefixed).</summary>
    internal int WidthOf(int column) => _widths[column];

    /// <summary>Whether the column may be null.</summary>
    internal bool IsNullable(int column) => _nullable[column];

    private void WriteKeyElement(ReadOnlySpan<byte> row, int column, int start, IBufferWriter<byte> key)
    {
        if (start < 0)
        {
            KeyEncoding.WriteNull(key);
            return;
        }

        var value = ValueAt(row, start, _widths[column]);
        WriteKeyValue(key, _kinds[column], _widths[column] == 0 ? 0 : FixedBits(value), value);
    }

    /// <summary>A fixed-width value as the row form stores it (little-endian, 1 to 8 bytes), zero-extended.</summary>
    private static ulong FixedBits(ReadOnlySpan<byte> value) => value.Length switch
    {
        1 => value[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(value),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(value),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(value),
    };

    /// <summary>
    /// Appends one present key value: a fixed-width one from the low bytes of <paramref name="bits"/>, a text or bytes
    /// one from <paramref name="bytes"/>. The one place a value's kind picks its key encoding, for encoded rows,
    /// decoded columns and row builders alike.
    /// </summary>
    internal static void WriteKeyValue(IBufferWriter<byte> key, SegmentColumnKind kind, ulong bits, ReadOnlySpan<byte> bytes)
    {
        switch (kind)
        {
            case SegmentColumnKind.Boolean: KeyEncoding.WriteBoolean(key, (byte)bits != 0); break;
            case SegmentColumnKind.Int16: KeyEncoding.WriteInt16(key, (short)bits); break;
            case SegmentColumnKind.Int32: KeyEncoding.WriteInt32(key, (int)bits); break;
            case SegmentColumnKind.Int64: KeyEncoding.WriteInt64(key, (long)bits); break;
            case SegmentColumnKind.UInt64: KeyEncoding.WriteUInt64(key, bits); break;
            case SegmentColumnKind.Float32: KeyEncoding.WriteFloat64(key, BitConverter.UInt32BitsToSingle((uint)bits)); break;
            case SegmentColumnKind.Float64: KeyEncoding.WriteFloat64(key, BitConverter.UInt64BitsToDouble(bits)); break;
            case SegmentColumnKind.TimestampMicros: KeyEncoding.WriteTimestamp(key, (long)bits); break;
            case SegmentColumnKind.Utf8: KeyEncoding.WriteUtf8Text(key, bytes); break;
            default: KeyEncoding.WriteBytes(key, bytes); break;
        }
    }

    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> row, int column, SegmentColumnKind expected)
    {
        if (_kinds[column] != expected)
        {
            throw new InvalidOperationException($"Column {column} is {_kinds[column]}, not {expected}.");
        }

        return row.Slice(Start(row, column), FixedWidth(expected));
    }

    private int Start(ReadOnlySpan<byte> row, int column)
    {
        if (IsNull(row, column))
        {
            throw new InvalidOperationException($"Column {column} is null.");
        }

        // Values before this one are skipped by width; a row has few columns, so this walk is short.
        var at = BitmapBytes;
        for (var c = 0; c < column; c++)
        {
            if (IsNull(row, c))
            {
                continue;
            }

            var width = FixedWidth(_kinds[c]);
            at += width != 0 ? width : 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(row[at..]);
        }

        return at;
    }
}
