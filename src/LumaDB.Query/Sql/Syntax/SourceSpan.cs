namespace LumaDB.Query.Sql.Syntax;

/// <summary>A range of characters in the SQL source text: 0-based start offset and length.</summary>
/// <param name="Start">Offset of the first character, counted from 0.</param>
/// <param name="Length">Number of characters covered.</param>
public readonly record struct SourceSpan(int Start, int Length)
{
    /// <summary>Offset just past the last character.</summary>
    public int End => Start + Length;

    /// <summary>The 1-based character position PostgreSQL reports in an error's 'P' field.</summary>
    public int Position => Start + 1;

    /// <summary>Creates a span from a start and an exclusive end offset.</summary>
    public static SourceSpan FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <summary>The text this span covers in <paramref name="source"/>.</summary>
    public string TextOf(string source) => source.Substring(Start, Length);
}
