using System.Buffers.Binary;
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
    private readonly ArrowColumnView[] _columns;
    private readonly RowCodec _codec;
    private readonly int _bitmapBytes;
    private readonly ReadOnlyMemory<byte> _seqs;
    private readonly int _seqOffset;
    private readonly ArrowColumnView _deleted;

    private CachedRowReader(TableLayout layout, ArrowColumnView[] columns, ReadOnlyMemory<byte> seqs, int seqOffset, ArrowColumnView deleted)
    {
        Layout = layout;
        _columns = columns;
        _codec = layout.Codec;
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

        var columns = new ArrowColumnView[count];
        for (var c = 0; c < count; c++)
        {
            var array = batch.Column(c);
            if (array.Data.DataType.TypeId != TableLayout.ArrowTypeOf(table.Columns[c].Kind).TypeId)
            {
                return null;
            }

            columns[c] = ArrowColumnView.Of(array);
        }

        return new CachedRowReader(table, columns, seqs.ValueBuffer.Memory, seqs.Offset, ArrowColumnView.Of(deleted));
    }

    /// <summary>The commit seq of row <paramref name="index"/>'s version.</summary>
    public ulong SeqAt(int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(_seqs.Span[((_seqOffset + index) * sizeof(ulong))..]);

    /// <summary>Whether row <paramref name="index"/> is a deletion marker.</summary>
    public bool IsDeletedAt(int index) => _deleted.IsValid(index) && _deleted.Boolean(index);

    /// <summary>Row <paramref name="index"/> in <see cref="RowCodec"/> form.</summary>
    public byte[] Encode(int index)
    {
        var columns = _columns;
        var size = _bitmapBytes;
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c].IsValid(index))
            {
                var fixedWidth = _codec.WidthOf(c);
                size += fixedWidth != 0 ? fixedWidth : sizeof(uint) + columns[c].Bytes(index).Length;
            }
        }

        var row = new byte[size];
        var at = _bitmapBytes;
        for (var c = 0; c < columns.Length; c++)
        {
            ref readonly var column = ref columns[c];
            if (!column.IsValid(index))
            {
                row[c >> 3] |= (byte)(1 << (c & 7));
                continue;
            }

            var width = _codec.WidthOf(c);
            if (_codec.KindOf(c) == SegmentColumnKind.Boolean)
            {
                row[at] = column.Boolean(index) ? (byte)1 : (byte)0;
            }
            else if (width != 0)
            {
                column.Fixed(index, width).CopyTo(row.AsSpan(at));
            }
            else
            {
                var value = column.Bytes(index);
                BinaryPrimitives.WriteUInt32LittleEndian(row.AsSpan(at), (uint)value.Length);
                value.CopyTo(row.AsSpan(at + sizeof(uint)));
                width = sizeof(uint) + value.Length;
            }

            at += width;
        }

        return row;
    }
}
