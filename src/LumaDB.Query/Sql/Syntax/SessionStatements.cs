namespace LumaDB.Query.Sql.Syntax;

/// <summary>BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE, ROLLBACK TO SAVEPOINT.</summary>
/// <param name="Kind">What the statement does.</param>
/// <param name="Savepoint">Savepoint name for SAVEPOINT, RELEASE and ROLLBACK TO.</param>
/// <param name="Modes">Transaction modes for BEGIN/START TRANSACTION.</param>
/// <param name="Chain">True for COMMIT/ROLLBACK AND CHAIN.</param>
public sealed record TransactionStatement(TransactionCommand Kind, string? Savepoint, TransactionModes? Modes, bool Chain = false) : Statement;

/// <summary>Transaction characteristics; null members were not written.</summary>
public sealed record TransactionModes(IsolationLevel? Isolation, bool? ReadOnly, bool? Deferrable) : SyntaxNode;

/// <summary><c>SET TRANSACTION modes</c> / <c>SET SESSION CHARACTERISTICS AS TRANSACTION modes</c>.</summary>
public sealed record SetTransactionStatement(TransactionModes Modes, bool SessionCharacteristics) : Statement;

/// <summary><c>SET [SESSION | LOCAL] name {= | TO} value, ... | DEFAULT</c>; SET TIME ZONE sets <c>timezone</c>.</summary>
/// <param name="Scope">SESSION (the default) or LOCAL.</param>
/// <param name="Name">Parameter name, case-folded; dotted for custom parameters.</param>
/// <param name="Values">The values; empty for DEFAULT. Words are kept as string literals.</param>
public sealed record SetStatement(SetScope Scope, string Name, SyntaxList<Expression> Values) : Statement
{
    /// <summary>True for <c>SET x TO DEFAULT</c>.</summary>
    public bool IsDefault => Values.IsEmpty;
}

/// <summary><c>RESET name</c> or <c>RESET ALL</c> (<paramref name="Name"/> null).</summary>
public sealed record ResetStatement(string? Name) : Statement;

/// <summary><c>SHOW name</c> or <c>SHOW ALL</c> (<paramref name="Name"/> <c>all</c>).</summary>
public sealed record ShowStatement(string Name) : Statement;

/// <summary><c>EXPLAIN [ANALYZE] [VERBOSE] statement</c> or <c>EXPLAIN (options) statement</c>.</summary>
public sealed record ExplainStatement(SyntaxList<SqlOption> Options, Statement Statement) : Statement;

/// <summary><c>CREATE ROLE | USER | GROUP name [WITH] options</c>.</summary>
public sealed record CreateRoleStatement(RoleKeyword Keyword, string Name, SyntaxList<SqlOption> Options) : Statement;

/// <summary><c>ALTER ROLE | USER name [WITH] options</c>, <c>RENAME TO</c>, or <c>SET param = value</c>.</summary>
/// <param name="Name">Role name.</param>
/// <param name="Options">Role options such as <c>login</c>, <c>password 'x'</c>.</param>
/// <param name="RenameTo">New name for RENAME TO.</param>
/// <param name="Set">A per-role parameter setting.</param>
public sealed record AlterRoleStatement(string Name, SyntaxList<SqlOption> Options, string? RenameTo, SetStatement? Set) : Statement;

/// <summary><c>GRANT privileges ON [kind] objects TO roles [WITH GRANT OPTION]</c>, or <c>GRANT role TO role</c> when <paramref name="Objects"/> is empty.</summary>
/// <param name="Privileges">Privilege names (<c>select</c>, <c>all</c>...) or granted role names.</param>
/// <param name="ObjectKind">Kind of the objects.</param>
/// <param name="Objects">Objects; empty for a role-membership grant.</param>
/// <param name="Grantees">Receiving roles (<c>public</c> for PUBLIC).</param>
/// <param name="WithGrantOption">WITH GRANT OPTION / WITH ADMIN OPTION.</param>
public sealed record GrantStatement(SyntaxList<string> Privileges, GrantObjectKind ObjectKind, SyntaxList<QualifiedName> Objects, SyntaxList<string> Grantees, bool WithGrantOption) : Statement;

/// <summary><c>REVOKE [GRANT OPTION FOR] privileges ON [kind] objects FROM roles [CASCADE | RESTRICT]</c>, or a role-membership revoke.</summary>
public sealed record RevokeStatement(SyntaxList<string> Privileges, GrantObjectKind ObjectKind, SyntaxList<QualifiedName> Objects, SyntaxList<string> Grantees, bool GrantOptionFor, DropBehavior Behavior) : Statement;

/// <summary><c>PREPARE name [(types)] AS statement</c>.</summary>
public sealed record PrepareStatement(string Name, SyntaxList<TypeName> ParameterTypes, Statement Statement) : Statement;

/// <summary><c>EXECUTE name [(args)]</c>.</summary>
public sealed record ExecuteStatement(string Name, SyntaxList<Expression> Arguments) : Statement;

/// <summary><c>DEALLOCATE [PREPARE] name | ALL</c> (<paramref name="Name"/> null for ALL).</summary>
public sealed record DeallocateStatement(string? Name) : Statement;

/// <summary><c>DISCARD ALL | PLANS | SEQUENCES | TEMP</c>.</summary>
public sealed record DiscardStatement(DiscardTarget Target) : Statement;
