using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// One common aggregate (count, sum/avg over int4, int8 or float8, min/max over int4 or 64-bit integers, bit_and/bit_or/
/// bit_xor over integers, the (Y, X) statistics aggregates over float8) kept for every
/// group at once in typed arrays indexed by group, and fed a column at a time: a batch is one tight loop per
/// aggregate instead of a virtual call per row and group. Results equal those of <see cref="Accumulator"/>:
/// values are added per group in row order and come out in the same CLR types.
/// </summary>
internal sealed class GroupedAggregate
{
    private readonly Kind _kind;
    private readonly SqlType _resultType;
    private long[] _counts = [];
    private long[] _longs = [];
    private double[] _doubles = [];

    // Sums of int8 values: exact in 128 bits for any row count a table can hold, then numeric like the accumulator's.
    private Int128[] _wide = [];

    // The statistics aggregates' states, and which of them this is.
    private RegressionState[] _regression = [];
    private readonly RegressionKind _regressionKind;

    private GroupedAggregate(Kind kind, SqlType resultType, RegressionKind regressionKind = default)
    {
        _kind = kind;
        _resultType = resultType;
        _regressionKind = regressionKind;
    }

    /// <summary>Whether this aggregate reads two argument columns (Y, X).</summary>
    public bool TwoArguments => _kind == Kind.Regression;

    private enum Kind
    {
        CountStar,
        Count,
        SumDouble,
        AvgDouble,
        SumInt,
        AvgInt,
        SumLong,
        AvgLong,
        MinInt,
        MaxInt,
        MinLong,
        MaxLong,
        BitAnd,
        BitOr,
        BitXor,
        Regression,
    }

    /// <summary>The typed form of <paramref name="spec"/>, or null when it needs the general accumulator.</summary>
    public static GroupedAggregate? TryCreate(AggregateSpec spec)
    {
        if (spec.Distinct || spec.Filter is not null || spec.OrderBy.Count > 0 || spec.Direct.Count > 0)
        {
            return null;
        }

        if (spec.Name == "count")
        {
            return spec.Arguments.Count switch
            {
                0 => new GroupedAggregate(Kind.CountStar, spec.Type),
                1 => new GroupedAggregate(Kind.Count, spec.Type),
                _ => null,
            };
        }

        if (RegressionState.KindOf(spec.Name) is { } regression)
        {
            return spec.Arguments.Count == 2 && spec.Arguments.All(a => a.Type.Kind == SqlTypeKind.Float8)
                ? new GroupedAggregate(Kind.Regression, spec.Type, regression)
                : null;
        }

        if (spec.Arguments.Count != 1)
        {
            return null;
        }

        var argument = spec.Arguments[0].Type.Kind;
        Kind? kind = (spec.Name, argument) switch
        {
            ("sum", SqlTypeKind.Float8) => Kind.SumDouble,
            ("avg", SqlTypeKind.Float8) => Kind.AvgDouble,
            ("sum", SqlTypeKind.Int4) when spec.Type.Kind == SqlTypeKind.Int8 => Kind.SumInt,
            ("avg", SqlTypeKind.Int4) => Kind.AvgInt,
            ("sum", SqlTypeKind.Int8) => Kind.SumLong,
            ("avg", SqlTypeKind.Int8) => Kind.AvgLong,
            ("min", SqlTypeKind.Int4) => Kind.MinInt,
            ("max", SqlTypeKind.Int4) => Kind.MaxInt,
            ("min", SqlTypeKind.Int8 or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Time) => Kind.MinLong,
            ("max", SqlTypeKind.Int8 or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Time) => Kind.MaxLong,
            ("bit_and", SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8) => Kind.BitAnd,
            ("bit_or", SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8) => Kind.BitOr,
            ("bit_xor", SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8) => Kind.BitXor,
            _ => null,
        };
        return kind is { } k ? new GroupedAggregate(k, spec.Type) : null;
    }

    /// <summary>Makes room for groups [0, <paramref name="groups"/>).</summary>
    public void EnsureGroups(int groups)
    {
        if (_counts.Length >= groups)
        {
            return;
        }

        var size = Math.Max(groups, Math.Max(16, _counts.Length * 2));
        Array.Resize(ref _counts, size);
        if (_kind is Kind.SumLong or Kind.AvgLong)
        {
            Array.Resize(ref _wide, size);
        }
        else if (_kind == Kind.Regression)
        {
            Array.Resize(ref _regression, size);
        }
        else if (_kind is not (Kind.CountStar or Kind.Count))
        {
            Array.Resize(ref _longs, size);
            Array.Resize(ref _doubles, size);
        }
    }

