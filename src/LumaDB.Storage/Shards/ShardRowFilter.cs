using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Time-range and predicate checks on a resolved row, with the semantics segment scans use: nulls never match;
/// integers compare exactly, floats as doubles in PostgreSQL's order (NaN highest), text and bytes in byte order.
/// </summary>
internal static class ShardRowFilter
{
    public static bool Matches(TableLayout table, ReadOnlySpan<byte> row, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates)
    {
        var codec = table.Codec;
        if (time is { } range && (codec.IsNull(row, table.TimeColumn) || !range.Contains(codec.GetInt64(row, table.TimeColumn))))
        {
            return false;
        }

        foreach (var (column, predicate) in predicates)
        {
            if (codec.IsNull(row, column) || Compare(codec, row, column, predicate) is not { } comparison
                || !ColumnPredicate.Satisfies(predicate.Op, comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value compared with the constant; null when they cannot be ordered (mismatched types).</summary>
    private static int? Compare(RowCodec codec, ReadOnlySpan<byte> row, int column, ColumnPredicate predicate)
    {
        var kind = codec.KindOf(column);
        if (kind is SegmentColumnKind.Utf8 or SegmentColumnKind.Binary)
        {
            return predicate.Kind == PredicateConstantKind.Bytes ? codec.GetBytes(row, column).SequenceCompareTo(predicate.Bytes) : null;
        }

        if (predicate.Kind == PredicateConstantKind.Bytes)
        {
            return null;
        }

        switch (kind)
        {
            case SegmentColumnKind.Float32 or SegmentColumnKind.Float64:
                var value = codec.GetFloat64(row, column);
                var constant = predicate.Kind == PredicateConstantKind.Real ? predicate.Real : predicate.Integer;
                return ColumnPredicate.CompareReal(value, constant);
            case SegmentColumnKind.UInt64:
                var unsigned = codec.GetUInt64(row, column);
                return predicate.Kind == PredicateConstantKind.Integer
                    ? SegmentColumn.CompareUnsigned(unsigned, predicate.Integer)
                    : ColumnPredicate.CompareReal(unsigned, predicate.Real);
            default:
                var signed = kind == SegmentColumnKind.Boolean ? (codec.GetBoolean(row, column) ? 1L : 0L) : codec.GetInt64(row, column);
                return predicate.Kind == PredicateConstantKind.Integer
                    ? signed.CompareTo(predicate.Integer)
                    : ColumnPredicate.CompareReal(signed, predicate.Real);
        }
    }
}
