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

    /// <summary>Adds the (probe row, build row) pairs of <paramref name="column"/>'s first <paramref name="count"/> rows; false when its values are not int or bigint.</summary>
    public bool Probe(ColumnVector column, int count, List<int> probeRows, List<int> buildRows)
    {
        switch (column.Values)
        {
            case int[] ints: Probe(ints, column, count, probeRows, buildRows); return true;
            case long[] longs: Probe(longs, column, count, probeRows, buildRows); return true;
            default: return false;
        }
    }

    private void Probe<T>(T[] values, ColumnVector column, int count, List<int> probeRows, List<int> buildRows)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var rowOf = _rowOf;
        var nulls = column.IsAbsent ? null : column.Nulls;
        if (column.IsAbsent)
        {
            return;
        }

        for (var l = 0; l < count; l++)
        {
            var offset = long.CreateTruncating(values[l]) - _min;
            if ((ulong)offset < (ulong)rowOf.Length && rowOf[offset] is var r && r >= 0 && (nulls is null || !nulls[l]))
            {
                probeRows.Add(l);
                buildRows.Add(r);
            }
        }
    }
}