    /// <summary>
    /// Adds rows [0, groupOf.Length) of <paramref name="argument"/> (null for count(*)), row r to group groupOf[r];
    /// <paramref name="second"/> is the X column of the two-argument aggregates.
    /// False, with nothing added, when the column is not of the expected array type (the caller falls back).
    /// </summary>
    public bool Add(ColumnVector? argument, ReadOnlySpan<int> groupOf, ColumnVector? second = null)
    {
        var counts = _counts;
        if (_kind == Kind.CountStar)
        {
            foreach (var g in groupOf)
            {
                counts[g]++;
            }

            return true;
        }

        if (argument is null)
        {
            return false;
        }

        if (argument.IsAbsent)
        {
            // Every row reads as NULL: nothing to add.
            return true;
        }

        var nulls = argument.Nulls;
        switch (_kind)
        {
            case Kind.Count:
                for (var r = 0; r < groupOf.Length; r++)
                {
                    if (nulls is null || !nulls[r])
                    {
                        counts[groupOf[r]]++;
                    }
                }

                return true;
            case Kind.SumDouble or Kind.AvgDouble when argument.Values is double[] values:
                AddSums(values, _doubles, nulls, groupOf);
                return true;
            case Kind.SumInt or Kind.AvgInt when argument.Values is int[] values:
                AddSums(values, _longs, nulls, groupOf);
                return true;
            case Kind.SumLong or Kind.AvgLong when argument.Values is long[] values:
                AddSums(values, _wide, nulls, groupOf);
                return true;
            case Kind.MinInt or Kind.MaxInt when argument.Values is int[] values:
                AddExtremes(values, nulls, groupOf, _kind == Kind.MaxInt);
                return true;
            case Kind.MinLong or Kind.MaxLong when argument.Values is long[] values:
                AddExtremes(values, nulls, groupOf, _kind == Kind.MaxLong);
                return true;
            case Kind.BitAnd or Kind.BitOr or Kind.BitXor:
                return argument.Values switch
                {
                    int[] ints => AddBits(ints, nulls, groupOf),
                    long[] longs => AddBits(longs, nulls, groupOf),
                    short[] shorts => AddBits(shorts, nulls, groupOf),
                    _ => false,
                };
            case Kind.Regression when argument.Values is double[] ys && second is { Values: double[] xs }:
                AddRegression(ys, nulls, second, xs, groupOf);
                return true;
            default:
                return false;
        }
    }

    // One loop for every typed sum; the JIT compiles it per value type, so it costs what a hand-written copy would.
    private void AddSums<TValue, TSum>(TValue[] values, TSum[] sums, bool[]? nulls, ReadOnlySpan<int> groupOf)
        where TValue : struct, System.Numerics.INumberBase<TValue>
        where TSum : struct, System.Numerics.INumberBase<TSum>
    {
        var counts = _counts;
        for (var r = 0; r < groupOf.Length; r++)
        {
            if (nulls is null || !nulls[r])
            {
                var g = groupOf[r];
                counts[g]++;
                sums[g] += TSum.CreateTruncating(values[r]);
            }
        }
    }

    private bool AddBits<T>(T[] values, bool[]? nulls, ReadOnlySpan<int> groupOf)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var counts = _counts;
        var bits = _longs;
        var operation = _kind switch
        {
            Kind.BitAnd => BitwiseOperation.And,
            Kind.BitOr => BitwiseOperation.Or,
            _ => BitwiseOperation.Xor,
        };
        for (var r = 0; r < groupOf.Length; r++)
        {
            if (nulls is not null && nulls[r])
            {
                continue;
            }

            var g = groupOf[r];
            var value = long.CreateTruncating(values[r]);
            bits[g] = counts[g]++ == 0 ? value : BitwiseFold.Apply(operation, bits[g], value);
        }

