using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// Reads a virtual table whose producer can use predicates: the simple conjuncts of the WHERE clause directly
/// above (text column =, &lt;&gt;, ~, !~, IN; time column comparisons) are evaluated once per run and handed to the
/// producer. The filter above still applies the whole predicate, so the producer may return more rows.
/// </summary>
internal sealed class FilteredSystemScanNode : PlanNode
{
    private readonly SystemTable _table;
    private readonly IFilteredRowSource _source;
    private readonly List<PendingColumnFilter> _filters = [];
    private readonly List<PendingTimeBound> _bounds = [];

    public FilteredSystemScanNode(SystemTable table, IFilteredRowSource source, IReadOnlyList<PlanColumn> columns)
        : base(columns)
    {
        _table = table;
        _source = source;
    }

    public override string Label => _source.ScanLabel;

    public override IEnumerable<string> Details
    {
        get
        {
            foreach (var filter in _filters)
            {
                yield return "Series Filter: " + filter.Text;
            }

            foreach (var bound in _bounds)
            {
                yield return "Time Filter: " + bound.Text;
            }
        }
    }

    /// <summary>Takes the conjuncts of <paramref name="predicate"/> the producer can use.</summary>
    public void Offer(BoundExpression predicate)
    {
        foreach (var conjunct in BoundTree.Conjuncts(predicate))
        {
            switch (conjunct)
            {
                case BoundBinary binary when BoundTree.Comparison(binary) is var (column, op, value):
                    var name = _table.Columns[column.Ordinal].Name;
                    if (name == _source.TimeColumn && column.Type.Kind == SqlTypeKind.TimestampTz && value.Type.Kind == SqlTypeKind.TimestampTz && op != BinaryOperator.NotEqual)
                    {
                        _bounds.Add(new PendingTimeBound(op, value, $"{name} {SqlOperators.Symbol(op)} {BoundTree.Describe(value)}"));
                    }
                    else if (_source.FilterableColumns.Contains(name) && IsText(column.Type) && IsText(value.Type) && op is BinaryOperator.Equal or BinaryOperator.NotEqual)
                    {
                        _filters.Add(new PendingColumnFilter(name, op == BinaryOperator.Equal ? ColumnFilterOp.Equal : ColumnFilterOp.NotEqual, [value], false,
                            $"{name} {SqlOperators.Symbol(op)} {BoundTree.Describe(value)}"));
                    }

                    break;
                case BoundFunction { Function: ScalarFunction.RegexMatch, Arguments: [BoundColumn column, var pattern, BoundConstant { Value: int flags }] }
                    when BoundTree.IsRowFree(pattern) && _source.FilterableColumns.Contains(_table.Columns[column.Ordinal].Name):
                    var regexColumn = _table.Columns[column.Ordinal].Name;
                    var negated = (flags & 2) != 0;
                    var ignoreCase = (flags & 1) != 0;
                    var symbol = (negated ? "!~" : "~") + (ignoreCase ? "*" : string.Empty);
                    _filters.Add(new PendingColumnFilter(regexColumn, negated ? ColumnFilterOp.NotRegex : ColumnFilterOp.Regex, [pattern], ignoreCase,
                        $"{regexColumn} {symbol} {BoundTree.Describe(pattern)}"));
                    break;
                case BoundInList { Operand: BoundColumn column, Negated: false } list
                    when IsText(column.Type) && list.Items.All(i => BoundTree.IsRowFree(i) && IsText(i.Type)) && _source.FilterableColumns.Contains(_table.Columns[column.Ordinal].Name):
                    var inColumn = _table.Columns[column.Ordinal].Name;
                    _filters.Add(new PendingColumnFilter(inColumn, ColumnFilterOp.In, list.Items, false,
                        $"{inColumn} IN ({string.Join(", ", list.Items.Select(BoundTree.Describe))})"));
                    break;
            }
        }
    }

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var context = runtime.SystemContext ?? throw new SqlException(SqlState.InternalError, "no catalog for a system table");
        return _source.Rows(context, Evaluate(runtime));
    }

    private SystemTableFilter Evaluate(QueryRuntime runtime)
    {
        if (_filters.Count == 0 && _bounds.Count == 0)
        {
            return SystemTableFilter.None;
        }

        var columns = new List<ColumnFilter>(_filters.Count);
        foreach (var filter in _filters)
        {
            var values = new List<string>(filter.Values.Count);
            foreach (var value in filter.Values)
            {
                if (Value(runtime, value) is string text)
                {
                    values.Add(text);
                }
            }

            // A NULL makes = and ~ unknown (no row passes), but IN may still match its other items.
            if (values.Count == filter.Values.Count || (filter.Op == ColumnFilterOp.In && values.Count > 0))
            {
                columns.Add(new ColumnFilter(filter.Column, filter.Op, values, filter.IgnoreCase));
            }
        }

        long? from = null, to = null;
        foreach (var bound in _bounds)
        {
            if (Value(runtime, bound.Value) is not long micros)
            {
                continue;
            }

            if (bound.Op is BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual or BinaryOperator.Equal)
            {
                var low = bound.Op == BinaryOperator.GreaterThan && micros != long.MaxValue ? micros + 1 : micros;
                from = from is { } f ? Math.Max(f, low) : low;
            }

            if (bound.Op is BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual or BinaryOperator.Equal)
            {
                var high = bound.Op == BinaryOperator.LessThan && micros != long.MinValue ? micros - 1 : micros;
                to = to is { } t ? Math.Min(t, high) : high;
            }
        }

        return new SystemTableFilter(columns, from, to);
    }

    private static object? Value(QueryRuntime runtime, BoundExpression expression) =>
        expression is BoundConstant constant ? constant.Value : runtime.Evaluator.Evaluate(expression, [], 1).GetValue(0);

    private static bool IsText(SqlType type) => type.Kind is SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Unknown;

    private sealed record PendingColumnFilter(string Column, ColumnFilterOp Op, IReadOnlyList<BoundExpression> Values, bool IgnoreCase, string Text);

    private sealed record PendingTimeBound(BinaryOperator Op, BoundExpression Value, string Text);
}
