namespace LumaDB.Query.Sql.Syntax;

/// <summary>
/// A complete query: an optional WITH, a body (SELECT, VALUES or a set operation), and the clauses that
/// apply to the whole body — ORDER BY, LIMIT/OFFSET/FETCH and row locking.
/// </summary>
public sealed record QueryExpression(
    WithClause? With,
    QueryBody Body,
    SyntaxList<OrderByItem> OrderBy,
    Expression? Limit = null,
    Expression? Offset = null,
    bool WithTies = false,
    SyntaxList<LockingClause>? Locking = null) : SyntaxNode
{
    /// <summary>True when only the body is present, so the query can stand wherever a body can.</summary>
    public bool IsBareBody => With is null && OrderBy.IsEmpty && Limit is null && Offset is null && (Locking is null || Locking.IsEmpty);
}

/// <summary>Base of the things a query's body can be.</summary>
public abstract record QueryBody : SyntaxNode;

/// <summary>A SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... WINDOW ... block.</summary>
/// <param name="Distinct">True for SELECT DISTINCT (with or without ON).</param>
/// <param name="DistinctOn">The DISTINCT ON expressions, or null.</param>
/// <param name="Targets">The target list.</param>
/// <param name="From">FROM items; several items are an implicit cross join.</param>
/// <param name="Where">WHERE condition.</param>
/// <param name="GroupBy">GROUP BY items; <see cref="GroupingSetExpression"/> stands for ROLLUP/CUBE/GROUPING SETS.</param>
/// <param name="GroupByDistinct">True for GROUP BY DISTINCT.</param>
/// <param name="Having">HAVING condition.</param>
/// <param name="Windows">Named windows from the WINDOW clause.</param>
public sealed record SelectBody(
    bool Distinct,
    SyntaxList<Expression>? DistinctOn,
    SyntaxList<SelectItem> Targets,
    SyntaxList<TableReference> From,
    Expression? Where,
    SyntaxList<Expression> GroupBy,
    bool GroupByDistinct,
    Expression? Having,
    SyntaxList<WindowDefinition> Windows) : QueryBody;

/// <summary><c>VALUES (..), (..)</c>; all rows should have the same width.</summary>
public sealed record ValuesBody(SyntaxList<SyntaxList<Expression>> Rows) : QueryBody;

/// <summary><c>left UNION|INTERSECT|EXCEPT [ALL] right</c>.</summary>
public sealed record SetOperationBody(SetOperator Operator, bool All, QueryBody Left, QueryBody Right) : QueryBody;

/// <summary>A parenthesized query with its own ORDER BY/LIMIT/WITH used as an operand of a set operation.</summary>
public sealed record ParenthesizedQueryBody(QueryExpression Query) : QueryBody;

/// <summary>One entry of a SELECT target list or RETURNING list.</summary>
public sealed record SelectItem(Expression Expression, string? Alias) : SyntaxNode;

/// <summary>An ORDER BY item.</summary>
/// <param name="Expression">Sort key; an integer literal is an output-column ordinal.</param>
/// <param name="Direction">ASC, DESC, USING or unspecified.</param>
/// <param name="UsingOperator">For USING: the operator, such as <c>&lt;</c>.</param>
/// <param name="Nulls">NULLS FIRST/LAST or unspecified.</param>
public sealed record OrderByItem(Expression Expression, SortDirection Direction = SortDirection.Default, string? UsingOperator = null, NullsOrder Nulls = NullsOrder.Default) : SyntaxNode;

/// <summary><c>WITH [RECURSIVE] name AS (...), ...</c>.</summary>
public sealed record WithClause(bool Recursive, SyntaxList<CommonTableExpression> Tables) : SyntaxNode;

/// <summary>One common table expression; the body is a query or a data-modifying statement with RETURNING.</summary>
public sealed record CommonTableExpression(string Name, SyntaxList<string> Columns, CteMaterialization Materialization, Statement Body) : SyntaxNode;

/// <summary><c>FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF t, ...] [NOWAIT | SKIP LOCKED]</c>.</summary>
public sealed record LockingClause(LockStrength Strength, SyntaxList<QualifiedName> Of, LockWaitPolicy WaitPolicy) : SyntaxNode;

/// <summary>The window a function is evaluated over: either a bare name (<c>OVER w</c>) or a specification.</summary>
public abstract record WindowReference : SyntaxNode;

/// <summary><c>OVER w</c>.</summary>
public sealed record NamedWindowReference(string Name) : WindowReference;

/// <summary><c>([existing] [PARTITION BY ...] [ORDER BY ...] [frame])</c>.</summary>
public sealed record WindowSpecification(string? ExistingWindow, SyntaxList<Expression> PartitionBy, SyntaxList<OrderByItem> OrderBy, WindowFrame? Frame) : WindowReference;

/// <summary>A named window in the WINDOW clause.</summary>
public sealed record WindowDefinition(string Name, WindowSpecification Specification) : SyntaxNode;

/// <summary><c>ROWS|RANGE|GROUPS [BETWEEN] start [AND end] [EXCLUDE ...]</c>.</summary>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End, FrameExclusion Exclusion) : SyntaxNode;

/// <summary>A frame bound: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING, UNBOUNDED FOLLOWING.</summary>
public sealed record FrameBound(FrameBoundKind Kind, Expression? Offset) : SyntaxNode;
