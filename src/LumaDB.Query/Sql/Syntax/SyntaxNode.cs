namespace LumaDB.Query.Sql.Syntax;

/// <summary>
/// Base of every node in the SQL syntax tree. Nodes are immutable records; two nodes are equal when
/// their content is equal, wherever in the source they came from (the span is left out of equality so
/// that a re-parsed, re-formatted tree compares equal to the original).
/// </summary>
public abstract record SyntaxNode
{
    /// <summary>Where the node was written in the source text.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>Compares node kinds; derived records add their own members.</summary>
    public virtual bool Equals(SyntaxNode? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <summary>Hash of the node kind; derived records mix in their own members.</summary>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
