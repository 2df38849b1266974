using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>A column of an enclosing query's current row (correlated subqueries); <paramref name="Level"/> 1 is the nearest enclosing query.</summary>
internal sealed record BoundOuterColumn(int Level, int Ordinal, string Name, SqlType Type) : BoundRowDependent(Type)
{
    /// <inheritdoc />
    public override ColumnVector Evaluate(ExpressionEvaluator evaluator, BatchInput input)
    {
        var runtime = evaluator.Context.Runtime ?? throw new SqlException(SqlState.InternalError, "outer reference outside a query");
        var row = runtime.OuterRows[^Level];
        return ColumnVector.Repeat(Type, row[Ordinal], input.RowCount);
    }
}
