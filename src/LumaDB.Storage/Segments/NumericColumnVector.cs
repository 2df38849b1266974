using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments.ParquetFormat;

namespace LumaDB.Storage.Segments;

/// <summary>A fixed-width numeric column (int16/32/64, float32/64; timestamps derive from it).</summary>
internal class NumericColumnVector<T> : ColumnVector
    where T : unmanaged, INumber<T>
{
    private T[] _values = [];
    private T[]? _exact;

    public NumericColumnVector(SegmentColumn column)
        : base(column)
    {
    }

    /// <summary>The row-aligned values; slots of null rows hold garbage.</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, Count);

    protected Span<T> ValueSlots => _values;

    protected override long ValueBytes => (long)Count * Unsafe.SizeOf<T>();

    protected override void EnsureValueCapacity(int rows) => Grow(ref _values, rows);

    protected override void AppendValues(IArrowArray array, int start, int count, int at) =>
        ((PrimitiveArray<T>)array).Values.Slice(start, count).CopyTo(_values.AsSpan(at));

    protected override void SetValue(int at, ReadOnlySpan<byte> value) => _values[at] = MemoryMarshal.Read<T>(value);

    protected override void EncodeValues(ColumnChunkBuffer chunk, bool ordered)
    {
        ReadOnlySpan<T> dense = _values.AsSpan(0, Count);
        T[]? rented = null;
        if (NullCount > 0)
        {
            rented = ArrayPool<T>.Shared.Rent(Count);
            var n = 0;
            var valid = Valid;
            for (var i = 0; i < valid.Length; i++)
            {
                rented[n] = _values[i];
                n += valid[i] ? 1 : 0;
            }

            dense = rented.AsSpan(0, n);
        }

        try
        {
            // Parquet.Net reads the DateTime timestamps of older layouts only plain.
            if (!ordered && typeof(T) == typeof(long) && !Column.TimestampAsDateTime)
            {
                ordered = DeltasAreNarrow(MemoryMarshal.Cast<T, long>(dense));
            }

            EncodeDense(dense, chunk, ordered);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Sorted integer columns are delta-encoded (a few bits per row), and so is an int64 chunk whose neighbouring
    /// differences turn out far narrower than its values (a log record's nanosecond time in a table keyed by
    /// time); others are plain, which Zstandard compresses as well as any Parquet encoding for gauge-like
    /// doubles. INT16 is stored as INT32, as Parquet has no narrower integer.
    /// </summary>
    private static void EncodeDense(ReadOnlySpan<T> dense, ColumnChunkBuffer chunk, bool ordered)
    {
        var page = chunk.Page;
        if (typeof(T) == typeof(short))
        {
            var shorts = MemoryMarshal.Cast<T, short>(dense);
            var ints = MemoryMarshal.Cast<byte, int>(page.GetSpan(shorts.Length * 4)[..(shorts.Length * 4)]);
            for (var i = 0; i < shorts.Length; i++)
            {
                ints[i] = shorts[i];
            }

            page.Advance(shorts.Length * 4);
            return;
        }

        if (ordered && typeof(T) == typeof(int))
        {
            chunk.ValueEncoding = ParquetEncoding.DeltaBinaryPacked;
            ParquetIntegerEncoding.WriteDelta(MemoryMarshal.Cast<T, int>(dense), page);
            return;
        }

        if (ordered && (typeof(T) == typeof(long) || typeof(T) == typeof(ulong)))
        {
            chunk.ValueEncoding = ParquetEncoding.DeltaBinaryPacked;
            ParquetIntegerEncoding.WriteDelta(MemoryMarshal.Cast<T, long>(dense), page);
            return;
        }

        page.Write(MemoryMarshal.AsBytes(dense));
    }

    /// <summary>Whether the spread of neighbouring differences takes at least 8 bits fewer than the spread of the values.</summary>
    private static bool DeltasAreNarrow(ReadOnlySpan<long> values)
    {
        if (values.Length < 2)
        {
            return false;
        }

        long min = values[0], max = values[0], minDelta = long.MaxValue, maxDelta = long.MinValue;
        for (var i = 1; i < values.Length; i++)
        {
            var value = values[i];
            min = Math.Min(min, value);
            max = Math.Max(max, value);

            // Differences wrap around as DELTA_BINARY_PACKED's do.
            var delta = unchecked(value - values[i - 1]);
            minDelta = Math.Min(minDelta, delta);
            maxDelta = Math.Max(maxDelta, delta);
        }

        var valueBits = 64 - BitOperations.LeadingZeroCount(unchecked((ulong)(max - min)));
        var deltaBits = 64 - BitOperations.LeadingZeroCount(unchecked((ulong)(maxDelta - minDelta)));
        return deltaBits + 8 <= valueBits;
    }

    protected override async ValueTask ReadDenseAsync(RowGroupColumns group, int rows, Memory<int>? levels, CancellationToken cancellationToken)
    {
        var field = Column.ParquetField;
        var (codec, stored) = await group.ReadChunkAsync(field, cancellationToken);
        if (codec >= 0 && FixedWidthChunkDecoder.TryDecode(stored.Span, codec, rows, levels is { } l ? l.Span : default, _values.AsSpan(0, rows), ParquetPhysicalType.Of(Column.Kind)) >= 0)
        {
            return;
        }

        await group.Parquet.ReadRawAsync(field, _values.AsMemory(0, rows), levels, null, cancellationToken);
    }

    protected override void MarkValueChanges(Span<bool> changed)
    {
        var values = Values;
        for (var i = 1; i < values.Length; i++)
        {
            // Equal as keys: 0 and -0 (== already), and any two NaNs (the key encoding has one NaN).
            if (values[i] != values[i - 1] && !(T.IsNaN(values[i]) && T.IsNaN(values[i - 1])))
            {
                changed[i] = true;
            }
        }
    }

    protected override void ExpandDense(int dense)
    {
        if (dense == Count)
        {
            return;
        }

        // Walking backwards lets the expansion happen in place: a value's row is never before its dense slot.
        var valid = Valid;
        var next = dense - 1;
        for (var row = Count - 1; row >= 0; row--)
        {
            _values[row] = valid[row] ? _values[next--] : default;
        }
    }

    public override IArrowArray ToArrow(ReadOnlySpan<int> selection)
    {
        if (IsShared && selection.Length == Count && Count > 0)
        {
            // Every row of a cached (read-only) vector: the Arrow array wraps its values instead of copying them
            // (selections are ascending and distinct, so a full-length one is every row). The cached array is made
            // exactly row-sized once, so a reader may take it as it is.
            var exact = ExactValues();
            var present = BuildValidity(selection, out var nulls);
            var wrapped = new ArrayData(Column.ArrowType, Count, nulls, 0, [present, new ArrowBuffer(new TypedArrayMemory<T>(exact).Memory)]);
            return ArrowArrayFactory.BuildArray(wrapped);
        }

        var bytes = new byte[selection.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        var target = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        for (var i = 0; i < selection.Length; i++)
        {
            target[i] = _values[selection[i]];
        }

        var validity = BuildValidity(selection, out var nullCount);
        var data = new ArrayData(Column.ArrowType, selection.Length, nullCount, 0, [validity, new ArrowBuffer(bytes)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    public override IArrowArray ViewAsArrow(ReadOnlySpan<int> all)
    {
        var validity = BuildValidity(all, out var nullCount);
        var values = new TypedArrayMemory<T>(_values).Memory[..(all.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];
        return ArrowArrayFactory.BuildArray(new ArrayData(Column.ArrowType, all.Length, nullCount, 0, [validity, new ArrowBuffer(values)]));
    }

    /// <summary>
    /// Signed integer comparisons as one range test per row (lo &lt;= v &lt;= hi as a single unsigned compare),
    /// with no branch on the operator inside the loop.
    /// </summary>
    private static void FilterIntegers(ReadOnlySpan<T> values, ReadOnlySpan<bool> valid, bool hasNulls, CompareOp op, long constant, Span<bool> mask)
    {
        if (!IntegerRange(op, constant, out var lo, out var hi))
        {
            mask[..values.Length].Clear();
            return;
        }

        var width = unchecked((ulong)(hi - lo));
        if (hasNulls)
        {
            for (var i = 0; i < values.Length; i++)
            {
                mask[i] &= valid[i] & (unchecked((ulong)(long.CreateTruncating(values[i]) - lo)) <= width);
            }
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                mask[i] &= unchecked((ulong)(long.CreateTruncating(values[i]) - lo)) <= width;
            }
        }
    }

    /// <summary>The signed range [lo, hi] a comparison with an integer constant keeps; false when it keeps nothing.</summary>
    private static bool IntegerRange(CompareOp op, long constant, out long lo, out long hi)
    {
        lo = long.MinValue;
        hi = long.MaxValue;
        switch (op)
        {
            case CompareOp.Equal: lo = hi = constant; return true;
            case CompareOp.Less when constant == long.MinValue: return false;
            case CompareOp.Less: hi = constant - 1; return true;
            case CompareOp.LessOrEqual: hi = constant; return true;
            case CompareOp.Greater when constant == long.MaxValue: return false;
            case CompareOp.Greater: lo = constant + 1; return true;
            case CompareOp.GreaterOrEqual: lo = constant; return true;
            default: return false;
        }
    }

    /// <summary>
    /// <see cref="SelectionKernels.Range{T, TUnsigned}"/> over the values as their own type, with the range cut to
    /// what the type holds; -1 when <typeparamref name="T"/> has no kernel.
    /// </summary>
    private int SelectRange(long lo, long hi, Span<int> selection, int count, bool all)
    {
        if (typeof(T) == typeof(long))
        {
            return SelectionKernels.Range<long, ulong>(MemoryMarshal.Cast<T, long>(Values), lo, hi, selection, count, all);
        }

        if (typeof(T) == typeof(int))
        {
            return lo > int.MaxValue || hi < int.MinValue ? 0
                : SelectionKernels.Range<int, uint>(MemoryMarshal.Cast<T, int>(Values), (int)Math.Max(lo, int.MinValue), (int)Math.Min(hi, int.MaxValue), selection, count, all);
        }

        if (typeof(T) == typeof(short))
        {
            return lo > short.MaxValue || hi < short.MinValue ? 0
                : SelectionKernels.Range<short, ushort>(MemoryMarshal.Cast<T, short>(Values), (short)Math.Max(lo, short.MinValue), (short)Math.Min(hi, short.MaxValue), selection, count, all);
        }

        return -1;
    }

    public override int Select(ColumnPredicate predicate, Span<int> selection, int count, bool all)
    {
        int n;
        if (Column.IsInteger && predicate.Kind == PredicateConstantKind.Integer && typeof(T) != typeof(ulong))
        {
            if (!IntegerRange(predicate.Op, predicate.Integer, out var lo, out var hi))
            {
                return 0;
            }

            n = SelectRange(lo, hi, selection, count, all);
            if (n < 0)
            {
                return base.Select(predicate, selection, count, all);
            }
        }
        else if (typeof(T) == typeof(double) && predicate.Kind != PredicateConstantKind.Bytes)
        {
            if (double.IsNaN(predicate.Real))
            {
                // NaN constants are rare: the row-by-row filter orders them as PostgreSQL does.
                return base.Select(predicate, selection, count, all);
            }

            n = SelectionKernels.Compare(MemoryMarshal.Cast<T, double>(Values), predicate.Op, predicate.Real, selection, count, all);
        }
        else
        {
            return base.Select(predicate, selection, count, all);
        }

        // The kernels read null slots' garbage too.
        return NullCount > 0 ? SelectionKernels.KeepValid(Valid, selection, n) : n;
    }

    public override int SelectBound(TopKBound bound, TopKBound.Bound value, Span<int> selection, int count, bool all)
    {
        if (NullCount > 0)
        {
            return SelectBoundWithNulls(bound, value, selection, count, all);
        }

        if (Column.IsInteger)
        {
            long lo = long.MinValue, hi = long.MaxValue;
            if (value.IsReal)
            {
                // An integer column against a fractional bound: the nearest integer on the keeping side.
                if (bound.Descending)
                {
                    lo = Math.Ceiling(value.Real) >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(value.Real);
                }
                else
                {
                    hi = Math.Floor(value.Real) <= long.MinValue ? long.MinValue : (long)Math.Floor(value.Real);
                }
            }
            else if (bound.Descending)
            {
                lo = value.Integer;
            }
            else
            {
                hi = value.Integer;
            }

            var n = SelectRange(lo, hi, selection, count, all);
            return n >= 0 ? n : base.SelectBound(bound, value, selection, count, all);
        }

        var real = value.Real;
        if (typeof(T) == typeof(double))
        {
            // NaN ranks above every number (PostgreSQL): first descending (kept), last ascending (dropped).
            var values = MemoryMarshal.Cast<T, double>(Values);
            return bound.Descending
                ? SelectionKernels.Compare<double, SelectionKernels.NotLess>(values, real, selection, count, all)
                : SelectionKernels.Compare<double, SelectionKernels.LessOrEqual>(values, real, selection, count, all);
        }

        if (typeof(T) == typeof(float) && (double)(float)real == real)
        {
            var values = MemoryMarshal.Cast<T, float>(Values);
            return bound.Descending
                ? SelectionKernels.Compare<float, SelectionKernels.NotLess>(values, (float)real, selection, count, all)
                : SelectionKernels.Compare<float, SelectionKernels.LessOrEqual>(values, (float)real, selection, count, all);
        }

        return base.SelectBound(bound, value, selection, count, all);
    }

    /// <summary><see cref="SelectBound"/> row by row for a vector with nulls: a null row stays when NULLs rank first.</summary>
    private int SelectBoundWithNulls(TopKBound bound, TopKBound.Bound value, Span<int> selection, int count, bool all)
    {
        if (all)
        {
            count = SelectionKernels.All(selection, Count);
        }

        var values = Values;
        var valid = Valid;
        var n = 0;
        for (var k = 0; k < count; k++)
        {
            var row = selection[k];
            selection[n] = row;
            bool keep;
            if (!valid[row])
            {
                keep = bound.NullsFirst;
            }
            else if (Column.IsInteger && !value.IsReal)
            {
                var v = long.CreateTruncating(values[row]);
                keep = bound.Descending ? v >= value.Integer : v <= value.Integer;
            }
            else
            {
                var v = double.CreateTruncating(values[row]);
                var b = value.Real;
                keep = bound.Descending ? !(v < b) : v <= b;
            }

            n += keep ? 1 : 0;
        }

        return n;
    }

    private T[] ExactValues()
    {
        var values = Volatile.Read(ref _exact);
        if (values is null)
        {
            values = _values.Length == Count ? _values : _values.AsSpan(0, Count).ToArray();
            Interlocked.CompareExchange(ref _exact, values, null);
            values = _exact!;
        }

        return values;
    }

    public override void Filter(ColumnPredicate predicate, Span<bool> mask)
    {
        var values = Values;
        var valid = Valid;
        var op = predicate.Op;
        if (typeof(T) == typeof(ulong) && predicate.Kind == PredicateConstantKind.Integer)
        {
            for (var i = 0; i < values.Length; i++)
            {
                mask[i] = mask[i] && valid[i] && ColumnPredicate.Satisfies(op, SegmentColumn.CompareUnsigned(ulong.CreateTruncating(values[i]), predicate.Integer));
            }

            return;
        }

        if (Column.IsInteger && predicate.Kind == PredicateConstantKind.Integer && typeof(T) != typeof(ulong))
        {
            FilterIntegers(values, valid, NullCount > 0, op, predicate.Integer, mask);
            return;
        }

        if (Column.IsInteger && predicate.Kind == PredicateConstantKind.Integer)
        {
            var constant = predicate.Integer;
            for (var i = 0; i < values.Length; i++)
            {
                mask[i] = mask[i] && valid[i] && ColumnPredicate.Satisfies(op, long.CreateTruncating(values[i]).CompareTo(constant));
            }

            return;
        }

        var real = predicate.Real;
        for (var i = 0; i < values.Length; i++)
        {
            mask[i] = mask[i] && valid[i] && ColumnPredicate.Satisfies(op, ColumnPredicate.CompareReal(double.CreateTruncating(values[i]), real));
        }
    }

    protected override void AppendKeyValue(int row, IBufferWriter<byte> writer)
    {
        var value = _values[row];
        switch (Column.Kind)
        {
            case SegmentColumnKind.Int16:
                KeyEncoding.WriteInt16(writer, short.CreateTruncating(value));
                break;
            case SegmentColumnKind.Int32:
                KeyEncoding.WriteInt32(writer, int.CreateTruncating(value));
                break;
            case SegmentColumnKind.Float32 or SegmentColumnKind.Float64:
                // Widening a float keeps its order, so both float kinds share the double encoding.
                KeyEncoding.WriteFloat64(writer, double.CreateTruncating(value));
                break;
            case SegmentColumnKind.UInt64:
                KeyEncoding.WriteUInt64(writer, ulong.CreateTruncating(value));
                break;
            case SegmentColumnKind.TimestampMicros:
                KeyEncoding.WriteTimestamp(writer, long.CreateTruncating(value));
                break;
            default:
                KeyEncoding.WriteInt64(writer, long.CreateTruncating(value));
                break;
        }
    }

    public override ColumnStatistics ComputeStatistics()
    {
        var stats = new ColumnStatistics { NullCount = NullCount };
        var values = Values;
        var valid = Valid;
        if (Column.IsInteger)
        {
            long min = long.MaxValue, max = long.MinValue;
            for (var i = 0; i < values.Length; i++)
            {
                if (valid[i])
                {
                    var value = OrderKey(values[i]);
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                    stats.HasRange = true;
                }
            }

            (stats.MinInteger, stats.MaxInteger) = (min, max);
            return stats;
        }

        double minReal = double.PositiveInfinity, maxReal = double.NegativeInfinity;
        for (var i = 0; i < values.Length; i++)
        {
            var value = double.CreateTruncating(values[i]);
            if (valid[i] && double.IsNaN(value))
            {
                stats.MayHoldNaN = true;
            }
            else if (valid[i])
            {
                minReal = Math.Min(minReal, value);
                maxReal = Math.Max(maxReal, value);
                stats.HasRange = true;
            }
        }

        (stats.MinReal, stats.MaxReal) = (minReal, maxReal);
        return stats;
    }

    protected override void ReleaseValues() => Release(ref _values);

    /// <summary>The value as an order-preserving long (the type test folds away per instantiation).</summary>
    private static long OrderKey(T value) =>
        typeof(T) == typeof(ulong) ? SegmentColumn.UnsignedOrderKey(ulong.CreateTruncating(value)) : long.CreateTruncating(value);
}