        return true;
    }

    private void AddRegression(double[] ys, bool[]? yNulls, ColumnVector second, double[] xs, ReadOnlySpan<int> groupOf)
    {
        if (second.IsAbsent)
        {
            return;
        }

        var xNulls = second.Nulls;
        var states = _regression;
        for (var r = 0; r < groupOf.Length; r++)
        {
            // A row counts only when both Y and X are present.
            if ((yNulls is null || !yNulls[r]) && (xNulls is null || !xNulls[r]))
            {
                states[groupOf[r]].Add(ys[r], xs[r]);
            }
        }
    }

    private void AddExtremes<T>(T[] values, bool[]? nulls, ReadOnlySpan<int> groupOf, bool max)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var counts = _counts;
        var best = _longs;
        for (var r = 0; r < groupOf.Length; r++)
        {
            if (nulls is not null && nulls[r])
            {
                continue;
            }

            var g = groupOf[r];
            var value = long.CreateTruncating(values[r]);
            if (counts[g]++ == 0 || (max ? value > best[g] : value < best[g]))
            {
                best[g] = value;
            }
        }
    }

    /// <summary>
    /// Adds the states of <paramref name="other"/> (the same aggregate over other rows), its group g into this one's
    /// group map[g]; this one must already have room for those groups. Counts and sums add, extremes compare.
    /// </summary>
    public void Merge(GroupedAggregate other, ReadOnlySpan<int> map)
    {
        var counts = _counts;
        var groups = Math.Min(map.Length, other._counts.Length);
        if (_kind == Kind.Regression)
        {
            // The states keep their own row counts.
            for (var g = 0; g < groups; g++)
            {
                _regression[map[g]].Combine(other._regression[g]);
            }

            return;
        }

        for (var g = 0; g < groups; g++)
        {
            var count = other._counts[g];
            if (count == 0)
            {
                continue;
            }

            var into = map[g];
            switch (_kind)
            {
                case Kind.SumDouble or Kind.AvgDouble:
                    _doubles[into] += other._doubles[g];
                    break;
                case Kind.SumInt or Kind.AvgInt:
                    _longs[into] += other._longs[g];
                    break;
                case Kind.SumLong or Kind.AvgLong:
                    _wide[into] += other._wide[g];
                    break;
                case Kind.MinInt or Kind.MinLong:
                    if (counts[into] == 0 || other._longs[g] < _longs[into])
                    {
                        _longs[into] = other._longs[g];
                    }

                    break;
                case Kind.MaxInt or Kind.MaxLong:
                    if (counts[into] == 0 || other._longs[g] > _longs[into])
                    {
                        _longs[into] = other._longs[g];
                    }

                    break;
                case Kind.BitAnd or Kind.BitOr or Kind.BitXor:
                    _longs[into] = counts[into] == 0 ? other._longs[g]
                        : BitwiseFold.Apply(_kind == Kind.BitAnd ? BitwiseOperation.And : _kind == Kind.BitOr ? BitwiseOperation.Or : BitwiseOperation.Xor, _longs[into], other._longs[g]);
                    break;
            }

            counts[into] += count;
        }
    }

    /// <summary>The aggregate's value for group <paramref name="group"/>.</summary>
    public object? Result(int group)
    {
        if (_kind == Kind.Regression)
        {
            return group < _regression.Length ? _regression[group].Result(_regressionKind) : default(RegressionState).Result(_regressionKind);
        }

        var count = group < _counts.Length ? _counts[group] : 0;
        if (_kind is Kind.CountStar or Kind.Count)
        {
            return count;
        }

        if (count == 0)
        {
            return null;
        }

        return _kind switch
        {
            Kind.SumDouble => _resultType.Kind == SqlTypeKind.Float4 ? (object)(float)_doubles[group] : _doubles[group],
            Kind.AvgDouble => _doubles[group] / count,
            Kind.SumInt => _longs[group],
            Kind.AvgInt => NumericMath.Divide(_longs[group], count),
            Kind.SumLong => _resultType.Kind == SqlTypeKind.Int8 ? checked((long)_wide[group]) : (decimal)_wide[group],
            Kind.AvgLong => NumericMath.Divide((decimal)_wide[group], count),
            Kind.MinInt or Kind.MaxInt => (int)_longs[group],
            Kind.BitAnd or Kind.BitOr or Kind.BitXor => BitwiseFold.Box(_longs[group], _resultType),
            _ => _longs[group],
        };
    }
}
