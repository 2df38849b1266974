namespace LumaDB.Query.Sql.Syntax;

/// <summary>Base of FROM-clause items.</summary>
public abstract record TableReference : SyntaxNode;

/// <summary><c>AS alias (c1, c2)</c> after a FROM item.</summary>
public sealed record TableAlias(string Name, SyntaxList<string> Columns) : SyntaxNode;

/// <summary>A table or view by name, <c>[ONLY] name [[AS] alias]</c>.</summary>
public sealed record NamedTableReference(QualifiedName Name, TableAlias? Alias, bool Only = false) : TableReference;

/// <summary>A derived table <c>[LATERAL] (SELECT ...) [AS] alias</c>.</summary>
public sealed record SubqueryTableReference(QueryExpression Query, TableAlias? Alias, bool Lateral) : TableReference;

/// <summary>A set-returning function in FROM, such as <c>generate_series(1, 10) AS g(n)</c>.</summary>
public sealed record FunctionTableReference(Expression Function, TableAlias? Alias, bool Lateral, bool WithOrdinality) : TableReference;

/// <summary>A join of two FROM items.</summary>
/// <param name="Kind">Join type.</param>
/// <param name="Left">Left input.</param>
/// <param name="Right">Right input.</param>
/// <param name="Natural">True for NATURAL joins.</param>
/// <param name="Condition">ON condition.</param>
/// <param name="Using">USING column list.</param>
/// <param name="Alias">Alias of a parenthesized join, <c>(a JOIN b USING (x)) AS j</c>.</param>
public sealed record JoinTableReference(JoinKind Kind, TableReference Left, TableReference Right, bool Natural, Expression? Condition, SyntaxList<string> Using, TableAlias? Alias = null) : TableReference;
