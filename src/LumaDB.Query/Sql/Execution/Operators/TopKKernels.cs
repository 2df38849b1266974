using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The top-k pruning compare: which rows of a batch are not strictly worse than the k-th kept key, as a
/// selection of row positions, one SIMD register of values at a time.
/// </summary>
internal static class TopKKernels
{
    /// <summary>
    /// Writes to <paramref name="into"/> the positions of the values that are not strictly worse than
    /// <paramref name="bound"/>: at or above it when <paramref name="descending"/>, else at or below it (a NaN is
    /// above every number, as PostgreSQL orders it: kept descending, dropped ascending; the bound is never NaN).
    /// Returns how many.
    /// </summary>
    public static int Survivors<T>(ReadOnlySpan<T> values, T bound, bool descending, Span<int> into)
        where T : unmanaged, INumber<T>
    {
        var count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<T>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var limit = Vector256.Create(bound);
            for (; i <= values.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var chunk = Vector256.LoadUnsafe(ref start, (nuint)i);
                var bits = (descending ? ~Vector256.LessThan(chunk, limit) : Vector256.LessThanOrEqual(chunk, limit)).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    into[count++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            into[count] = i;
            count += (descending ? !(values[i] < bound) : values[i] <= bound) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Corrects a <see cref="Survivors{T}"/> selection over a column with NULLs (whose slots hold some value the
    /// compare judged): NULL rows are kept when NULLs rank first, dropped otherwise. Returns the new count.
    /// </summary>
    public static int FixNulls(ReadOnlySpan<bool> nulls, bool nullsFirst, Span<int> into, int count)
    {
        if (!nullsFirst)
        {
            var n = 0;
            for (var k = 0; k < count; k++)
            {
                var row = into[k];
                into[n] = row;
                n += nulls[row] ? 0 : 1;
            }

            return n;
        }

        // Merge the selection with every NULL row, keeping positions ascending.
        var selected = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            into[..count].CopyTo(selected);
            var next = 0;
            var total = 0;
            for (var row = 0; row < nulls.Length; row++)
            {
                var chosen = next < count && selected[next] == row;
                next += chosen ? 1 : 0;
                if (chosen || nulls[row])
                {
                    into[total++] = row;
                }
            }

            return total;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(selected);
        }
    }
}
