using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Reads single rows of a cached row group straight from its Arrow buffers: the version seq, the deleted flag
/// and the row in <see cref="RowCodec"/> form, encoded into an array of its exact size.
/// </summary>
/// <remarks>
/// A point lookup returns one row of a group it found; going through <see cref="RowCodec.EncodeFromArrow"/> would
/// type-test every column array and copy each value twice (into a row builder, then out of it). The buffers,
/// offsets and widths are taken once per group here (once per cached group, and per lookup for an uncached one),
/// so a row is one pass that sizes it and one that copies its values.
/// </remarks>
internal sealed class CachedRowReader
{
    private readonly Column[] _columns;
    private readonly int _bitmapBytes;
    private readonly ReadOnlyMemory<byte> _seqs;
    private readonly int _seqOffset;
    private readonly Column _deleted;

    private CachedRowReader(TableLayout layout, Column[] columns, ReadOnlyMemory<byte> seqs, int seqOffset, Column deleted)
    {
        Layout = layout;
        _columns = columns;
        _bitmapBytes = layout.Codec.BitmapBytes;
        _seqs = seqs;
        _seqOffset = seqOffset;
        _deleted = deleted;
    }

    /// <summary>The layout the rows are encoded for.</summary>
    public TableLayout Layout { get; }

    /// <summary>
    /// A reader over <paramref name="batch"/> (the table's columns, then the seq and deleted system columns), or
    /// null when an array is not of the Arrow type the layout gives its column.
    /// </summary>
    public static CachedRowReader? TryCreate(RecordBatch batch, TableLayout table)
    {
        var count = table.Columns.Count;
        if (batch.ColumnCount < count + 3
            || batch.Column(count + 1) is not UInt64Array seqs
            || batch.Column(count + 2) is not BooleanArray deleted)
        {
            return null;
        }

        var columns = new Column[count];
        for (var c = 0; c < count; c++)
        {
            var kind = table.Columns[c].Kind;
            var array = batch.Column(c);
            if (array.Data.DataType.TypeId != TableLayout.ArrowTypeOf(kind).TypeId)
            {
                return null;
            }

            columns[c] = Column.Of(array, kind);
        }

        return new CachedRowReader(table, columns, seqs.ValueBuffer.Memory, seqs.Offset, Column.Of(deleted, SegmentColumnKind.Boolean));
    }

    /// <summary>The commit seq of row <paramref name="index"/>'s version.</summary>
    public ulong SeqAt(int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(_seqs.Span[((_seqOffset + index) * sizeof(ulong))..]);

    /// <summary>Whether row <paramref name="index"/> is a deletion marker.</summary>
    public bool IsDeletedAt(int index) => !_deleted.IsNull(index) && _deleted.Bit(index);

    /// <summary>Row <paramref name="index"/> in <see cref="RowCodec"/> form.</summary>
    public byte[] Encode(int index)
    {
        var columns = _columns;
        var size = _bitmapBytes;
        for (var c = 0; c < columns.Length; c++)
        {
            ref readonly var column = ref columns[c];
            if (!column.IsNull(index))
            {
                size += column.Width != 0 ? column.Width : sizeof(uint) + column.VarLength(index);
            }
        }

        var row = new byte[size];
        var at = _bitmapBytes;
        for (var c = 0; c < columns.Length; c++)
        {
            ref readonly var column = ref columns[c];
            if (column.IsNull(index))
            {
                row[c >> 3] |= (byte)(1 << (c & 7));
                continue;
            }

            at += column.Write(index, row.AsSpan(at));
        }

        return row;
    }

    /// <summary>One Arrow array's buffers as a row needs them.</summary>
    private readonly struct Column
    {
        private readonly ReadOnlyMemory<byte> _validity;
        private readonly ReadOnlyMemory<byte> _values;
        private readonly ReadOnlyMemory<byte> _offsets;
        private readonly int _offset;
        private readonly bool _bits;

        private Column(ReadOnlyMemory<byte> validity, ReadOnlyMemory<byte> values, ReadOnlyMemory<byte> offsets, int offset, int width, bool bits)
        {
            _validity = validity;
            _values = values;
            _offsets = offsets;
            _offset = offset;
            Width = width;
            _bits = bits;
        }

        /// <summary>Bytes of a value in a row; 0 for text and bytes (length-prefixed).</summary>
        public int Width { get; }

        public static Column Of(IArrowArray array, SegmentColumnKind kind)
        {
            var data = array.Data;
            var validity = array.NullCount > 0 ? data.Buffers[0].Memory : ReadOnlyMemory<byte>.Empty;
            return kind switch
            {
                SegmentColumnKind.Utf8 or SegmentColumnKind.Binary =>
                    new Column(validity, data.Buffers[2].Memory, data.Buffers[1].Memory, data.Offset, 0, bits: false),
                SegmentColumnKind.Boolean => new Column(validity, data.Buffers[1].Memory, default, data.Offset, 1, bits: true),
                _ => new Column(validity, data.Buffers[1].Memory, default, data.Offset, RowCodec.FixedWidth(kind), bits: false),
            };
        }

        public bool IsNull(int index)
        {
            if (_validity.IsEmpty)
            {
                return false;
            }

            var bit = _offset + index;
            return (_validity.Span[bit >> 3] & (1 << (bit & 7))) == 0;
        }

        public bool Bit(int index)
        {
            var bit = _offset + index;
            return (_values.Span[bit >> 3] & (1 << (bit & 7))) != 0;
        }

        public int VarLength(int index)
        {
            var offsets = MemoryMarshal.Cast<byte, int>(_offsets.Span);
            return offsets[_offset + index + 1] - offsets[_offset + index];
        }

        /// <summary>Writes the value in row form and returns its length.</summary>
        public int Write(int index, Span<byte> destination)
        {
            if (_bits)
            {
                destination[0] = Bit(index) ? (byte)1 : (byte)0;
                return 1;
            }

            if (Width != 0)
            {
                _values.Span.Slice((_offset + index) * Width, Width).CopyTo(destination);
                return Width;
            }

            var offsets = MemoryMarshal.Cast<byte, int>(_offsets.Span);
            var start = offsets[_offset + index];
            var length = offsets[_offset + index + 1] - start;
            BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)length);
            _values.Span.Slice(start, length).CopyTo(destination[sizeof(uint)..]);
            return sizeof(uint) + length;
        }
    }
}
