namespace LumaDB.Query.Sql.Syntax;

/// <summary>What a sequence option sets.</summary>
public enum SequenceOptionKind
{
    /// <summary><c>AS type</c>.</summary>
    As,

    /// <summary><c>INCREMENT [BY] n</c>.</summary>
    Increment,

    /// <summary><c>MINVALUE n</c>, or with no value <c>NO MINVALUE</c>.</summary>
    MinValue,

    /// <summary><c>MAXVALUE n</c>, or with no value <c>NO MAXVALUE</c>.</summary>
    MaxValue,

    /// <summary><c>START [WITH] n</c>.</summary>
    Start,

    /// <summary><c>RESTART [[WITH] n]</c> (ALTER only); with no value, back to the start.</summary>
    Restart,

    /// <summary><c>CACHE n</c>.</summary>
    Cache,

    /// <summary><c>CYCLE</c> (value 1) or <c>NO CYCLE</c> (value 0).</summary>
    Cycle,

    /// <summary><c>OWNED BY table.column</c>, or with no column <c>OWNED BY NONE</c>.</summary>
    OwnedBy,

    /// <summary><c>SEQUENCE NAME name</c> (identity columns only): the name of the sequence the column owns.</summary>
    SequenceName,
}

/// <summary>One option of CREATE/ALTER SEQUENCE or of an identity column.</summary>
/// <param name="Kind">What it sets.</param>
/// <param name="Value">The number, where the option has one.</param>
/// <param name="Type">The type of <c>AS type</c>.</param>
/// <param name="Owner">The column of <c>OWNED BY</c> (its last part), or null for NONE.</param>
public sealed record SequenceOption(SequenceOptionKind Kind, long? Value = null, TypeName? Type = null, QualifiedName? Owner = null) : SyntaxNode;

/// <summary><c>CREATE SEQUENCE [IF NOT EXISTS] name [options]</c>.</summary>
public sealed record CreateSequenceStatement(QualifiedName Name, bool IfNotExists, SyntaxList<SequenceOption> Options) : Statement;

/// <summary><c>ALTER SEQUENCE [IF EXISTS] name options</c> or <c>ALTER SEQUENCE name RENAME TO new</c>.</summary>
public sealed record AlterSequenceStatement(QualifiedName Name, bool IfExists, SyntaxList<SequenceOption> Options, string? NewName = null) : Statement;
