namespace LumaDB.Query.Sql.Syntax;

/// <summary>Base of all scalar expressions.</summary>
public abstract record Expression : SyntaxNode;

/// <summary>An integer constant that fits in 64 bits (decimal, hex, octal or binary in the source).</summary>
public sealed record IntegerLiteral(long Value) : Expression;

/// <summary>A numeric constant with a fraction, an exponent, or too large for 64 bits; kept as its text (underscores removed).</summary>
public sealed record NumericLiteral(string Text) : Expression;

/// <summary>A string constant after escape processing and concatenation of adjacent parts.</summary>
public sealed record StringLiteral(string Value) : Expression;

/// <summary>A bit-string constant <c>B'0101'</c> or <c>X'1F'</c>.</summary>
/// <param name="Digits">The digits as written between the quotes.</param>
/// <param name="IsHex">True for <c>X'..'</c>.</param>
public sealed record BitStringLiteral(string Digits, bool IsHex) : Expression;

/// <summary>TRUE or FALSE.</summary>
public sealed record BooleanLiteral(bool Value) : Expression;

/// <summary>The NULL constant.</summary>
public sealed record NullLiteral : Expression;

/// <summary>The DEFAULT marker in INSERT VALUES and UPDATE SET.</summary>
public sealed record DefaultExpression : Expression;

/// <summary>A constant of a named type: <c>DATE '2024-01-01'</c>, <c>INTERVAL '1' HOUR</c>.</summary>
public sealed record TypedLiteral(TypeName Type, string Value) : Expression;

/// <summary>A positional parameter <c>$n</c> (1-based).</summary>
public sealed record ParameterReference(int Index) : Expression;

/// <summary>A column reference <c>a</c>, <c>t.a</c> or <c>s.t.a</c>; parts are case-folded.</summary>
public sealed record ColumnReference(SyntaxList<string> Parts) : Expression
{
    /// <summary>The column's own name.</summary>
    public string Name => Parts[^1];
}

/// <summary><c>*</c> or <c>t.*</c> in a target list or row constructor.</summary>
/// <param name="Qualifier">The relation name before <c>.*</c>, or null for a bare <c>*</c>.</param>
public sealed record StarExpression(QualifiedName? Qualifier) : Expression;

/// <summary>An infix operator application.</summary>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression
{
    /// <summary>Where the operator was written (left out of equality, as every span is).</summary>
    public SourceSpan OperatorSpan { get; init; }

    /// <inheritdoc/>
    public bool Equals(BinaryExpression? other) =>
        base.Equals(other) && Operator == other.Operator && Left.Equals(other.Left) && Right.Equals(other.Right);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Operator, Left, Right);
}

/// <summary>A prefix operator application.</summary>
public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand) : Expression;

/// <summary>An operator that has no entry in <see cref="BinaryOperator"/> or <see cref="UnaryOperator"/>; <paramref name="Left"/> is null for a prefix use.</summary>
public sealed record CustomOperatorExpression(string Operator, Expression? Left, Expression Right) : Expression
{
    /// <summary>Where the operator was written (left out of equality, as every span is).</summary>
    public SourceSpan OperatorSpan { get; init; }

    /// <inheritdoc/>
    public bool Equals(CustomOperatorExpression? other) =>
        base.Equals(other) && Operator == other.Operator && Equals(Left, other.Left) && Right.Equals(other.Right);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Operator, Left, Right);
}

/// <summary><c>x IS [NOT] NULL | TRUE | FALSE | UNKNOWN</c>, also <c>ISNULL</c> / <c>NOTNULL</c>.</summary>
public sealed record IsExpression(Expression Operand, IsTest Test, bool Negated) : Expression;

/// <summary><c>a IS [NOT] DISTINCT FROM b</c>.</summary>
public sealed record IsDistinctFromExpression(Expression Left, Expression Right, bool Negated) : Expression;

/// <summary><c>x [NOT] BETWEEN [SYMMETRIC] low AND high</c>.</summary>
public sealed record BetweenExpression(Expression Operand, Expression Low, Expression High, bool Negated, bool Symmetric) : Expression;

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
public sealed record InListExpression(Expression Operand, SyntaxList<Expression> Items, bool Negated) : Expression;

/// <summary><c>x [NOT] IN (SELECT ...)</c>.</summary>
public sealed record InSubqueryExpression(Expression Operand, QueryExpression Query, bool Negated) : Expression;

/// <summary><c>x [NOT] LIKE | ILIKE | SIMILAR TO pattern [ESCAPE e]</c>.</summary>
public sealed record LikeExpression(Expression Operand, Expression Pattern, Expression? Escape, LikeKind Kind, bool Negated) : Expression;

