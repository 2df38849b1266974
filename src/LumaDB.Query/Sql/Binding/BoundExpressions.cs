using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Base of the typed expression tree the binder produces and the evaluator runs.</summary>
/// <param name="Type">The SQL type of the expression's value.</param>
public abstract record BoundExpression(SqlType Type);

/// <summary>A constant (already converted to <paramref name="Type"/>); a null value is SQL NULL.</summary>
public sealed record BoundConstant(object? Value, SqlType Type) : BoundExpression(Type);

/// <summary>An input column, addressed by its ordinal in the batch the expression runs over.</summary>
public sealed record BoundColumn(int Ordinal, string Name, SqlType Type) : BoundExpression(Type);

/// <summary>A positional parameter <c>$n</c> (1-based); its type is the one the binder inferred.</summary>
public sealed record BoundParameter(int Index, SqlType Type) : BoundExpression(Type);

/// <summary>A conversion to <paramref name="Type"/>.</summary>
public sealed record BoundCast(BoundExpression Operand, SqlType Type, bool IsExplicit) : BoundExpression(Type);

/// <summary>Unary minus on a number or interval.</summary>
public sealed record BoundNegate(BoundExpression Operand) : BoundExpression(Operand.Type);

/// <summary>Logical NOT.</summary>
public sealed record BoundNot(BoundExpression Operand) : BoundExpression(SqlType.Boolean);

/// <summary>
/// An arithmetic, comparison or concatenation operator whose operand types the binder has resolved; for
/// same-type operators both operands already have the operator's input type.
/// </summary>
public sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, SqlType Type) : BoundExpression(Type);

/// <summary>AND or OR with SQL three-valued logic.</summary>
public sealed record BoundLogical(bool IsAnd, BoundExpression Left, BoundExpression Right) : BoundExpression(SqlType.Boolean);

/// <summary><c>IS [NOT] NULL</c>.</summary>
public sealed record BoundNullTest(BoundExpression Operand, bool Negated) : BoundExpression(SqlType.Boolean);

/// <summary><c>IS [NOT] TRUE | FALSE | UNKNOWN</c>.</summary>
public sealed record BoundBooleanTest(BoundExpression Operand, IsTest Test, bool Negated) : BoundExpression(SqlType.Boolean);

/// <summary><c>IS [NOT] DISTINCT FROM</c>; operands share one type.</summary>
public sealed record BoundIsDistinct(BoundExpression Left, BoundExpression Right, bool Negated) : BoundExpression(SqlType.Boolean);

/// <summary><c>x [NOT] IN (...)</c>; the operand and items share one type.</summary>
public sealed record BoundInList(BoundExpression Operand, IReadOnlyList<BoundExpression> Items, bool Negated) : BoundExpression(SqlType.Boolean);

/// <summary><c>[NOT] LIKE | ILIKE</c> over text.</summary>
public sealed record BoundLike(BoundExpression Operand, BoundExpression Pattern, BoundExpression? Escape, bool CaseInsensitive, bool Negated) : BoundExpression(SqlType.Boolean);

/// <summary>A searched CASE (a simple CASE is rewritten to equality tests).</summary>
public sealed record BoundCase(IReadOnlyList<BoundWhen> Whens, BoundExpression? Else, SqlType Type) : BoundExpression(Type);

/// <summary>One WHEN arm of a <see cref="BoundCase"/>.</summary>
public sealed record BoundWhen(BoundExpression Condition, BoundExpression Result);

/// <summary>A built-in scalar function call; arguments already have the types the function takes.</summary>
public sealed record BoundFunction(ScalarFunction Function, IReadOnlyList<BoundExpression> Arguments, SqlType Type) : BoundExpression(Type);
