using System.Text;
using System.Text.RegularExpressions;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// Compiles PromQL (Go RE2) regexes with .NET's non-backtracking engine, which shares RE2's linear-time
/// guarantee and its refusal of backreferences and lookaround. Differences handled here: <c>\d \w \s</c>
/// are rewritten to RE2's ASCII classes (in .NET they are Unicode-aware); <c>\pL</c> becomes <c>\p{L}</c>;
/// <c>(?P&lt;name&gt;</c> becomes <c>(?&lt;name&gt;</c>; the anchor is <c>\z</c> because .NET's <c>$</c> also
/// matches before a final newline. Not handled: POSIX classes (<c>[[:alpha:]]</c>), the <c>(?U)</c> flag,
/// and <c>\D \W \S</c> inside character classes, which keep .NET's Unicode meaning.
/// </summary>
public static class PromRegex
{
    // Timeout is a backstop only: the non-backtracking engine is linear in input length.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Compiles <paramref name="pattern"/> as <c>^(?s:pattern)$</c>. Throws <see cref="ArgumentException"/> if invalid.</summary>
    public static Regex CompileAnchored(string pattern)
    {
        var translated = @"\A(?:" + Translate(pattern) + @")\z";
        try
        {
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline, MatchTimeout);
        }
        catch (NotSupportedException e)
        {
            // Constructs RE2 rejects too (backreferences, lookaround, atomic groups).
            throw new ArgumentException("error parsing regexp: " + e.Message, nameof(pattern), e);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("error parsing regexp: " + e.Message, nameof(pattern), e);
        }
    }

    /// <summary>Rewrites RE2-only spellings into .NET ones; see the type summary.</summary>
    public static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var n = pattern[i + 1];
                i++;
                var replacement = (n, inClass) switch
                {
                    ('d', false) => "[0-9]",
                    ('D', false) => "[^0-9]",
                    ('w', false) => "[0-9A-Za-z_]",
                    ('W', false) => "[^0-9A-Za-z_]",
                    ('s', false) => @"[\t\n\f\r ]",
                    ('S', false) => @"[^\t\n\f\r ]",
                    ('d', true) => "0-9",
                    ('w', true) => "0-9A-Za-z_",
                    ('s', true) => @"\t\n\f\r ",
                    _ => null,
                };
                if (replacement is not null)
                {
                    sb.Append(replacement);
                }
                else if ((n == 'p' || n == 'P') && i + 1 < pattern.Length && pattern[i + 1] != '{')
                {
                    sb.Append('\\').Append(n).Append('{').Append(pattern[i + 1]).Append('}');
                    i++;
                }
                else
                {
                    sb.Append('\\').Append(n);
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append(@"\]");
                    i++;
                }

                continue;
            }

            if (c == '(' && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                i += 3;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
