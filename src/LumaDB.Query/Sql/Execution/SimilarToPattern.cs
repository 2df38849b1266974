using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Converts a SQL-standard regular expression (<c>SIMILAR TO</c>, <c>substring(... SIMILAR ... ESCAPE ...)</c>)
/// into the whole-string PostgreSQL ARE that <c>similar_to_escape</c> returns.
/// </summary>
public static class SimilarToPattern
{
    // 2200C invalid_use_of_escape_character, which only this conversion raises.
    private const string InvalidUseOfEscapeCharacter = "2200C";

    /// <summary>The ARE for <paramref name="pattern"/>; <paramref name="escape"/> null means the default backslash, empty means none.</summary>
    /// <exception cref="SqlException">22025 for an escape longer than one character; 2200C for more than two <c>escape"</c> separators.</exception>
    public static string ToRegex(string pattern, string? escape)
    {
        escape ??= "\\";
        var escapeLength = escape.Length == 2 && char.IsSurrogatePair(escape[0], escape[1]) ? 1 : escape.Length;
        if (escapeLength > 1)
        {
            throw new SqlException(SqlState.InvalidEscapeSequence, "invalid escape string", "Escape string must be empty or one character.");
        }

        var result = new StringBuilder("^(?:", pattern.Length + 10);
        var afterEscape = false;
        var inBracket = false;
        var bracketFirst = 0;
        var separators = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (afterEscape)
            {
                if (c == '"' && !inBracket)
                {
                    // The two escape-double-quote separators mark the part substring() returns.
                    result.Append(separators switch
                    {
                        0 => "){1,1}?(",
                        1 => "){1,1}(?:",
                        _ => throw new SqlException(InvalidUseOfEscapeCharacter, "SQL regular expression may not contain more than two escape-double-quote separators"),
                    });
                    separators++;
                }
                else
                {
                    result.Append('\\').Append(c);
                }

                afterEscape = false;
            }
            else if (escape.Length > 0 && string.CompareOrdinal(pattern, i, escape, 0, escape.Length) == 0)
            {
                afterEscape = true;
                i += escape.Length - 1;
            }
            else if (inBracket)
            {
                if (c == '\\')
                {
                    result.Append('\\');
                }

                result.Append(c);
                inBracket = c != ']' || i <= bracketFirst;
            }
            else
            {
                switch (c)
                {
                    case '[':
                        // A ] first in the brackets (after an optional ^) is a member, not the end.
                        inBracket = true;
                        bracketFirst = i + 1 < pattern.Length && pattern[i + 1] == '^' ? i + 2 : i + 1;
                        result.Append(c);
                        break;
                    case '%':
                        result.Append(".*");
                        break;
                    case '_':
                        result.Append('.');
                        break;
                    case '(':
                        result.Append("(?:");
                        break;
                    case '\\' or '.' or '^' or '$':
                        result.Append('\\').Append(c);
                        break;
                    default:
                        result.Append(c);
                        break;
                }
            }
        }

        return result.Append(")$").ToString();
    }
}
