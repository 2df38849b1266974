using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments.ParquetFormat;

namespace LumaDB.Storage.Segments;

/// <summary>A boolean column; Arrow and Parquet pack it in bits, Parquet.Net reads one bool per value.</summary>
internal sealed class BooleanColumnVector : ColumnVector
{
    private bool[] _values = [];

    /// <summary>The row-aligned values; slots of null rows hold garbage.</summary>
    public ReadOnlySpan<bool> Values => _values.AsSpan(0, Count);

    protected override long ValueBytes => Count;

    public BooleanColumnVector(SegmentColumn column)
        : base(column)
    {
    }

    protected override void EnsureValueCapacity(int rows) => Grow(ref _values, rows);

    protected override void AppendValues(IArrowArray array, int start, int count, int at)
    {
        var booleans = (BooleanArray)array;
        for (var i = 0; i < count; i++)
        {
            _values[at + i] = booleans.GetValue(start + i) ?? false;
        }
    }

    protected override void SetValue(int at, ReadOnlySpan<byte> value) => _values[at] = value[0] != 0;

    /// <summary>Plain booleans: one bit per non-null value, least significant bit first.</summary>
    protected override void EncodeValues(ColumnChunkBuffer chunk, bool ordered)
    {
        var bytes = ((Count - NullCount) + 7) / 8;
        var packed = chunk.Page.GetSpan(bytes)[..bytes];
        packed.Clear();
        var valid = Valid;
        var bit = 0;
        for (var i = 0; i < valid.Length; i++)
        {
            if (valid[i])
            {
                if (_values[i])
                {
                    packed[bit >> 3] |= (byte)(1 << (bit & 7));
                }

                bit++;
            }
        }

        chunk.Page.Advance(bytes);
    }

    protected override ValueTask ReadDenseAsync(RowGroupColumns group, int rows, Memory<int>? levels, CancellationToken cancellationToken) =>
        group.Parquet.ReadRawAsync(Column.ParquetField, _values.AsMemory(0, rows), levels, null, cancellationToken);

    protected override void ExpandDense(int dense)
    {
        var valid = Valid;
        var next = dense - 1;
        for (var row = Count - 1; row >= 0 && dense != Count; row--)
        {
            _values[row] = valid[row] && _values[next--];
        }
    }

    protected override void MarkValueChanges(Span<bool> changed)
    {
        for (var i = 1; i < Count; i++)
        {
            if (_values[i] != _values[i - 1])
            {
                changed[i] = true;
            }
        }
    }

    public override IArrowArray ToArrow(ReadOnlySpan<int> selection)
    {
        var bits = new byte[BitUtility.ByteCount(selection.Length)];
        for (var i = 0; i < selection.Length; i++)
        {
            if (_values[selection[i]])
            {
                BitUtility.SetBit(bits, i);
            }
        }

        var validity = BuildValidity(selection, out var nullCount);
        return new BooleanArray(new ArrowBuffer(bits), validity, selection.Length, nullCount, 0);
    }

    public override void Filter(ColumnPredicate predicate, Span<bool> mask)
    {
        var valid = Valid;
        var constant = predicate.Kind == PredicateConstantKind.Integer ? predicate.Integer : predicate.Real;
        for (var i = 0; i < valid.Length; i++)
        {
            var value = _values[i] ? 1.0 : 0.0;
            mask[i] = mask[i] && valid[i] && ColumnPredicate.Satisfies(predicate.Op, value.CompareTo(constant));
        }
    }

    protected override void AppendKeyValue(int row, IBufferWriter<byte> writer) => KeyEncoding.WriteBoolean(writer, _values[row]);

    public override ColumnStatistics ComputeStatistics()
    {
        var stats = new ColumnStatistics { NullCount = NullCount, MinInteger = 1, MaxInteger = 0 };
        var valid = Valid;
        for (var i = 0; i < valid.Length; i++)
        {
            if (valid[i])
            {
                var value = _values[i] ? 1 : 0;
                stats.MinInteger = Math.Min(stats.MinInteger, value);
                stats.MaxInteger = Math.Max(stats.MaxInteger, value);
                stats.HasRange = true;
            }
        }

        return stats;
    }

    protected override void ReleaseValues() => Release(ref _values);
}
