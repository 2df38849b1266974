namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The build side of a hash join on one integer key whose values are distinct and span a range not much wider
/// than their count (a dimension's primary key): an array indexed by key minus the smallest key holds the
/// build row, so probing is an offset and a bounds check instead of a hash lookup.
/// </summary>
internal sealed class DenseKeyTable
{
    private readonly int[] _rowOf;
    private readonly long _min;

    private DenseKeyTable(int[] rowOf, long min)
    {
        _rowOf = rowOf;
        _min = min;
    }

    /// <summary>The table of <paramref name="column"/> (int or bigint values), or null when its keys repeat or are too sparse.</summary>
    public static DenseKeyTable? TryBuild(ColumnVector column, int count)
    {
        return column.Values switch
        {
            int[] ints => TryBuild(ints, column, count),
            long[] longs => TryBuild(longs, column, count),
            _ => null,
        };
    }

    private static DenseKeyTable? TryBuild<T>(T[] values, ColumnVector column, int count)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        long min = long.MaxValue, max = long.MinValue;
        for (var r = 0; r < count; r++)
        {
            if (!column.IsNull(r))
            {
                var v = long.CreateTruncating(values[r]);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (min > max)
        {
            return null;
        }

        // Sparse keys would make the array mostly holes: a hash table serves them better.
        var span = (ulong)(max - min);
        if (span >= (ulong)(4L * count) + 1024 || span >= int.MaxValue / 2)
        {
            return null;
        }

        var rowOf = new int[(int)span + 1];
        rowOf.AsSpan().Fill(-1);
        for (var r = 0; r < count; r++)
        {
            if (column.IsNull(r))
            {
                continue;
            }

            ref var slot = ref rowOf[(int)(long.CreateTruncating(values[r]) - min)];
            if (slot >= 0)
            {
                return null;
            }

            slot = r;
        }

        return new DenseKeyTable(rowOf, min);
    }

    /// <summary>
    /// Adds the (probe row, build row) pairs of <paramref name="column"/>'s first <paramref name="count"/> rows; false
    /// when its values are not int or bigint. Keys are distinct, so a probe row matches at most once: the pairs are
    /// written straight into the lists' storage, sized once for every row.
    /// </summary>
    public bool Probe(ColumnVector column, int count, List<int> probeRows, List<int> buildRows)
    {
        if (column.Values is not (int[] or long[]))
        {
            return false;
        }

        var start = probeRows.Count;
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(probeRows, start + count);
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(buildRows, start + count);
        var probe = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(probeRows)[start..];
        var build = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buildRows)[start..];
        var found = column.IsAbsent ? 0 : column.Values switch
        {
            int[] ints => Probe(ints, column.Nulls, count, probe, build),
            _ => Probe((long[])column.Values, column.Nulls, count, probe, build),
        };
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(probeRows, start + found);
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(buildRows, start + found);
        return true;
    }

    private int Probe<T>(T[] values, bool[]? nulls, int count, Span<int> probeRows, Span<int> buildRows)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var rowOf = _rowOf;
        var min = _min;
        var found = 0;
        var keys = values.AsSpan(0, count);
        for (var l = 0; l < keys.Length; l++)
        {
            var offset = long.CreateTruncating(keys[l]) - min;
            if ((ulong)offset < (ulong)rowOf.Length && rowOf[offset] is var r && r >= 0 && (nulls is null || !nulls[l]))
            {
                probeRows[found] = l;
                buildRows[found] = r;
                found++;
            }
        }

        return found;
    }
}
