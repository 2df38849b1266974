using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments.ParquetFormat;

namespace LumaDB.Storage.Segments;

/// <summary>
/// One column of one row group held row-aligned in pooled arrays (a value slot and a presence flag per row).
/// The writer fills it from Arrow slices and writes it to Parquet; the reader fills it from Parquet, filters it
/// and gathers the selected rows into an Arrow array. Kind-specific subclasses keep the loops monomorphic.
/// </summary>
internal abstract class ColumnVector : IDisposable
{
    private bool[] _valid = [];
    private int[] _levels = [];

    // Rows the value arrays are known to hold (they only grow until Dispose), so a row append checks one number.
    private int _valueCapacity;

    protected ColumnVector(SegmentColumn column) => Column = column;

    public SegmentColumn Column { get; }

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    public int NullCount { get; private set; }

    /// <summary>
    /// True once the vector sits in the decoded-column cache: its values never change again, so derived data
    /// (a text dictionary) may be computed once and kept with it.
    /// </summary>
    public bool IsShared { get; set; }

    /// <summary>
    /// Set by the decoded-column cache that holds the vector: told of memory the vector adds after it was cached
    /// (derived data built on first use), so the cache's byte bound covers it.
    /// </summary>
    public Action<long>? Grown { get; set; }

    public static ColumnVector Create(SegmentColumn column) => column.Kind switch
    {
        SegmentColumnKind.Boolean => new BooleanColumnVector(column),
        SegmentColumnKind.Int16 => new NumericColumnVector<short>(column),
        SegmentColumnKind.Int32 => new NumericColumnVector<int>(column),
        SegmentColumnKind.Int64 => new NumericColumnVector<long>(column),
        SegmentColumnKind.UInt64 => new NumericColumnVector<ulong>(column),
        SegmentColumnKind.Float32 => new NumericColumnVector<float>(column),
        SegmentColumnKind.Float64 => new NumericColumnVector<double>(column),
        SegmentColumnKind.TimestampMicros => new TimestampColumnVector(column),
        SegmentColumnKind.Utf8 or SegmentColumnKind.Binary => new BytesColumnVector(column),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public bool IsValid(int row) => NullCount == 0 || _valid[row];

    /// <summary>Approximate bytes of the held rows (values and presence flags), for cache accounting.</summary>
    public long EstimatedBytes => Count + ValueBytes;

    /// <summary>Approximate bytes of the held values.</summary>
    protected abstract long ValueBytes { get; }

    public void Clear()
    {
        Count = 0;
        NullCount = 0;
        ClearValues();
    }

    /// <summary>Appends rows [start, start + count) of an Arrow array.</summary>
    public void Append(IArrowArray array, int start, int count)
    {
        Grow(ref _valid, Count + count);
        EnsureValueCapacity(Count + count);
        var valid = _valid.AsSpan(Count, count);
        if (array.NullCount == 0)
        {
            valid.Fill(true);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                var present = !array.IsNull(start + i);
                valid[i] = present;
                NullCount += present ? 0 : 1;
            }
        }

        AppendValues(array, start, count, Count);
        Count += count;
    }

    /// <summary>Appends one null row.</summary>
    public void AppendNull()
    {
        var at = ReserveRow();
        _valid[at] = false;
        NullCount++;
        SetNullValue(at);
        Count = at + 1;
    }

    /// <summary>
    /// Appends one present value as stored bytes: little-endian at the column's width for numbers and timestamps,
    /// one byte (0 or 1) for a boolean, the bytes themselves for text and binary.
    /// </summary>
    public void AppendValue(ReadOnlySpan<byte> value)
    {
        var at = ReserveRow();
        _valid[at] = true;
        SetValue(at, value);
        Count = at + 1;
    }

    private int ReserveRow()
    {
        var at = Count;
        if (at >= _valueCapacity || at >= _valid.Length)
        {
            Grow(ref _valid, at + 1);
            EnsureValueCapacity(_valid.Length);
            _valueCapacity = _valid.Length;
        }

        return at;
    }

