using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>What a subquery expression computes.</summary>
internal enum SubqueryKind
{
    /// <summary>A scalar subquery: its single value, NULL when empty, an error with more than one row.</summary>
    Scalar,

    /// <summary>EXISTS.</summary>
    Exists,

    /// <summary><c>x op ANY (subquery)</c>, which IN is.</summary>
    Any,

    /// <summary><c>x op ALL (subquery)</c>.</summary>
    All,

    /// <summary><c>ARRAY(subquery)</c>: the column's values in row order as one array, empty when no rows.</summary>
    Array,
}

/// <summary>
/// A subquery used as an expression. Uncorrelated subqueries run once per statement execution and are
/// cached; correlated ones run again for each input row with that row pushed as the outer row.
/// </summary>
internal sealed record BoundSubquery(
    SubqueryKind Kind,
    PlanNode Plan,
    bool Correlated,
    IReadOnlyList<PlanColumn> RowColumns,
    BoundExpression? Operand,
    BinaryOperator Operator,
    bool Negated,
    SqlType Type) : BoundRowDependent(Type)
{
    /// <inheritdoc />
    public override ColumnVector Evaluate(ExpressionEvaluator evaluator, BatchInput input)
    {
        var runtime = evaluator.Context.Runtime ?? throw new SqlException(SqlState.InternalError, "subquery outside a query");
        var operand = Operand is null ? null : evaluator.Evaluate(Operand, input);
        var result = ColumnVector.Allocate(Type, input.RowCount);
        ResultBatch? shared = null;
        if (!Correlated)
        {
            if (!runtime.Cache.TryGetValue(this, out var cached))
            {
                cached = Plan.Materialize(runtime);
                runtime.Cache[this] = cached;
            }

            shared = (ResultBatch)cached;
        }

        var columns = shared is null ? RowColumns.Select((c, i) => input.Column(i, c.Type)).ToArray() : null;
        for (var r = 0; r < input.RowCount; r++)
        {
            ResultBatch rows;
            if (shared is { } s)
            {
                rows = s;
            }
            else
            {
                var outer = new object?[columns!.Length];
                for (var c = 0; c < outer.Length; c++)
                {
                    outer[c] = columns[c].GetValue(r);
                }

                runtime.OuterRows.Add(outer);
                try
                {
                    rows = Plan.Materialize(runtime);
                }
                finally
                {
                    runtime.OuterRows.RemoveAt(runtime.OuterRows.Count - 1);
                }
            }

            var value = Compute(rows, operand, r);
            if (value is null)
            {
                result.SetNull(r);
            }
            else
            {
                result.Values.SetValue(value, r);
            }
        }

        return result;
    }

    private object? Compute(ResultBatch rows, ColumnVector? operand, int row)
    {
        switch (Kind)
        {
            case SubqueryKind.Scalar:
                if (rows.RowCount > 1)
                {
                    throw new SqlException(SqlState.CardinalityViolation, "more than one row returned by a subquery used as an expression");
                }

                return rows.RowCount == 0 ? null : rows.Columns[0].GetValue(0);
            case SubqueryKind.Exists:
                return rows.RowCount > 0;
            case SubqueryKind.Array:
                var items = new object?[rows.RowCount];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = rows.Columns[0].GetValue(i);
                }

                return items;
            default:
                {
                    var isAll = Kind == SubqueryKind.All;
                    if (rows.RowCount == 0)
                    {
                        return isAll != Negated;
                    }

                    var value = operand!.GetValue(row);
                    var outcome = value is null
                        ? null
                        : ExpressionEvaluator.QuantifiedOutcome(ExpressionEvaluator.Compare(Operator, ColumnVector.Repeat(operand.Type, value, rows.RowCount), rows.Columns[0]), isAll);

                    return outcome is null ? null : outcome.Value != Negated;
                }
        }
    }
}
