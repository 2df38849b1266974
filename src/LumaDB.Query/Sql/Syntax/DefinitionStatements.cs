namespace LumaDB.Query.Sql.Syntax;

/// <summary><c>CREATE TABLE [IF NOT EXISTS] t (columns, constraints) [WITH (options)]</c>.</summary>
public sealed record CreateTableStatement(
    QualifiedName Name,
    bool IfNotExists,
    bool Temporary,
    SyntaxList<ColumnDefinition> Columns,
    SyntaxList<TableConstraint> Constraints,
    SyntaxList<SqlOption> Options) : Statement;

/// <summary><c>CREATE TABLE t [(cols)] [WITH (options)] AS query [WITH [NO] DATA]</c>.</summary>
public sealed record CreateTableAsStatement(
    QualifiedName Name,
    bool IfNotExists,
    bool Temporary,
    SyntaxList<string> Columns,
    SyntaxList<SqlOption> Options,
    QueryExpression Query,
    bool WithData) : Statement;

/// <summary>A column in CREATE TABLE or ALTER TABLE ADD COLUMN.</summary>
public sealed record ColumnDefinition(string Name, TypeName Type, SyntaxList<ColumnConstraint> Constraints, QualifiedName? Collation = null) : SyntaxNode;

/// <summary>A column constraint; which members are set depends on <paramref name="Kind"/>.</summary>
/// <param name="Name">CONSTRAINT name, if given.</param>
/// <param name="Kind">Constraint kind.</param>
/// <param name="Expression">DEFAULT value, CHECK condition or GENERATED expression.</param>
/// <param name="References">REFERENCES target.</param>
public sealed record ColumnConstraint(string? Name, ColumnConstraintKind Kind, Expression? Expression = null, ForeignKeyReference? References = null) : SyntaxNode
{
    /// <summary>The sequence options of an identity column (<c>AS IDENTITY (START WITH 10)</c>), or null.</summary>
    public SyntaxList<SequenceOption>? SequenceOptions { get; init; }
}

/// <summary>A table constraint: PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY.</summary>
public sealed record TableConstraint(string? Name, TableConstraintKind Kind, SyntaxList<string> Columns, Expression? Check = null, ForeignKeyReference? References = null) : SyntaxNode;

/// <summary><c>REFERENCES t [(cols)] [ON DELETE action] [ON UPDATE action]</c>.</summary>
public sealed record ForeignKeyReference(QualifiedName Table, SyntaxList<string> Columns, ReferentialAction OnDelete, ReferentialAction OnUpdate) : SyntaxNode;

/// <summary><c>DROP kind [IF EXISTS] name, ... [CASCADE | RESTRICT]</c>.</summary>
public sealed record DropStatement(DropObjectKind Kind, bool IfExists, SyntaxList<QualifiedName> Names, DropBehavior Behavior, bool Concurrently = false) : Statement;

/// <summary><c>ALTER TABLE [IF EXISTS] [ONLY] t action, ...</c>.</summary>
public sealed record AlterTableStatement(QualifiedName Table, bool IfExists, SyntaxList<AlterTableAction> Actions) : Statement;

/// <summary>Base of ALTER TABLE actions.</summary>
public abstract record AlterTableAction : SyntaxNode;

/// <summary><c>ADD [COLUMN] [IF NOT EXISTS] definition</c>.</summary>
public sealed record AddColumnAction(ColumnDefinition Column, bool IfNotExists) : AlterTableAction;

/// <summary><c>DROP [COLUMN] [IF EXISTS] name [CASCADE | RESTRICT]</c>.</summary>
public sealed record DropColumnAction(string Column, bool IfExists, DropBehavior Behavior) : AlterTableAction;

/// <summary><c>RENAME [COLUMN] old TO new</c>.</summary>
public sealed record RenameColumnAction(string Column, string NewName) : AlterTableAction;

/// <summary><c>RENAME TO new</c>.</summary>
public sealed record RenameTableAction(string NewName) : AlterTableAction;

/// <summary><c>ALTER [COLUMN] c [SET DATA] TYPE t [USING expr]</c>.</summary>
public sealed record AlterColumnTypeAction(string Column, TypeName Type, Expression? Using) : AlterTableAction;

/// <summary><c>ALTER [COLUMN] c SET DEFAULT expr</c>, or DROP DEFAULT when <paramref name="Default"/> is null.</summary>
public sealed record AlterColumnDefaultAction(string Column, Expression? Default) : AlterTableAction;

/// <summary><c>ALTER [COLUMN] c SET NOT NULL</c> or <c>DROP NOT NULL</c>.</summary>
public sealed record AlterColumnNullabilityAction(string Column, bool NotNull) : AlterTableAction;

/// <summary><c>ALTER [COLUMN] c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]</c>.</summary>
public sealed record AddIdentityAction(string Column, bool Always, SyntaxList<SequenceOption>? Options) : AlterTableAction;

/// <summary><c>ALTER [COLUMN] c DROP IDENTITY [IF EXISTS]</c>.</summary>
public sealed record DropIdentityAction(string Column, bool IfExists) : AlterTableAction;

/// <summary><c>ADD table-constraint</c>.</summary>
public sealed record AddConstraintAction(TableConstraint Constraint) : AlterTableAction;

/// <summary><c>DROP CONSTRAINT [IF EXISTS] name [CASCADE | RESTRICT]</c>.</summary>
public sealed record DropConstraintAction(string Name, bool IfExists, DropBehavior Behavior) : AlterTableAction;

/// <summary><c>SET (options)</c>.</summary>
public sealed record SetTableOptionsAction(SyntaxList<SqlOption> Options) : AlterTableAction;

/// <summary><c>CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON t [USING method] (elements) [INCLUDE (...)] [WITH (...)] [WHERE ...]</c>.</summary>
public sealed record CreateIndexStatement(
    string? Name,
    QualifiedName Table,
    bool Unique,
    bool IfNotExists,
    bool Concurrently,
    string? Method,
    SyntaxList<IndexElement> Elements,
    SyntaxList<string> Include,
    SyntaxList<SqlOption> Options,
    Expression? Where) : Statement;

/// <summary>An indexed column or expression with its operator class and ordering.</summary>
public sealed record IndexElement(Expression Expression, QualifiedName? OperatorClass, SortDirection Direction, NullsOrder Nulls) : SyntaxNode;

/// <summary><c>CREATE [OR REPLACE] [TEMP] [MATERIALIZED] VIEW [IF NOT EXISTS] v [(cols)] [WITH (...)] AS query [WITH [NO] DATA]</c>.</summary>
public sealed record CreateViewStatement(
    QualifiedName Name,
    bool OrReplace,
    bool Materialized,
    bool IfNotExists,
    bool Temporary,
    SyntaxList<string> Columns,
    SyntaxList<SqlOption> Options,
    QueryExpression Query,
    bool WithData = true) : Statement;

/// <summary><c>CREATE SCHEMA [IF NOT EXISTS] [name] [AUTHORIZATION role]</c>.</summary>
public sealed record CreateSchemaStatement(string? Name, bool IfNotExists, string? Authorization) : Statement;