    /// <summary>
    /// Encodes the held rows as one column chunk: definition levels (nullable columns), then the non-null values.
    /// <paramref name="ordered"/> says the values are sorted or nearly so (key, time and system columns), which
    /// integer columns delta-encode.
    /// </summary>
    public void Encode(ColumnChunkBuffer chunk, bool ordered)
    {
        if (Column.IsNullable)
        {
            ParquetIntegerEncoding.WriteDefinitionLevels(Valid, chunk.Page);
        }
        else if (NullCount > 0)
        {
            throw new InvalidDataException($"Column '{Column.Name}' is not nullable but holds {NullCount} nulls.");
        }

        chunk.Rows = Count;
        chunk.NullCount = NullCount;
        EncodeValues(chunk, ordered);
    }

    /// <summary>Replaces the held rows with one column chunk of a row group.</summary>
    public async ValueTask ReadAsync(RowGroupColumns group, int rows, CancellationToken cancellationToken)
    {
        Clear();
        Grow(ref _valid, rows);
        EnsureValueCapacity(rows);
        Memory<int>? levels = null;
        if (Column.IsNullable)
        {
            Grow(ref _levels, rows);
            levels = _levels.AsMemory(0, rows);
        }

        await ReadDenseAsync(group, rows, levels, cancellationToken);
        var dense = rows;
        if (levels is not null)
        {
            dense = 0;
            for (var i = 0; i < rows; i++)
            {
                var present = _levels[i] != 0;
                _valid[i] = present;
                dense += present ? 1 : 0;
            }

            NullCount = rows - dense;
        }

        if (NullCount == 0)
        {
            _valid.AsSpan(0, rows).Fill(true);
        }

        Count = rows;
        ExpandDense(dense);
    }

    /// <summary>Clears mask entries of rows that are null or fail <paramref name="predicate"/>.</summary>
    public abstract void Filter(ColumnPredicate predicate, Span<bool> mask);

