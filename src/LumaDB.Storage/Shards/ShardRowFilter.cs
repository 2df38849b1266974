using System.Buffers.Binary;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Time-range and predicate checks on a resolved row, with the semantics segment scans use: nulls never match;
/// integers compare exactly, floats as doubles in PostgreSQL's order (NaN highest), text and bytes in byte order.
/// The row comes in its encoded form or as one row of decoded Arrow columns.
/// </summary>
internal static class ShardRowFilter
{
    public static bool Matches(TableLayout table, ReadOnlySpan<byte> row, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates) =>
        Matches(table, new EncodedRow(table.Codec, row), time, predicates);

    /// <summary>The check on row <paramref name="row"/> of decoded columns (views of the table's columns, in order).</summary>
    public static bool Matches(
        TableLayout table, ReadOnlySpan<ArrowColumnView> columns, int row, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates) =>
        Matches(table, new DecodedRow(table.Codec, columns, row), time, predicates);

    private static bool Matches<TRow>(TableLayout table, TRow row, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates)
        where TRow : IRowValues, allows ref struct
    {
        if (time is { } range && (row.IsNull(table.TimeColumn) || !range.Contains(row.GetInt64(table.TimeColumn))))
        {
            return false;
        }

        foreach (var (column, predicate) in predicates)
        {
            if (row.IsNull(column) || Compare(table.Codec, row, column, predicate) is not { } comparison
                || !ColumnPredicate.Satisfies(predicate.Op, comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value compared with the constant; null when they cannot be ordered (mismatched types).</summary>
    private static int? Compare<TRow>(RowCodec codec, TRow row, int column, ColumnPredicate predicate)
        where TRow : IRowValues, allows ref struct
    {
        var kind = codec.KindOf(column);
        if (kind is SegmentColumnKind.Utf8 or SegmentColumnKind.Binary)
        {
            return predicate.Kind == PredicateConstantKind.Bytes ? row.GetBytes(column).SequenceCompareTo(predicate.Bytes) : null;
        }

        if (predicate.Kind == PredicateConstantKind.Bytes)
        {
            return null;
        }

        switch (kind)
        {
            case SegmentColumnKind.Float32 or SegmentColumnKind.Float64:
                var value = row.GetFloat64(column);
                var constant = predicate.Kind == PredicateConstantKind.Real ? predicate.Real : predicate.Integer;
                return ColumnPredicate.CompareReal(value, constant);
            case SegmentColumnKind.UInt64:
                var unsigned = row.GetUInt64(column);
                return predicate.Kind == PredicateConstantKind.Integer
                    ? SegmentColumn.CompareUnsigned(unsigned, predicate.Integer)
                    : ColumnPredicate.CompareReal(unsigned, predicate.Real);
            default:
                var signed = kind == SegmentColumnKind.Boolean ? (row.GetBoolean(column) ? 1L : 0L) : row.GetInt64(column);
                return predicate.Kind == PredicateConstantKind.Integer
                    ? signed.CompareTo(predicate.Integer)
                    : ColumnPredicate.CompareReal(signed, predicate.Real);
        }
    }

    /// <summary>Typed access to the values of one row, whatever form it is held in.</summary>
    private interface IRowValues
    {
        bool IsNull(int column);

        bool GetBoolean(int column);

        /// <summary>A signed integer or timestamp, widened to 64 bits.</summary>
        long GetInt64(int column);

        ulong GetUInt64(int column);

        /// <summary>A float, widened to double.</summary>
        double GetFloat64(int column);

        ReadOnlySpan<byte> GetBytes(int column);
    }

    /// <summary>A row in <see cref="RowCodec"/> form.</summary>
    private readonly ref struct EncodedRow(RowCodec codec, ReadOnlySpan<byte> row) : IRowValues
    {
        private readonly ReadOnlySpan<byte> _row = row;

        public bool IsNull(int column) => codec.IsNull(_row, column);

        public bool GetBoolean(int column) => codec.GetBoolean(_row, column);

        public long GetInt64(int column) => codec.GetInt64(_row, column);

        public ulong GetUInt64(int column) => codec.GetUInt64(_row, column);

        public double GetFloat64(int column) => codec.GetFloat64(_row, column);

        public ReadOnlySpan<byte> GetBytes(int column) => codec.GetBytes(_row, column);
    }

    /// <summary>One row of decoded Arrow columns, which hold fixed-width values little-endian as the row form does.</summary>
    private readonly ref struct DecodedRow(RowCodec codec, ReadOnlySpan<ArrowColumnView> columns, int row) : IRowValues
    {
        private readonly ReadOnlySpan<ArrowColumnView> _columns = columns;

        public bool IsNull(int column) => !_columns[column].IsValid(row);

        public bool GetBoolean(int column) => _columns[column].Boolean(row);

        public long GetInt64(int column) => RowCodec.ReadInt64(codec.KindOf(column), _columns[column].Fixed(row, codec.WidthOf(column)), column);

        public ulong GetUInt64(int column) => BinaryPrimitives.ReadUInt64LittleEndian(_columns[column].Fixed(row, sizeof(ulong)));

        public double GetFloat64(int column) => RowCodec.ReadFloat64(codec.KindOf(column), _columns[column].Fixed(row, codec.WidthOf(column)));

        public ReadOnlySpan<byte> GetBytes(int column) => _columns[column].Bytes(row);
    }
}
