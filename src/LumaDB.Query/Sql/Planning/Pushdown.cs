using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Derives what storage can use from a scan's predicate: <c>column op constant</c> conjuncts become
/// <see cref="ColumnPredicate"/>s (segment statistics skip row groups), and bounds on the time column become
/// the scan's <see cref="TimeRange"/>. The scan still applies the whole predicate itself.
/// </summary>
internal static class Pushdown
{
    public static void Apply(ScanNode scan, BoundExpression predicate)
    {
        var predicates = new List<ColumnPredicate>();
        long from = long.MinValue;
        long to = long.MaxValue;
        var timeColumn = scan.Table.TimeColumn;
        foreach (var conjunct in BoundTree.Conjuncts(predicate))
        {
            if (conjunct is not BoundBinary binary || ToCompare(binary.Operator) is not { } op)
            {
                continue;
            }

            (BoundColumn? column, BoundConstant? constant) = (binary.Left, binary.Right) switch
            {
                (BoundColumn c, BoundConstant k) => (c, k),
                (BoundConstant k, BoundColumn c) => (c, k),
                _ => (null, null),
            };
            if (column is null || constant?.Value is null || column.Type != constant.Type)
            {
                continue;
            }

            if (binary.Left is BoundConstant)
            {
                op = Flip(op);
            }

            var name = scan.Columns[column.Ordinal].Name;
            switch (constant.Value)
            {
                case long micros when column.Type.Kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                    predicates.Add(ColumnPredicate.Compare(name, op, DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(micros * 10)));
                    if (column.Ordinal == timeColumn)
                    {
                        switch (op)
                        {
                            case CompareOp.Greater: from = Math.Max(from, micros == long.MaxValue ? micros : micros + 1); break;
                            case CompareOp.GreaterOrEqual: from = Math.Max(from, micros); break;
                            case CompareOp.Less: to = Math.Min(to, micros); break;
                            case CompareOp.LessOrEqual: to = Math.Min(to, micros == long.MaxValue ? micros : micros + 1); break;
                            case CompareOp.Equal: from = Math.Max(from, micros); to = Math.Min(to, micros + 1); break;
                        }
                    }

                    break;
                case short or int or long when column.Type.Category == SqlTypeCategory.Numeric:
                    predicates.Add(ColumnPredicate.Compare(name, op, Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case double d:
                    predicates.Add(ColumnPredicate.Compare(name, op, d));
                    break;
                case string s when column.Type.Kind is SqlTypeKind.Text or SqlTypeKind.Varchar:
                    predicates.Add(ColumnPredicate.Compare(name, op, s));
                    break;
            }
        }

        scan.Scan = new SegmentScan
        {
            Predicates = predicates,
            Time = from != long.MinValue || to != long.MaxValue ? new TimeRange(from, to) : null,
        };
    }

    private static CompareOp? ToCompare(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => CompareOp.Equal,
        BinaryOperator.LessThan => CompareOp.Less,
        BinaryOperator.LessThanOrEqual => CompareOp.LessOrEqual,
        BinaryOperator.GreaterThan => CompareOp.Greater,
        BinaryOperator.GreaterThanOrEqual => CompareOp.GreaterOrEqual,
        _ => null,
    };

    private static CompareOp Flip(CompareOp op) => op switch
    {
        CompareOp.Less => CompareOp.Greater,
        CompareOp.LessOrEqual => CompareOp.GreaterOrEqual,
        CompareOp.Greater => CompareOp.Less,
        CompareOp.GreaterOrEqual => CompareOp.LessOrEqual,
        _ => op,
    };
}
