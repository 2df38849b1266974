using System.Buffers.Binary;
using Apache.Arrow;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Reads single rows of a cached row group straight from its Arrow buffers: the version seq, the deleted flag
/// and the row in <see cref="RowCodec"/> form, encoded into an array of its exact size.
/// </summary>
/// <remarks>
/// A point lookup returns one row of a group it found; encoding it through a <see cref="RowBuilder"/> would
/// type-test every column array and copy each value twice (into the builder, then out of it). The buffers are
/// taken once per group here (once per cached group, and per lookup for an uncached one) as
/// <see cref="ArrowColumnView"/>s, so a row is one pass that sizes it and one that copies its values
/// (<see cref="RowCodec.RowSize"/>, then the codec's encode from those views).
/// </remarks>
internal sealed class CachedRowReader
{
    private readonly ArrowColumnView[] _columns;
    private readonly RowCodec _codec;
    private readonly ReadOnlyMemory<byte> _seqs;
    private readonly int _seqOffset;
    private readonly ArrowColumnView _deleted;

    private CachedRowReader(TableLayout layout, ArrowColumnView[] columns, ReadOnlyMemory<byte> seqs, int seqOffset, ArrowColumnView deleted)
    {
        Layout = layout;
        _columns = columns;
        _codec = layout.Codec;
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
        var row = new byte[_codec.RowSize(_columns, index)];
        _codec.EncodeFromArrow(_columns, index, row);
        return row;
    }
}