    /// <summary>
    /// Narrows a selection to the rows that are not null and satisfy <paramref name="predicate"/>. With
    /// <paramref name="all"/> the selection is every row (its content is ignored and it must have room for
    /// <see cref="Count"/> entries); otherwise its first <paramref name="count"/> entries, ascending. Returns the new
    /// count. This default goes through <see cref="Filter"/>; numeric vectors run SIMD kernels.
    /// </summary>
    public virtual int Select(ColumnPredicate predicate, Span<int> selection, int count, bool all)
    {
        var rented = ArrayPool<bool>.Shared.Rent(Count);
        try
        {
            var mask = rented.AsSpan(0, Count);
            if (all)
            {
                mask.Fill(true);
            }
            else
            {
                mask.Clear();
                foreach (var row in selection[..count])
                {
                    mask[row] = true;
                }
            }

            Filter(predicate, mask);
            if (all)
            {
                count = SelectionKernels.All(selection, Count);
            }

            var n = 0;
            for (var k = 0; k < count; k++)
            {
                var row = selection[k];
                selection[n] = row;
                n += mask[row] ? 1 : 0;
            }

            return n;
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Narrows a selection (as for <see cref="Select"/>) by a top-k bound: drops rows strictly worse than
    /// <paramref name="value"/>. Dropping fewer is allowed, so this default keeps every row.
    /// </summary>
    public virtual int SelectBound(TopKBound bound, TopKBound.Bound value, Span<int> selection, int count, bool all) =>
        all ? SelectionKernels.All(selection, Count) : count;

    /// <summary>Appends the sort-key encoding of one row.</summary>
    public void AppendKey(int row, IBufferWriter<byte> writer)
    {
        if (IsValid(row))
        {
            AppendKeyValue(row, writer);
        }
        else
        {
            KeyEncoding.WriteNull(writer);
        }
    }

    /// <summary>Gathers the given rows into a new Arrow array.</summary>
    public abstract IArrowArray ToArrow(ReadOnlySpan<int> selection);

    /// <summary>
    /// Every row (<paramref name="all"/> is the full selection) as an Arrow array over this vector's own buffers,
    /// not a copy, valid until the vector decodes its next row group; null when the vector's layout is not
    /// Arrow's (the caller then copies with <see cref="ToArrow"/>).
    /// </summary>
    public virtual IArrowArray? ViewAsArrow(ReadOnlySpan<int> all) => null;

    /// <summary>Sets <paramref name="changed"/>[i] for every row i &gt; 0 whose value or presence differs from row i - 1.</summary>
    public void MarkChanges(Span<bool> changed)
    {
        var valid = Valid;
        for (var i = 1; i < Count; i++)
        {
            if (valid[i] != valid[i - 1])
            {
                changed[i] = true;
            }
        }

        MarkValueChanges(changed);
    }

    /// <summary>Like <see cref="MarkChanges"/> for the values alone (slots of null rows may hold anything).</summary>
    protected abstract void MarkValueChanges(Span<bool> changed);

    public abstract ColumnStatistics ComputeStatistics();

    /// <summary>Returns the decoding scratch buffers, keeping the values (before the vector is cached).</summary>
    public void ReleaseScratch()
    {
        Release(ref _levels);
        ReleaseValueScratch();
    }

    /// <summary>Returns value-decoding scratch buffers.</summary>
    protected virtual void ReleaseValueScratch()
    {
    }

    public void Dispose()
    {
        _valueCapacity = 0;
        Release(ref _valid);
        Release(ref _levels);
        ReleaseValues();
    }

    protected ReadOnlySpan<bool> Valid => _valid.AsSpan(0, Count);

    protected abstract void EnsureValueCapacity(int rows);

    protected abstract void AppendValues(IArrowArray array, int start, int count, int at);

    /// <summary>Stores a present value (see <see cref="AppendValue"/>) in row slot <paramref name="at"/>, the next one.</summary>
    protected abstract void SetValue(int at, ReadOnlySpan<byte> value);

    /// <summary>Fills row slot <paramref name="at"/>, the next one, for a null; fixed-width slots may keep garbage.</summary>
    protected virtual void SetNullValue(int at)
    {
    }

    /// <summary>Appends the non-null values, in row order, to the chunk's page and sets its value encoding.</summary>
    protected abstract void EncodeValues(ColumnChunkBuffer chunk, bool ordered);

    /// <summary>Reads the chunk's non-null values, densely packed, from slot 0 on.</summary>
    protected abstract ValueTask ReadDenseAsync(RowGroupColumns group, int rows, Memory<int>? levels, CancellationToken cancellationToken);

    /// <summary>Spreads <paramref name="dense"/> packed values out to their rows (presence is already known).</summary>
    protected abstract void ExpandDense(int dense);

    protected abstract void AppendKeyValue(int row, IBufferWriter<byte> writer);

    protected virtual void ClearValues()
    {
    }

    protected abstract void ReleaseValues();

    /// <summary>An Arrow validity bitmap for the selected rows, or an empty buffer when none is null.</summary>
    protected ArrowBuffer BuildValidity(ReadOnlySpan<int> selection, out int nullCount)
    {
        nullCount = 0;
        if (NullCount == 0)
        {
            return ArrowBuffer.Empty;
        }

        var bits = new byte[BitUtility.ByteCount(selection.Length)];
        for (var i = 0; i < selection.Length; i++)
        {
            if (_valid[selection[i]])
            {
                BitUtility.SetBit(bits, i);
            }
            else
            {
                nullCount++;
            }
        }

        return nullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits);
    }

    /// <summary>Makes a pooled array hold at least <paramref name="needed"/> items, keeping its content.</summary>
    internal static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length >= needed)
        {
            return;
        }

        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(needed, array.Length * 2));
        array.AsSpan().CopyTo(bigger);
        Release(ref array);
        array = bigger;
    }

    protected static void Release<T>(ref T[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        array = [];
    }
}
