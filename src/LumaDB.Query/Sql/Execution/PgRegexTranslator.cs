using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Rewrites a PostgreSQL advanced regular expression (ARE) as an equivalent .NET pattern, raising PostgreSQL's
/// compile errors. Only unnamed <c>(</c> groups are emitted for PostgreSQL's capturing groups, so .NET group
/// numbers match PostgreSQL's.
/// </summary>
internal sealed class PgRegexTranslator
{
    // PostgreSQL (glibc C.UTF-8) classes written as .NET class items; they go inside [...].
    private const string WordItems = @"\p{L}\p{Nl}\p{Nd}_";
    private const string SpaceItems = @"\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000";
    private const string BlankItems = @"\t \u1680\u2000-\u2006\u2008-\u200A\u205F\u3000";
    private const string GraphItems = @"\p{L}\p{M}\p{N}\p{P}\p{S}";
    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const int MaxRepetition = 255;

    private readonly string _p;
    private readonly StringBuilder _out = new();
    private readonly List<int> _quantifierEnds = [];
    private readonly List<bool> _closed = [];
    private PgRegexFlags _flags;
    private int _i;
    private int _depth;
    private int _lookaround;
    private bool? _atomLazy;

    private PgRegexTranslator(string pattern, PgRegexFlags flags)
    {
        _p = pattern;
        _flags = flags;
    }

    /// <summary>The .NET pattern, the number of capturing groups and the options in force after embedded options.</summary>
    public static (string Pattern, int Groups, PgRegexFlags Flags) Translate(string pattern, PgRegexFlags flags)
    {
        var translator = new PgRegexTranslator(pattern, flags);
        var translated = translator.Run();
        return (translated, translator._closed.Count, translator._flags);
    }

    private static SqlException Invalid(string what) => new(SqlState.InvalidRegularExpression, "invalid regular expression: " + what);

    private static SqlException Parentheses() => Invalid("parentheses () not balanced");

    private static SqlException BadRepeat() => Invalid("quantifier operand invalid");

    private static SqlException BadEscape() => Invalid("invalid escape \\ sequence");

