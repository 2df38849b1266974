namespace LumaDB.Query.Sql.Parser;

/// <summary>One token with its position in the source.</summary>
/// <param name="Kind">Token kind.</param>
/// <param name="Start">0-based offset of the first character.</param>
/// <param name="Length">Length in the source, quotes and prefixes included.</param>
/// <param name="Text">Processed text: folded identifier, decoded string, cleaned number or operator.</param>
public readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, string Text)
{
    /// <summary>Offset just past the token.</summary>
    public int End => Start + Length;

    /// <summary>True for an unquoted identifier equal to <paramref name="keyword"/> (given in lower case).</summary>
    public bool IsKeyword(string keyword) => Kind == SqlTokenKind.Identifier && Text == keyword;

    /// <summary>True for an operator token with the given text.</summary>
    public bool IsOperator(string op) => Kind == SqlTokenKind.Operator && Text == op;
}
