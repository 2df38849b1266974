using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>LIKE pattern matching (<c>%</c> any run, <c>_</c> one character, an escape character) without regular expressions.</summary>
internal static class LikeMatcher
{
    public static bool Matches(string text, string pattern, char escape, bool ignoreCase)
    {
        if (ignoreCase)
        {
            text = text.ToLowerInvariant();
            pattern = pattern.ToLowerInvariant();
        }

        return Match(text.AsSpan(), pattern.AsSpan(), escape);
    }

    private static bool Match(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern, char escape)
    {
        // Iterative matching with one backtrack point for the last '%': linear for typical patterns.
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                starP = ++p;
                starT = t;
                continue;
            }

            if (p < pattern.Length)
            {
                var pc = pattern[p];
                var literal = false;
                if (pc == escape && escape != '\0')
                {
                    if (p + 1 >= pattern.Length)
                    {
                        SqlErrors.Throw(SqlState.InvalidEscapeSequence, "LIKE pattern must not end with escape character");
                    }

                    pc = pattern[p + 1];
                    literal = true;
                }

                if ((!literal && pc == '_') || pc == text[t])
                {
                    p += literal ? 2 : 1;
                    t++;
                    continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP;
            t = ++starT;
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
