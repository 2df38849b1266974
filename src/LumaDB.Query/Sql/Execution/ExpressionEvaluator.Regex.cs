using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// The regular-expression kernels. Patterns go through <see cref="PgRegex"/>, whose cache makes a constant
/// pattern compile once per query; positions are counted in characters (code points) as PostgreSQL counts them.
/// </summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? RegexFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        return call.Function switch
        {
            ScalarFunction.RegexpMatch => RegexRows(args, type, rowCount, row =>
            {
                var regex = PgRegex.Get(Text(args, 1, row), RegexFlags(args, 2, row, "regexp_match"));
                var match = regex.Match(Text(args, 0, row), 0);
                return match.Success ? Captures(regex, match) : null;
            }),
            ScalarFunction.RegexpReplace => RegexRows(args, type, rowCount, row => Replace(args, row)),
            ScalarFunction.RegexpSplitToArray => RegexRows(args, type, rowCount, row =>
                Split(Text(args, 0, row), PgRegex.Get(Text(args, 1, row), RegexFlags(args, 2, row, "regexp_split_to_array")))),
            ScalarFunction.RegexpLike => RegexRows(args, type, rowCount, row =>
                PgRegex.Get(Text(args, 1, row), RegexFlags(args, 2, row, "regexp_like")).IsMatch(Text(args, 0, row))),
            ScalarFunction.RegexpCount => RegexRows(args, type, rowCount, row =>
            {
                var source = Text(args, 0, row);
                var start = Start(args, 2, row, source);
                return PgRegex.Get(Text(args, 1, row), RegexFlags(args, 3, row, "regexp_count")).Matches(source, start).Count();
            }),
            ScalarFunction.RegexpInstr => RegexRows(args, type, rowCount, row => Instr(args, row)),
            ScalarFunction.RegexpSubstr => RegexRows(args, type, rowCount, row => Substr(args, row)),
            ScalarFunction.RegexSubstring => RegexRows(args, type, rowCount, row =>
            {
                var regex = PgRegex.Get(Text(args, 1, row), PgRegexFlags.None);
                var match = regex.Match(Text(args, 0, row), 0);
                return !match.Success ? null : regex.GroupCount == 0 ? match.Value : match.Groups[1].Success ? match.Groups[1].Value : null;
            }),
            ScalarFunction.SimilarToEscape => RegexRows(args, type, rowCount, row =>
                SimilarToPattern.ToRegex(Text(args, 0, row), args.Length > 1 ? Text(args, 1, row) : null)),
            _ => null,
        };
    }

    /// <summary>Strict row loop: a NULL argument gives NULL (all these functions are strict).</summary>
    private static ColumnVector RegexRows(ColumnVector[] args, SqlType type, int rowCount, Func<int, object?> compute)
    {
        var result = ColumnVector.Allocate(type, rowCount);
        for (var row = 0; row < rowCount; row++)
        {
            var anyNull = false;
            foreach (var arg in args)
            {
                anyNull |= arg.IsNull(row);
            }

            if (!anyNull && compute(row) is { } value)
            {
                result.Values.SetValue(value, row);
            }
            else
            {
                result.SetNull(row);
            }
        }

        return result;
    }

    private static string Text(ColumnVector[] args, int index, int row) => (string)args[index].GetValue(row)!;

    private static int Int(ColumnVector[] args, int index, int row, int missing) =>
        index < args.Length ? (int)args[index].GetValue(row)! : missing;

    /// <summary>The flags argument at <paramref name="index"/> (none when absent); <c>g</c> is refused by functions that give one match.</summary>
    private static PgRegexFlags RegexFlags(ColumnVector[] args, int index, int row, string? function)
    {
        var flags = index < args.Length ? PgRegex.ParseFlags(Text(args, index, row)) : PgRegexFlags.None;
        if (function is not null && (flags & PgRegexFlags.Global) != 0)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"{function}() does not support the \"global\" option",
                function == "regexp_match" ? "Use the regexp_matches function instead." : null);
        }

        return flags;
    }

    private static SqlException InvalidParameter(string name, int value) =>
        new(SqlState.InvalidParameterValue, string.Create(CultureInfo.InvariantCulture, $"invalid value for parameter \"{name}\": {value}"));

    /// <summary>The 1-based character position argument as a UTF-16 offset into <paramref name="source"/>.</summary>
    private static int Start(ColumnVector[] args, int index, int row, string source)
    {
        var start = Int(args, index, row, 1);
        return start <= 0 ? throw InvalidParameter("start", start) : Utf16Offset(source, start - 1);
    }

    /// <summary>The UTF-16 offset of the code point numbered <paramref name="codePoints"/> (past the end when there are fewer).</summary>
    private static int Utf16Offset(string text, int codePoints)
    {
        var offset = StringKernels.OffsetOf(text, codePoints);
        return offset == text.Length && StringKernels.CodePoints(text) < codePoints ? text.Length + 1 : offset;
    }

    /// <summary>The 1-based character position of UTF-16 offset <paramref name="offset"/>.</summary>
    private static int CharacterPosition(string text, int offset) => StringKernels.CodePoints(text.AsSpan(0, offset)) + 1;

    /// <summary>
    /// regexp_matches: the captures (or the whole match when the pattern has none) of the first match, or of
    /// every match with the <c>g</c> flag, as text arrays.
    /// </summary>
    internal static IEnumerable<object?[]> RegexpMatches(string source, string pattern, string? flags)
    {
        var parsed = PgRegex.ParseFlags(flags);
        var regex = PgRegex.Get(pattern, parsed);
        if ((parsed & PgRegexFlags.Global) == 0)
        {
            var match = regex.Match(source, 0);
            return match.Success ? [Captures(regex, match)] : [];
        }

        return regex.Matches(source, 0).Select(match => Captures(regex, match));
    }

    private static object?[] Captures(PgRegex regex, Match match)
    {
        if (regex.GroupCount == 0)
        {
            return [match.Value];
        }

        var values = new object?[regex.GroupCount];
        for (var g = 0; g < values.Length; g++)
        {
            var group = match.Groups[g + 1];
            values[g] = group.Success ? group.Value : null;
        }

        return values;
    }

    /// <summary>
    /// regexp_replace in both forms: (source, pattern, replacement [, flags]) replaces the first match, or all with
    /// <c>g</c>; (source, pattern, replacement, start [, N [, flags]]) replaces the N'th match from start, all when N is 0.
    /// </summary>
    private static string Replace(ColumnVector[] args, int row)
    {
        var source = Text(args, 0, row);
        var replacement = Text(args, 2, row);
        int start, nth;
        PgRegexFlags flags;
        if (args.Length == 4 && args[3].Type.Kind == SqlTypeKind.Text)
        {
            flags = RegexFlags(args, 3, row, null);
            start = 0;
            nth = (flags & PgRegexFlags.Global) != 0 ? 0 : 1;
        }
        else
        {
            start = Start(args, 3, row, source);
            nth = Int(args, 4, row, 1);
            if (nth < 0)
            {
                throw InvalidParameter("n", nth);
            }

            flags = RegexFlags(args, 5, row, null);
        }

        var regex = PgRegex.Get(Text(args, 1, row), flags);
        StringBuilder? result = null;
        var copied = 0;
        var count = 0;
        foreach (var match in regex.Matches(source, start))
        {
            count++;
            if (nth != 0 && count != nth)
            {
                continue;
            }

            result ??= new StringBuilder(source.Length + replacement.Length);
            result.Append(source, copied, match.Index - copied);
            AppendReplacement(result, replacement, regex, match);
            copied = match.Index + match.Length;
            if (nth != 0)
            {
                break;
            }
        }

        return result is null ? source : result.Append(source, copied, source.Length - copied).ToString();
    }

    /// <summary>The replacement text with <c>\1</c>..<c>\9</c> (groups), <c>\&amp;</c> (the match) and <c>\\</c> substituted.</summary>
    private static void AppendReplacement(StringBuilder result, string replacement, PgRegex regex, Match match)
    {
        var plain = replacement.IndexOf('\\');
        if (plain < 0)
        {
            result.Append(replacement);
            return;
        }

        result.Append(replacement, 0, plain);
        for (var i = plain; i < replacement.Length; i++)
        {
            var c = replacement[i];
            var next = i + 1 < replacement.Length ? replacement[i + 1] : '\0';
            if (c != '\\' || !(next is >= '1' and <= '9' or '&' or '\\'))
            {
                result.Append(c);
                continue;
            }

            i++;
            if (next == '\\')
            {
                result.Append('\\');
            }
            else if (next == '&')
            {
                result.Append(match.ValueSpan);
            }
            else if (next - '0' <= regex.GroupCount && match.Groups[next - '0'] is { Success: true } group)
            {
                result.Append(group.ValueSpan);
            }
        }
    }

    /// <summary>Splits at each match; empty matches at the very start or end, or right after a match, do not split.</summary>
    private static object?[] Split(string source, PgRegex regex)
    {
        var parts = new List<object?>();
        var pieceStart = 0;
        foreach (var match in regex.Matches(source, 0))
        {
            if (match.Length == 0 && (match.Index >= source.Length || match.Index <= pieceStart))
            {
                continue;
            }

            parts.Add(source[pieceStart..match.Index]);
            pieceStart = match.Index + match.Length;
        }

        parts.Add(source[pieceStart..]);
        return [.. parts];
    }

    /// <summary>The N'th match from start for regexp_instr and regexp_substr, or null.</summary>
    private static Match? NthMatch(PgRegex regex, string source, int start, int nth)
    {
        var count = 0;
        foreach (var match in regex.Matches(source, start))
        {
            if (++count == nth)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>regexp_instr(source, pattern [, start [, N [, endoption [, flags [, subexpr]]]]]).</summary>
    private static int Instr(ColumnVector[] args, int row)
    {
        var source = Text(args, 0, row);
        var start = Start(args, 2, row, source);
        var nth = Nth(args, 3, row);
        var endOption = Int(args, 4, row, 0);
        if (endOption is not (0 or 1))
        {
            throw InvalidParameter("endoption", endOption);
        }

        return NthMatchGroup(args, row, source, start, nth, flagsAt: 5, "regexp_instr") is { } group
            ? CharacterPosition(source, endOption == 0 ? group.Index : group.Index + group.Length)
            : 0;
    }

    /// <summary>regexp_substr(source, pattern [, start [, N [, flags [, subexpr]]]]).</summary>
    private static string? Substr(ColumnVector[] args, int row)
    {
        var source = Text(args, 0, row);
        var start = Start(args, 2, row, source);
        var nth = Nth(args, 3, row);
        return NthMatchGroup(args, row, source, start, nth, flagsAt: 4, "regexp_substr")?.Value;
    }

    /// <summary>The N argument of regexp_instr and regexp_substr: 1 when absent, and positive.</summary>
    private static int Nth(ColumnVector[] args, int at, int row)
    {
        var nth = Int(args, at, row, 1);
        return nth > 0 ? nth : throw InvalidParameter("n", nth);
    }

    /// <summary>
    /// The subexpression (argument after the flags, 0 for the whole match) of the N'th match of the pattern
    /// (argument 1) from start, for regexp_instr and regexp_substr; null when there is no such match or group.
    /// </summary>
    private static Group? NthMatchGroup(ColumnVector[] args, int row, string source, int start, int nth, int flagsAt, string function)
    {
        var flags = RegexFlags(args, flagsAt, row, function);
        var subexpression = Int(args, flagsAt + 1, row, 0);
        if (subexpression < 0)
        {
            throw InvalidParameter("subexpr", subexpression);
        }

        var regex = PgRegex.Get(Text(args, 1, row), flags);
        return NthMatch(regex, source, start, nth) is { } match && subexpression <= regex.GroupCount && match.Groups[subexpression].Success
            ? match.Groups[subexpression]
            : null;
    }
}
