using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Derives what storage can use from a scan's predicate: <c>column op constant</c> conjuncts become
/// <see cref="ColumnPredicate"/>s (segment statistics skip row groups), and bounds on the time column become
/// the scan's <see cref="TimeRange"/>. Bounds on the time column by a value fixed for the statement but not
/// known when planning (a parameter, <c>now() - interval '5 minutes'</c>) become <see cref="ScanNode.TimeBounds"/>,
/// evaluated when the statement runs (<see cref="ExecutionTime"/>). The scan still applies the whole predicate itself.
/// </summary>
internal static class Pushdown
{
    public static void Apply(ScanNode scan, BoundExpression predicate)
    {
        var predicates = new List<ColumnPredicate>();
        long from = long.MinValue;
        long to = long.MaxValue;
        var timeColumn = scan.Table.TimeColumn;
        var timeBounds = new List<TimeBound>();
        foreach (var conjunct in BoundTree.Conjuncts(predicate))
        {
            if (conjunct is not BoundBinary binary || ToCompare(binary.Operator) is not { } op)
            {
                continue;
            }

            if (TimeBoundOf(binary, scan) is { } bound)
            {
                timeBounds.Add(bound);
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
                        (from, to) = Narrow(from, to, op, micros);
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
        scan.TimeBounds = timeBounds;
        scan.KeyAccess = KeyAccessOf(scan, predicate);
    }

    /// <summary>
    /// <c>time_column op value</c> (either way round) where the value does not depend on the row
    /// (<see cref="BoundTree.IsRowFree"/>) but is not a constant: the timestamp is known only when the statement runs.
    /// </summary>
    private static TimeBound? TimeBoundOf(BoundBinary binary, ScanNode scan)
    {
        if (scan.Table.TimeColumn < 0 || BoundTree.Comparison(binary) is not var (column, op, value) || ToCompare(op) is not { } compare
            || column.Ordinal != scan.Table.TimeColumn || value is BoundConstant || value.Type != column.Type
            || column.Type.Kind is not (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz))
        {
            return null;
        }

        var name = scan.Columns[column.Ordinal].Name;
        return new TimeBound(compare, value, $"{name} {SqlOperators.Symbol(op)} {BoundTree.Describe(value)}");
    }

    /// <summary>
    /// <paramref name="request"/> with the time bounds evaluated by <paramref name="evaluate"/> (when the statement
    /// starts) narrowing its time range and added as statistics predicates; the request itself when there are none.
    /// A bound that evaluates to NULL matches no row, but is only left out here: the scan's filter still applies.
    /// </summary>
    public static SegmentScan ExecutionTime(SegmentScan request, IReadOnlyList<TimeBound> bounds, string timeColumnName, Func<BoundExpression, object?> evaluate)
    {
        if (bounds.Count == 0)
        {
            return request;
        }

        var from = request.Time?.FromMicros ?? long.MinValue;
        var to = request.Time?.ToMicros ?? long.MaxValue;
        var predicates = new List<ColumnPredicate>(request.Predicates);
        foreach (var bound in bounds)
        {
            if (evaluate(bound.Value) is not long micros)
            {
                continue;
            }

            predicates.Add(ColumnPredicate.Compare(timeColumnName, bound.Op, DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(micros * 10)));
            (from, to) = Narrow(from, to, bound.Op, micros);
        }

        return new SegmentScan
        {
            Columns = request.Columns,
            Keys = request.Keys,
            Predicates = predicates,
            Time = from != long.MinValue || to != long.MaxValue ? new TimeRange(from, to) : null,
        };
    }

    /// <summary>The time range [from, to) narrowed by <c>time op micros</c>.</summary>
    private static (long From, long To) Narrow(long from, long to, CompareOp op, long micros) => op switch
    {
        CompareOp.Greater => (Math.Max(from, micros == long.MaxValue ? micros : micros + 1), to),
        CompareOp.GreaterOrEqual => (Math.Max(from, micros), to),
        CompareOp.Less => (from, Math.Min(to, micros)),
        CompareOp.LessOrEqual => (from, Math.Min(to, micros == long.MaxValue ? micros : micros + 1)),
        CompareOp.Equal => (Math.Max(from, micros), Math.Min(to, micros + 1)),
        _ => (from, to),
    };

    /// <summary>
    /// Point lookups when every primary-key column is pinned by <c>=</c> or <c>IN</c> (up to
    /// <see cref="KeyAccess.MaxPoints"/> keys); otherwise a key range when a prefix of the key is pinned or the
    /// first unpinned key column is bounded; otherwise null (a full scan).
    /// </summary>
    private static KeyAccess? KeyAccessOf(ScanNode scan, BoundExpression predicate)
    {
        var key = scan.Table.PrimaryKey;
        if (key.Count == 0 || key.Any(k => scan.Columns[k].Hidden || !KeyAccess.Supports(scan.Columns[k].Type)))
        {
            return null;
        }

        var conjuncts = BoundTree.Conjuncts(predicate);
        var values = new IReadOnlyList<BoundExpression>[key.Count];
        var used = new List<string>();
        var pinned = 0;
        for (; pinned < key.Count; pinned++)
        {
            var ordinal = key[pinned];
            var type = scan.Columns[ordinal].Type;
            foreach (var conjunct in conjuncts)
            {
                if (conjunct is BoundBinary { Operator: BinaryOperator.Equal } eq && Operand(eq, ordinal, type, out var value, out _))
                {
                    values[pinned] = [value];
                    used.Add($"{scan.Columns[ordinal].Name} = {Text(value)}");
                    break;
                }

                if (conjunct is BoundInList { Negated: false, Operand: BoundColumn c } list && c.Ordinal == ordinal
                    && list.Items.All(i => IsValue(i, type)))
                {
                    values[pinned] = list.Items;
                    used.Add($"{scan.Columns[ordinal].Name} = ANY ('{{{string.Join(",", list.Items.Select(Text))}}}')");
                    break;
                }
            }

            if (values[pinned] is null)
            {
                break;
            }
        }

        var types = key.Select(k => scan.Columns[k].Type).ToArray();
        var points = 1L;
        for (var i = 0; i < pinned; i++)
        {
            points *= values[i].Count;
        }

        if (pinned == key.Count && points <= KeyAccess.MaxPoints)
        {
            return new KeyAccess { KeyColumns = [.. key], KeyTypes = types, Points = values, Condition = string.Join(" AND ", used.Select(u => "(" + u + ")")) };
        }

        // A range: the pinned prefix must be single values; IN lists beyond it are left to the filter.
        var prefix = new List<BoundExpression>();
        for (var i = 0; i < pinned && values[i].Count == 1; i++)
        {
            prefix.Add(values[i][0]);
        }

        used.RemoveRange(prefix.Count, used.Count - prefix.Count);
        (BoundExpression, bool)? lower = null;
        (BoundExpression, bool)? upper = null;
        if (prefix.Count < key.Count)
        {
            var ordinal = key[prefix.Count];
            var type = scan.Columns[ordinal].Type;
            foreach (var conjunct in conjuncts)
            {
                if (conjunct is not BoundBinary binary || !Operand(binary, ordinal, type, out var value, out var flipped))
                {
                    continue;
                }

                var op = binary.Operator;
                if (flipped)
                {
                    op = op switch
                    {
                        BinaryOperator.LessThan => BinaryOperator.GreaterThan,
                        BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
                        BinaryOperator.GreaterThan => BinaryOperator.LessThan,
                        BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
                        _ => op,
                    };
                }

                var name = scan.Columns[ordinal].Name;
                switch (op)
                {
                    case BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual when lower is null:
                        lower = (value, op == BinaryOperator.GreaterThanOrEqual);
                        used.Add($"{name} {(op == BinaryOperator.GreaterThan ? ">" : ">=")} {Text(value)}");
                        break;
                    case BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual when upper is null:
                        upper = (value, op == BinaryOperator.LessThanOrEqual);
                        used.Add($"{name} {(op == BinaryOperator.LessThan ? "<" : "<=")} {Text(value)}");
                        break;
                }
            }
        }

        if (prefix.Count == 0 && lower is null && upper is null)
        {
            return null;
        }

        return new KeyAccess
        {
            KeyColumns = [.. key],
            KeyTypes = types,
            Prefix = [.. prefix],
            Lower = lower,
            Upper = upper,
            Condition = string.Join(" AND ", used.Select(u => "(" + u + ")")),
        };
    }

    /// <summary>Whether <paramref name="binary"/> compares column <paramref name="ordinal"/> with a constant or parameter of its type.</summary>
    private static bool Operand(BoundBinary binary, int ordinal, SqlType type, out BoundExpression value, out bool flipped)
    {
        (value, flipped) = (binary.Left, binary.Right) switch
        {
            (BoundColumn c, var v) when c.Ordinal == ordinal && IsValue(v, type) => (v, false),
            (var v, BoundColumn c) when c.Ordinal == ordinal && IsValue(v, type) => (v, true),
            _ => (null!, false),
        };
        return value is not null;
    }

    private static bool IsValue(BoundExpression expression, SqlType type) =>
        expression.Type == type && expression is BoundConstant or BoundParameter;

    private static string Text(BoundExpression value) => value switch
    {
        BoundParameter p => "$" + p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BoundConstant { Value: null } => "NULL",
        BoundConstant { Value: string s } => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        BoundConstant c when c.Type.Category == SqlTypeCategory.Numeric => SqlText.Format(c.Value!, c.Type),
        BoundConstant c => "'" + SqlText.Format(c.Value!, c.Type) + "'::" + c.Type.Name,
        _ => "?",
    };

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

/// <summary>A bound on a scan's time column by a value known when the statement runs (see <see cref="Pushdown"/>).</summary>
/// <param name="Op">How the time column compares with the value.</param>
/// <param name="Value">The value: constants, parameters and the statement's timestamp.</param>
/// <param name="Text">The comparison as EXPLAIN shows it.</param>
internal sealed record TimeBound(CompareOp Op, BoundExpression Value, string Text);
