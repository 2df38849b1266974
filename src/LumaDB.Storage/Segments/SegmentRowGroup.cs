using Apache.Arrow;

namespace LumaDB.Storage.Segments;

/// <summary>
/// The row group a <see cref="SegmentWriter"/> is filling, one column vector per schema column. A row source
/// appends a whole row at a time, one value to every column in schema order, straight into the buffers the
/// chunks are encoded from.
/// </summary>
internal sealed class SegmentRowGroup
{
    private static readonly byte[] True = [1];
    private static readonly byte[] False = [0];
    private readonly ColumnVector[] _vectors;

    internal SegmentRowGroup(SegmentSchema schema, ColumnVector[] vectors)
    {
        Schema = schema;
        _vectors = vectors;
    }

    /// <summary>The schema the rows follow.</summary>
    public SegmentSchema Schema { get; }

    /// <summary>Rows held (those of the first column; a complete row has a value in each).</summary>
    public int Count => _vectors[0].Count;

    public void AppendNull(int column) => _vectors[column].AppendNull();

    /// <summary>Appends a present value as stored bytes (see <see cref="ColumnVector.AppendValue"/>).</summary>
    public void AppendValue(int column, ReadOnlySpan<byte> value) => _vectors[column].AppendValue(value);

    public void AppendBoolean(int column, bool value) => _vectors[column].AppendValue(value ? True : False);

    /// <summary>Appends rows [start, start + count) of a batch that follows the schema, column by column.</summary>
    public void AppendSlice(RecordBatch batch, int start, int count)
    {
        for (var c = 0; c < _vectors.Length; c++)
        {
            _vectors[c].Append(batch.Column(c), start, count);
        }
    }

    /// <summary>Throws unless every column holds <see cref="Count"/> rows (a source appended a partial row).</summary>
    public void CheckComplete()
    {
        foreach (var vector in _vectors)
        {
            if (vector.Count != Count)
            {
                throw new InvalidOperationException($"Column '{vector.Column.Name}' holds {vector.Count} rows of a row group of {Count}.");
            }
        }
    }
}
