using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Tests.Sql.Parser;

/// <summary>Short constructors for expected trees (spans do not take part in equality).</summary>
internal static class Ast
{
    public static ColumnReference Col(params string[] parts) => new(new SyntaxList<string>(parts));

    public static IntegerLiteral Int(long value) => new(value);

    public static StringLiteral Str(string value) => new(value);

    public static BinaryExpression Bin(BinaryOperator op, Expression left, Expression right) => new(op, left, right);

    public static TypeName Type(string name, int[]? modifiers = null, int[]? bounds = null, string? fields = null) =>
        new(QualifiedName.Of(name), new SyntaxList<int>(modifiers ?? []), new SyntaxList<int>(bounds ?? []), fields);

    public static FunctionCall Call(string name, params Expression[] args) =>
        new(QualifiedName.Of(name), new SyntaxList<FunctionArgument>(args.Select(a => new FunctionArgument(null, a)).ToArray()));
}
