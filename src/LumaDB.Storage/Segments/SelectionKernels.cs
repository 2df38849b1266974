using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LumaDB.Storage.Segments;

/// <summary>
/// Filter kernels over decoded column values that produce a selection vector (ascending row indexes). A pass
/// over every row compares a whole SIMD register at a time and turns the comparison mask into indexes, so a
/// selective predicate costs little more than reading the column; a pass over an existing selection narrows it
/// in place without a branch per row. Null slots hold garbage: callers drop null rows afterwards.
/// </summary>
internal static class SelectionKernels
{
    /// <summary>
    /// Keeps the rows whose value lies in [<paramref name="lo"/>, <paramref name="hi"/>] (signed, lo &lt;= hi),
    /// tested as one unsigned compare of value - lo against hi - lo. With <paramref name="all"/> the input
    /// selection is every row and its content is ignored; otherwise the first <paramref name="count"/> entries are
    /// narrowed. Returns the new count.
    /// </summary>
    public static int Range<T, TUnsigned>(ReadOnlySpan<T> values, T lo, T hi, Span<int> selection, int count, bool all)
        where T : unmanaged, IBinaryInteger<T>
        where TUnsigned : unmanaged, IBinaryInteger<TUnsigned>
    {
        var width = TUnsigned.CreateTruncating(hi - lo);
        if (!all)
        {
            var n = 0;
            for (var k = 0; k < count; k++)
            {
                var row = selection[k];
                selection[n] = row;
                n += TUnsigned.CreateTruncating(values[row] - lo) <= width ? 1 : 0;
            }

            return n;
        }

        var found = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<T>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var low = Vector256.Create(lo);
            var limit = Vector256.Create(width);
            for (; i <= values.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var shifted = (Vector256.LoadUnsafe(ref start, (nuint)i) - low).As<T, TUnsigned>();
                var bits = Vector256.LessThanOrEqual(shifted, limit).ExtractMostSignificantBits();
                found = Append(bits, i, selection, found);
            }
        }

        for (; i < values.Length; i++)
        {
            selection[found] = i;
            found += TUnsigned.CreateTruncating(values[i] - lo) <= width ? 1 : 0;
        }

        return found;
    }

    /// <summary>
    /// Keeps the rows whose value compares with <paramref name="constant"/> as <typeparamref name="TOp"/> says
    /// (IEEE comparisons: NaN fails every test but <see cref="NotLess"/> and <see cref="NotLessOrEqual"/>). Selection as for
    /// <see cref="Range{T, TUnsigned}"/>.
    /// </summary>
    public static int Compare<T, TOp>(ReadOnlySpan<T> values, T constant, Span<int> selection, int count, bool all)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IComparison
    {
        if (!all)
        {
            var n = 0;
            for (var k = 0; k < count; k++)
            {
                var row = selection[k];
                selection[n] = row;
                n += TOp.Test(values[row], constant) ? 1 : 0;
            }

            return n;
        }

        var found = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<T>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var bound = Vector256.Create(constant);
            for (; i <= values.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var bits = TOp.Test(Vector256.LoadUnsafe(ref start, (nuint)i), bound).ExtractMostSignificantBits();
                found = Append(bits, i, selection, found);
            }
        }

        for (; i < values.Length; i++)
        {
            selection[found] = i;
            found += TOp.Test(values[i], constant) ? 1 : 0;
        }

        return found;
    }

    /// <summary>
    /// Runs <see cref="Compare{T, TOp}"/> with the comparison <paramref name="op"/> names, in PostgreSQL's float order
    /// (NaN above every number): &gt; and &gt;= also select NaN. The constant must not be NaN.
    /// </summary>
    public static int Compare<T>(ReadOnlySpan<T> values, CompareOp op, T constant, Span<int> selection, int count, bool all)
        where T : unmanaged, IFloatingPointIeee754<T> => op switch
        {
            CompareOp.Equal => Compare<T, Equal>(values, constant, selection, count, all),
            CompareOp.Less => Compare<T, Less>(values, constant, selection, count, all),
            CompareOp.LessOrEqual => Compare<T, LessOrEqual>(values, constant, selection, count, all),
            CompareOp.Greater => Compare<T, NotLessOrEqual>(values, constant, selection, count, all),
            CompareOp.GreaterOrEqual => Compare<T, NotLess>(values, constant, selection, count, all),
            _ => 0,
        };

    /// <summary>Drops the selected rows that are null (<paramref name="valid"/> false), or keeps only them.</summary>
    public static int KeepValid(ReadOnlySpan<bool> valid, Span<int> selection, int count, bool validOnes = true)
    {
        var n = 0;
        for (var k = 0; k < count; k++)
        {
            var row = selection[k];
            selection[n] = row;
            n += valid[row] == validOnes ? 1 : 0;
        }

        return n;
    }

    /// <summary>Fills the selection with every row of <paramref name="rows"/>.</summary>
    public static int All(Span<int> selection, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            selection[i] = i;
        }

        return rows;
    }

    /// <summary>Writes the index of every set bit of <paramref name="bits"/>, offset by <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Append(uint bits, int start, Span<int> selection, int found)
    {
        while (bits != 0)
        {
            selection[found++] = start + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }

        return found;
    }

    /// <summary>A comparison of a value with a constant, as a scalar and as a SIMD lane mask.</summary>
    public interface IComparison
    {
        /// <summary>The scalar test.</summary>
        static abstract bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T>;

        /// <summary>The lane-wise test (all bits set where it holds).</summary>
        static abstract Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged;
    }

    /// <summary>value = constant.</summary>
    public readonly struct Equal : IComparison
    {
        /// <inheritdoc/>
        public static bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T> => value == constant;

        /// <inheritdoc/>
        public static Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged => Vector256.Equals(values, constant);
    }

    /// <summary>value &lt; constant.</summary>
    public readonly struct Less : IComparison
    {
        /// <inheritdoc/>
        public static bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T> => value < constant;

        /// <inheritdoc/>
        public static Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged => Vector256.LessThan(values, constant);
    }

    /// <summary>value &lt;= constant.</summary>
    public readonly struct LessOrEqual : IComparison
    {
        /// <inheritdoc/>
        public static bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T> => value <= constant;

        /// <inheritdoc/>
        public static Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged => Vector256.LessThanOrEqual(values, constant);
    }

    /// <summary>Not (value &lt; constant): value &gt;= constant, or NaN (which PostgreSQL ranks above every number).</summary>
    public readonly struct NotLess : IComparison
    {
        /// <inheritdoc/>
        public static bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T> => !(value < constant);

        /// <inheritdoc/>
        public static Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged => ~Vector256.LessThan(values, constant);
    }

    /// <summary>Not (value &lt;= constant): value &gt; constant, or NaN (which PostgreSQL ranks above every number).</summary>
    public readonly struct NotLessOrEqual : IComparison
    {
        /// <inheritdoc/>
        public static bool Test<T>(T value, T constant)
            where T : IFloatingPointIeee754<T> => !(value <= constant);

        /// <inheritdoc/>
        public static Vector256<T> Test<T>(Vector256<T> values, Vector256<T> constant)
            where T : unmanaged => ~Vector256.LessThanOrEqual(values, constant);
    }
}
