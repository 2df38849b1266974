using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>The statements of a semicolon-separated script, each with its span in <paramref name="Source"/>.</summary>
/// <param name="Source">The parsed text.</param>
/// <param name="Statements">Statements in order; empty statements (<c>;;</c>) are left out.</param>
public sealed record SqlScript(string Source, SyntaxList<Statement> Statements)
{
    /// <summary>The source text of <paramref name="statement"/>, without the terminating semicolon.</summary>
    public string TextOf(Statement statement) => statement.Span.TextOf(Source);
}