    private string Run()
    {
        if ((_flags & PgRegexFlags.Literal) == 0 && _p.StartsWith("***", StringComparison.Ordinal))
        {
            if (_p.StartsWith("***=", StringComparison.Ordinal))
            {
                _flags |= PgRegexFlags.Literal;
                _i = 4;
            }
            else if (_p.StartsWith("***:", StringComparison.Ordinal))
            {
                _i = 4;
            }
        }

        if ((_flags & PgRegexFlags.Literal) == 0)
        {
            ParseEmbeddedOptions();
        }

        if ((_flags & PgRegexFlags.Literal) != 0)
        {
            return Regex(_p[_i..]);
        }

        if ((_flags & PgRegexFlags.Basic) != 0)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "basic regular expressions (flag b) are not supported");
        }

        var lazy = ParseAlternation();
        if (_i < _p.Length)
        {
            throw Parentheses();
        }

        // PostgreSQL prefers the shortest or longest whole match by the expression's greediness; .NET decides
        // per quantifier, so every quantifier takes the expression's greediness.
        if (lazy == true)
        {
            for (var q = _quantifierEnds.Count - 1; q >= 0; q--)
            {
                _out.Insert(_quantifierEnds[q], '?');
            }
        }

        return _out.ToString();

        static string Regex(string literal) => System.Text.RegularExpressions.Regex.Escape(literal);
    }

    private void ParseEmbeddedOptions()
    {
        if (_i + 1 >= _p.Length || _p[_i] != '(' || _p[_i + 1] != '?' || (_i + 2 < _p.Length && _p[_i + 2] is ':' or '=' or '!' or '<'))
        {
            return;
        }

        _i += 2;
        while (true)
        {
            if (_i >= _p.Length)
            {
                throw Invalid("invalid embedded option");
            }

            var c = _p[_i++];
            if (c == ')')
            {
                return;
            }

            _flags = PgRegex.WithOption(_flags, c) ?? throw Invalid("invalid embedded option");
        }
    }

    private bool Has(PgRegexFlags flag) => (_flags & flag) != 0;

    /// <summary>Alternatives; returns the greediness (true = non-greedy, null = none): two or more branches are greedy.</summary>
    private bool? ParseAlternation()
    {
        var lazy = ParseBranch();
        while (_i < _p.Length && _p[_i] == '|')
        {
            _out.Append('|');
            _i++;
            ParseBranch();
            lazy = false;
        }

        return lazy;
    }

    /// <summary>A concatenation; it has the greediness of its first piece that has one.</summary>
    private bool? ParseBranch()
    {
        bool? lazy = null;
        while (true)
        {
            SkipExpanded();
            if (_i >= _p.Length || _p[_i] == '|')
            {
                return lazy;
            }

            if (_p[_i] == ')')
            {
                if (_depth == 0)
                {
                    throw Parentheses();
                }

                return lazy;
            }

            var piece = ParsePiece();
            lazy ??= piece;
        }
    }

    private void SkipExpanded()
    {
        if (!Has(PgRegexFlags.Expanded))
        {
            return;
        }

        while (_i < _p.Length)
        {
            if (char.IsWhiteSpace(_p[_i]))
            {
                _i++;
            }
            else if (_p[_i] == '#')
            {
                while (_i < _p.Length && _p[_i] != '\n')
                {
                    _i++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private bool AtQuantifier() =>
        _i < _p.Length && (_p[_i] is '*' or '+' or '?' || (_p[_i] == '{' && _i + 1 < _p.Length && char.IsAsciiDigit(_p[_i + 1])));

    /// <summary>An atom and its quantifier; returns the piece's greediness (a {m} quantifier keeps the atom's).</summary>
    private bool? ParsePiece()
    {
        _atomLazy = null;
        var quantifiable = ParseAtom();
        var atomLazy = _atomLazy;
        SkipExpanded();
        if (!AtQuantifier())
        {
            return atomLazy;
        }

        if (!quantifiable)
        {
            throw BadRepeat();
        }

        var lazy = ParseQuantifier();
        SkipExpanded();
        if (AtQuantifier())
        {
            throw BadRepeat();
        }

        return lazy ?? atomLazy;
    }

    /// <summary>Emits a quantifier without its laziness; returns true for non-greedy, false for greedy, null for {m}.</summary>
    private bool? ParseQuantifier()
    {
        var fixedCount = false;
        var c = _p[_i++];
        if (c == '{')
        {
            var min = ReadCount();
            int? max = min;
            var open = false;
            fixedCount = true;
            if (_i < _p.Length && _p[_i] == ',')
            {
                fixedCount = false;
                _i++;
                open = _i >= _p.Length || !char.IsAsciiDigit(_p[_i]);
                max = open ? null : ReadCount();
            }

            if (_i >= _p.Length)
            {
                throw Invalid("braces {} not balanced");
            }

            if (_p[_i] != '}' || (max is { } m && m < min))
            {
                throw Invalid("invalid repetition count(s)");
            }

            _i++;
            _out.Append('{').Append(min.ToString(CultureInfo.InvariantCulture));
            if (open)
            {
                _out.Append(',');
            }
            else if (max != min)
            {
                _out.Append(',').Append(max!.Value.ToString(CultureInfo.InvariantCulture));
            }

            _out.Append('}');
        }
        else
        {
            _out.Append(c);
        }

        var lazy = _i < _p.Length && _p[_i] == '?';
        if (lazy)
        {
            _i++;
        }

        _quantifierEnds.Add(_out.Length);
        return fixedCount ? null : lazy;
    }

    private int ReadCount()
    {
        var value = 0;
        while (_i < _p.Length && char.IsAsciiDigit(_p[_i]))
        {
            value = Math.Min((value * 10) + (_p[_i++] - '0'), MaxRepetition + 1);
        }

        return value <= MaxRepetition ? value : throw Invalid("invalid repetition count(s)");
    }

    /// <summary>One atom; false when it is a constraint (anchor, lookaround, word boundary), which takes no quantifier.</summary>
    private bool ParseAtom()
    {
        var c = _p[_i];
        switch (c)
        {
            case '(':
                return ParseGroup();
            case '[':
                return ParseBracket();
            case '.':
                _i++;
                _out.Append("(?:").Append(SurrogatePair).Append(Has(PgRegexFlags.NewlineStopsDot) ? @"|[^\n])" : @"|[\s\S])");
                return true;
            case '^':
                _i++;
                _out.Append(Has(PgRegexFlags.NewlineAnchors) ? "(?m:^)" : @"\A");
                return false;
            case '$':
                _i++;
                _out.Append(Has(PgRegexFlags.NewlineAnchors) ? @"(?=\n|\z)" : @"\z");
                return false;
            case '\\':
                return ParseEscape();
            case '*' or '+' or '?':
                throw BadRepeat();
            case '{' when _i + 1 < _p.Length && char.IsAsciiDigit(_p[_i + 1]):
                throw BadRepeat();
            default:
                AppendLiteral(ReadCodePoint());
                return true;
        }
    }

    private int ReadCodePoint()
    {
        if (char.IsHighSurrogate(_p[_i]) && _i + 1 < _p.Length && char.IsLowSurrogate(_p[_i + 1]))
        {
            _i += 2;
            return char.ConvertToUtf32(_p[_i - 2], _p[_i - 1]);
        }

        return _p[_i++];
    }

    private bool ParseGroup()
    {
        _i++;
        var constraint = false;
        var capture = 0;
        if (_i < _p.Length && _p[_i] == '?')
        {
            var rest = _p.AsSpan(_i);
            var open = rest.StartsWith("?:") ? "(?:" : rest.StartsWith("?=") ? "(?=" : rest.StartsWith("?!") ? "(?!"
                : rest.StartsWith("?<=") ? "(?<=" : rest.StartsWith("?<!") ? "(?<!" : throw BadRepeat();
            _i += open.Length - 1;
            constraint = open != "(?:";
            _out.Append(open);
        }
        else if (_lookaround > 0)
        {
            // Groups inside lookaround constraints never capture in PostgreSQL.
            _out.Append("(?:");
        }
        else
        {
            _closed.Add(false);
            capture = _closed.Count;
            _out.Append('(');
        }

        _lookaround += constraint ? 1 : 0;
        _depth++;
        var lazy = ParseAlternation();
        if (_i >= _p.Length || _p[_i] != ')')
        {
            throw Parentheses();
        }

        _i++;
        _depth--;
        _lookaround -= constraint ? 1 : 0;
        _out.Append(')');
        if (capture > 0)
        {
            _closed[capture - 1] = true;
        }

        _atomLazy = constraint ? null : lazy;
        return !constraint;
    }

    private bool ParseEscape()
    {
        _i++;
        if (_i >= _p.Length)
        {
            throw BadEscape();
        }

        var c = _p[_i++];
        const string W = "[" + WordItems + "]";
        switch (c)
        {
            case 'm':
                _out.Append("(?<!").Append(W).Append(")(?=").Append(W).Append(')');
                return false;
            case 'M':
                _out.Append("(?<=").Append(W).Append(")(?!").Append(W).Append(')');
                return false;
            case 'y':
                _out.Append("(?:(?<!").Append(W).Append(")(?=").Append(W).Append(")|(?<=").Append(W).Append(")(?!").Append(W).Append("))");
                return false;
            case 'Y':
                _out.Append("(?:(?<=").Append(W).Append(")(?=").Append(W).Append(")|(?<!").Append(W).Append(")(?!").Append(W).Append("))");
                return false;
            case 'A':
                _out.Append(@"\A");
                return false;
            case 'Z':
                _out.Append(@"\z");
                return false;
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                var items = ClassEscapeItems(char.ToLowerInvariant(c));
                _out.Append(char.IsUpper(c) ? "[^" : "[").Append(items).Append(char.IsUpper(c) && Has(PgRegexFlags.NewlineStopsDot) ? @"\n]" : "]");
                return true;
            case >= '1' and <= '9':
                var number = c - '0';
                while (_i < _p.Length && char.IsAsciiDigit(_p[_i]) && (number * 10) + (_p[_i] - '0') <= _closed.Count)
                {
                    number = (number * 10) + (_p[_i++] - '0');
                }

                if (number > _closed.Count || !_closed[number - 1])
                {
                    throw Invalid("invalid backreference number");
                }

                _out.Append(@"(?:\").Append(number.ToString(CultureInfo.InvariantCulture)).Append(')');
                return true;
            default:
                AppendLiteral(CharacterEscape(c));
                return true;
        }
    }

    /// <summary>A character-entry escape (after the backslash), or a non-alphanumeric character escaped to itself.</summary>
    private int CharacterEscape(char c)
    {
        switch (c)
        {
            case 'a':
                return 7;
            case 'b':
                return 8;
            case 'B':
                return '\\';
            case 'c':
                return _i < _p.Length ? _p[_i++] & 0x1F : throw BadEscape();
            case 'e':
                return 27;
            case 'f':
                return 12;
            case 'n':
                return 10;
            case 'r':
                return 13;
            case 't':
                return 9;
            case 'v':
                return 11;
            case 'u':
                return ReadHex(4, 4);
            case 'U':
                return ReadHex(8, 8);
            case 'x':
                return ReadHex(1, 8);
            case '0':
                var value = 0;
                for (var n = 0; n < 2 && _i < _p.Length && _p[_i] is >= '0' and <= '7'; n++)
                {
                    value = (value * 8) + (_p[_i++] - '0');
                }

                return value;
            default:
                return char.IsAsciiLetterOrDigit(c) ? throw BadEscape() : c;
        }
    }

    private int ReadHex(int min, int max)
    {
        var value = 0L;
        var digits = 0;
        while (digits < max && _i < _p.Length && char.IsAsciiHexDigit(_p[_i]))
        {
            value = (value * 16) + Convert.ToInt32(_p[_i++].ToString(), 16);
            digits++;
        }

        return digits < min || value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF ? throw BadEscape() : (int)value;
    }

    private static string ClassEscapeItems(char lower) => lower switch
    {
        'd' => "0-9",
        's' => SpaceItems,
        _ => WordItems,
    };

    private void AppendLiteral(int codePoint)
    {
        if (codePoint > 0xFFFF)
        {
            _out.Append(char.ConvertFromUtf32(codePoint));
            return;
        }

        AppendClassChar(_out, (char)codePoint);
    }

    /// <summary>A character that means itself both outside and inside a .NET character class.</summary>
    private static void AppendClassChar(StringBuilder builder, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c > 0x7F && !char.IsSurrogate(c))
        {
            builder.Append(c);
        }
        else
        {
            builder.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
    }

    private bool ParseBracket()
    {
        var rest = _p.AsSpan(_i);
        if (rest.StartsWith("[[:<:]]") || rest.StartsWith("[[:>:]]"))
        {
            const string W = "[" + WordItems + "]";
            _out.Append(rest[3] == '<' ? "(?<!" + W + ")(?=" + W + ")" : "(?<=" + W + ")(?!" + W + ")");
            _i += 7;
            return false;
        }

        _i++;
        var negated = _i < _p.Length && _p[_i] == '^';
        if (negated)
        {
            _i++;
        }

        var set = new StringBuilder();
        List<int>? astral = null;
        var first = true;
        while (true)
        {
            if (_i >= _p.Length)
            {
                throw Invalid("brackets [] not balanced");
            }

            if (_p[_i] == ']' && !first)
            {
                _i++;
                break;
            }

            first = false;
            if (_p[_i] == '[' && _i + 1 < _p.Length && _p[_i + 1] == ':')
            {
                set.Append(NamedClass(ReadBracketName(':')));
                continue;
            }

            if (_p[_i] == '\\' && _i + 1 < _p.Length && _p[_i + 1] is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
            {
                var letter = _p[_i + 1];
                _i += 2;
                set.Append(letter switch
                {
                    'D' => @"\P{Nd}",
                    'S' => @"\S",
                    'W' => @"\W",
                    _ => ClassEscapeItems(letter),
                });
                continue;
            }

            var low = BracketElement();
            if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
            {
                _i++;
                if (_p[_i] == '[' && _i + 1 < _p.Length && _p[_i + 1] == ':')
                {
                    throw Invalid("invalid character range");
                }

                var high = BracketElement();
                if (high < low)
                {
                    throw Invalid("invalid character range");
                }

                if (low <= 0xFFFF)
                {
                    AppendClassChar(set, (char)low);
                    set.Append('-');
                    AppendClassChar(set, (char)Math.Min(high, 0xFFFF));
                }

                continue;
            }

            if (low > 0xFFFF)
            {
                (astral ??= []).Add(low);
            }
            else
            {
                AppendClassChar(set, (char)low);
            }
        }

        if (negated)
        {
            // A character outside the BMP is two UTF-16 units; take it whole so it counts as one character.
            _out.Append("(?:").Append(SurrogatePair).Append("|[^").Append(set).Append(Has(PgRegexFlags.NewlineStopsDot) ? @"\n])" : "])");
            return true;
        }

        if (astral is null)
        {
            _out.Append('[').Append(set).Append(']');
            return true;
        }

        _out.Append("(?:");
        if (set.Length > 0)
        {
            _out.Append('[').Append(set).Append("]|");
        }

        _out.AppendJoin('|', astral.Select(char.ConvertFromUtf32)).Append(')');
        return true;
    }

    /// <summary>One character of a bracket expression: a literal, an escape, <c>[.x.]</c> or <c>[=x=]</c>.</summary>
    private int BracketElement()
    {
        if (_p[_i] == '[' && _i + 1 < _p.Length && _p[_i + 1] is '.' or '=')
        {
            var name = ReadBracketName(_p[_i + 1]);
            var single = name.Length == 1 || (name.Length == 2 && char.IsSurrogatePair(name[0], name[1]));
            return !single ? throw Invalid("invalid collating element") : name.Length == 1 ? name[0] : char.ConvertToUtf32(name[0], name[1]);
        }

        if (_p[_i] == '\\')
        {
            _i++;
            if (_i >= _p.Length)
            {
                throw Invalid("brackets [] not balanced");
            }

            var c = _p[_i++];
            return c is >= '1' and <= '9' ? throw BadEscape() : CharacterEscape(c);
        }

        return ReadCodePoint();
    }

    /// <summary>The name inside <c>[:name:]</c>, <c>[.name.]</c> or <c>[=name=]</c>; the cursor is on the opening bracket.</summary>
    private string ReadBracketName(char delimiter)
    {
        var start = _i + 2;
        var end = _p.IndexOf(delimiter + "]", start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Invalid("brackets [] not balanced");
        }

        _i = end + 2;
        return _p[start..end];
    }

    private string NamedClass(string name) => name switch
    {
        "alpha" => @"\p{L}\p{Nl}",
        "digit" => "0-9",
        "alnum" => @"\p{L}\p{Nl}\p{Nd}",
        "upper" => Has(PgRegexFlags.IgnoreCase) ? @"\p{Lu}\p{Ll}\p{Lt}" : @"\p{Lu}",
        "lower" => Has(PgRegexFlags.IgnoreCase) ? @"\p{Lu}\p{Ll}\p{Lt}" : @"\p{Ll}",
        "space" => SpaceItems,
        "blank" => BlankItems,
        "punct" => @"\p{P}\p{S}",
        "cntrl" => @"\p{Cc}",
        "graph" => GraphItems,
        "print" => GraphItems + @"\p{Zs}",
        "xdigit" => "0-9A-Fa-f",
        "word" => WordItems,
        _ => throw Invalid("invalid character class"),
    };
}
