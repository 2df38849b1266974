using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>
/// A located SQL syntax error worded like PostgreSQL's (<c>syntax error at or near "FORM"</c>).
/// It affects only the statement being parsed; the session carries on.
/// </summary>
/// <param name="Message">The PostgreSQL-style primary message.</param>
/// <param name="Position">1-based character position, as in the ErrorResponse 'P' field.</param>
/// <param name="Line">1-based line of the position.</param>
/// <param name="Column">1-based column of the position.</param>
/// <param name="Expected">What the parser could have accepted at that point, where known.</param>
public sealed record SqlSyntaxError(string Message, int Position, int Line, int Column, SyntaxList<string> Expected)
{
    /// <summary>SQLSTATE of every syntax error: 42601 syntax_error.</summary>
    public const string SqlState = "42601";

    /// <summary>A hint listing what was expected, or null when nothing is known.</summary>
    public string? Hint => Expected.IsEmpty ? null : "Expected " + string.Join(", ", Expected) + ".";

    /// <summary>Builds an error at a 0-based offset of <paramref name="source"/>, computing line and column.</summary>
    public static SqlSyntaxError At(ReadOnlySpan<char> source, int offset, string message, SyntaxList<string>? expected = null)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SqlSyntaxError(message, offset + 1, line, offset - lineStart + 1, expected ?? SyntaxList<string>.Empty);
    }
}