/// <summary>Simple (<paramref name="Operand"/> set) or searched CASE.</summary>
public sealed record CaseExpression(Expression? Operand, SyntaxList<WhenClause> Whens, Expression? Else) : Expression;

/// <summary>One <c>WHEN condition THEN result</c> arm of a CASE.</summary>
public sealed record WhenClause(Expression Condition, Expression Result) : SyntaxNode;

/// <summary><c>CAST(x AS t)</c> or <c>x::t</c>; <paramref name="IsOperatorSyntax"/> records which, for printing.</summary>
public sealed record CastExpression(Expression Operand, TypeName Type, bool IsOperatorSyntax) : Expression;

/// <summary>A function or aggregate call, with the optional aggregate and window decorations.</summary>
/// <param name="Name">Function name, case-folded.</param>
/// <param name="Arguments">Arguments in order.</param>
/// <param name="IsStar">True for <c>count(*)</c>.</param>
/// <param name="Distinct">True for <c>f(DISTINCT ...)</c>.</param>
/// <param name="OrderBy">Aggregate-argument ordering <c>f(x ORDER BY y)</c>.</param>
/// <param name="WithinGroup">Ordered-set ordering <c>WITHIN GROUP (ORDER BY ...)</c>.</param>
/// <param name="Filter">The <c>FILTER (WHERE ...)</c> condition.</param>
/// <param name="Over">The window the call is evaluated over, if any.</param>
public sealed record FunctionCall(
    QualifiedName Name,
    SyntaxList<FunctionArgument> Arguments,
    bool IsStar = false,
    bool Distinct = false,
    SyntaxList<OrderByItem>? OrderBy = null,
    SyntaxList<OrderByItem>? WithinGroup = null,
    Expression? Filter = null,
    WindowReference? Over = null) : Expression;

/// <summary>A function argument, positional or named (<c>name => value</c>).</summary>
public sealed record FunctionArgument(string? Name, Expression Value) : SyntaxNode;

/// <summary><c>EXTRACT(field FROM source)</c>; the field is case-folded (<c>year</c>, <c>epoch</c>...).</summary>
public sealed record ExtractExpression(string Field, Expression Source) : Expression;

/// <summary>A scalar subquery <c>(SELECT ...)</c>.</summary>
public sealed record SubqueryExpression(QueryExpression Query) : Expression;

/// <summary><c>EXISTS (SELECT ...)</c>.</summary>
public sealed record ExistsExpression(QueryExpression Query) : Expression;

/// <summary><c>x op ANY|SOME|ALL (subquery or array)</c>; <paramref name="Right"/> is a <see cref="SubqueryExpression"/> for the subquery form.</summary>
public sealed record QuantifiedComparison(Expression Left, BinaryOperator Operator, Quantifier Quantifier, Expression Right) : Expression;

/// <summary><c>ARRAY[a, b]</c>; nested brackets are nested array expressions.</summary>
public sealed record ArrayExpression(SyntaxList<Expression> Elements) : Expression;

/// <summary><c>ARRAY(SELECT ...)</c>.</summary>
public sealed record ArraySubqueryExpression(QueryExpression Query) : Expression;

/// <summary>An array subscript <c>a[i]</c> or slice <c>a[lo:hi]</c> (either bound may be missing in a slice).</summary>
public sealed record SubscriptExpression(Expression Operand, Expression? Lower, Expression? Upper, bool IsSlice) : Expression;

/// <summary>A row constructor <c>ROW(a, b)</c> or <c>(a, b)</c>.</summary>
public sealed record RowExpression(SyntaxList<Expression> Fields, bool HasRowKeyword) : Expression;

/// <summary>Field selection from a composite value <c>(x).f</c>; a null field means <c>(x).*</c>.</summary>
public sealed record FieldSelectionExpression(Expression Operand, string? Field) : Expression;

/// <summary>CURRENT_DATE, CURRENT_TIMESTAMP(p), CURRENT_USER and their kin.</summary>
public sealed record SqlValueFunction(SqlValueFunctionKind Kind, int? Precision) : Expression;

/// <summary><c>x COLLATE "name"</c>.</summary>
public sealed record CollateExpression(Expression Operand, QualifiedName Collation) : Expression;

/// <summary><c>x AT TIME ZONE zone</c>, or <c>x AT LOCAL</c> when <paramref name="Zone"/> is null.</summary>
public sealed record AtTimeZoneExpression(Expression Operand, Expression? Zone) : Expression;

/// <summary><c>ROLLUP(...)</c>, <c>CUBE(...)</c>, <c>GROUPING SETS (...)</c> or <c>()</c> in GROUP BY.</summary>
public sealed record GroupingSetExpression(GroupingSetKind Kind, SyntaxList<Expression> Items) : Expression;
