namespace LumaDB.Query.Sql.Syntax;

/// <summary>Base of all statements.</summary>
public abstract record Statement : SyntaxNode;

/// <summary>A query run as a statement: SELECT, VALUES, TABLE, set operations, WITH ... SELECT.</summary>
public sealed record SelectStatement(QueryExpression Query) : Statement;

/// <summary><c>INSERT INTO t [(cols)] {VALUES ... | query | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...]</c>.</summary>
/// <param name="With">Leading WITH clause.</param>
/// <param name="Table">Target table.</param>
/// <param name="Alias">Target alias (<c>INSERT INTO t AS x</c>).</param>
/// <param name="Columns">Explicit column list; empty when not written.</param>
/// <param name="Source">The rows to insert; null for DEFAULT VALUES.</param>
/// <param name="OnConflict">ON CONFLICT clause.</param>
/// <param name="Returning">RETURNING list; empty when not written.</param>
public sealed record InsertStatement(
    WithClause? With,
    QualifiedName Table,
    string? Alias,
    SyntaxList<string> Columns,
    QueryExpression? Source,
    OnConflictClause? OnConflict,
    SyntaxList<SelectItem> Returning) : Statement
{
    /// <summary>What an OVERRIDING clause asked of identity columns; <see cref="InsertOverriding.None"/> without one.</summary>
    public InsertOverriding Overriding { get; init; }
}

/// <summary>The OVERRIDING clause of an INSERT.</summary>
public enum InsertOverriding
{
    /// <summary>No clause: a value for a GENERATED ALWAYS identity column is an error.</summary>
    None,

    /// <summary>OVERRIDING SYSTEM VALUE: values given for GENERATED ALWAYS identity columns are stored.</summary>
    System,

    /// <summary>OVERRIDING USER VALUE: values given for identity columns are ignored; the sequence supplies them.</summary>
    User,
}

/// <summary><c>ON CONFLICT [(targets) [WHERE ...] | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE ...]</c>.</summary>
/// <param name="Targets">Conflict target index expressions (usually columns); empty when not written.</param>
/// <param name="TargetWhere">Partial-index predicate of the conflict target.</param>
/// <param name="Constraint">ON CONSTRAINT name.</param>
/// <param name="DoUpdate">True for DO UPDATE, false for DO NOTHING.</param>
/// <param name="Assignments">DO UPDATE SET assignments.</param>
/// <param name="Where">DO UPDATE ... WHERE condition.</param>
public sealed record OnConflictClause(
    SyntaxList<Expression> Targets,
    Expression? TargetWhere,
    string? Constraint,
    bool DoUpdate,
    SyntaxList<Assignment> Assignments,
    Expression? Where) : SyntaxNode;

/// <summary><c>col = value</c> or <c>(a, b) = (x, y)</c> / <c>(a, b) = (SELECT ...)</c> in SET lists.</summary>
/// <param name="Columns">Target columns.</param>
/// <param name="Value">New value; a row or subquery for the multi-column form.</param>
/// <param name="IsMultiColumn">True when the columns were written in parentheses.</param>
public sealed record Assignment(SyntaxList<string> Columns, Expression Value, bool IsMultiColumn) : SyntaxNode;

/// <summary><c>UPDATE t [AS a] SET ... [FROM ...] [WHERE ...] [RETURNING ...]</c>.</summary>
public sealed record UpdateStatement(
    WithClause? With,
    QualifiedName Table,
    string? Alias,
    SyntaxList<Assignment> Assignments,
    SyntaxList<TableReference> From,
    Expression? Where,
    SyntaxList<SelectItem> Returning) : Statement;

/// <summary><c>DELETE FROM t [AS a] [USING ...] [WHERE ...] [RETURNING ...]</c>.</summary>
public sealed record DeleteStatement(
    WithClause? With,
    QualifiedName Table,
    string? Alias,
    SyntaxList<TableReference> Using,
    Expression? Where,
    SyntaxList<SelectItem> Returning) : Statement;

/// <summary><c>TRUNCATE [TABLE] t, ... [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT]</c>.</summary>
public sealed record TruncateStatement(SyntaxList<QualifiedName> Tables, bool RestartIdentity, DropBehavior Behavior) : Statement;

/// <summary><c>COPY t [(cols)] FROM STDIN | TO STDOUT</c> or <c>COPY (query) TO ...</c>, with options.</summary>
/// <param name="Table">Table, when copying a table.</param>
/// <param name="Columns">Column list for a table copy.</param>
/// <param name="Query">Query, when copying a query's result.</param>
/// <param name="IsFrom">True for COPY ... FROM (load), false for COPY ... TO (unload).</param>
/// <param name="FileName">A server file name, or null for STDIN/STDOUT.</param>
/// <param name="Options">Options, old-style ones translated to the new names (<c>CSV</c> → <c>format 'csv'</c>).</param>
public sealed record CopyStatement(QualifiedName? Table, SyntaxList<string> Columns, QueryExpression? Query, bool IsFrom, string? FileName, SyntaxList<SqlOption> Options) : Statement;

/// <summary>
/// <c>COMMENT ON TABLE name IS 'text' | NULL</c> or <c>COMMENT ON COLUMN table.column IS ...</c>; a null
/// <paramref name="Text"/> removes the comment.
/// </summary>
/// <param name="OnColumn">True for COLUMN: the last part of <paramref name="Name"/> is the column.</param>
/// <param name="Name">The table, or for COLUMN the table and column.</param>
/// <param name="Text">The comment, or null for IS NULL.</param>
public sealed record CommentStatement(bool OnColumn, QualifiedName Name, string? Text) : Statement;
