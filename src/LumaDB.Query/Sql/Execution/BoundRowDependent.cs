using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>A bound node the planner adds (outer references, subqueries) that evaluates itself against the running query.</summary>
internal abstract record BoundRowDependent(SqlType Type) : BoundExpression(Type)
{
    /// <summary>Evaluates the node over <paramref name="input"/>.</summary>
    public abstract ColumnVector Evaluate(ExpressionEvaluator evaluator, BatchInput input);
}
