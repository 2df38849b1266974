using System.Collections.Frozen;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// Splits a PromQL query into tokens. Lexing stops at the first lexical error, which becomes an
/// <see cref="TokenKind.Error"/> token carrying Prometheus's message; the parser reports it when it
/// reaches it, so an earlier syntax error still wins as it does in Prometheus's on-demand lexer.
/// </summary>
public sealed class PromQLLexer
{
    private static readonly FrozenDictionary<string, TokenKind> Keywords = new Dictionary<string, TokenKind>(StringComparer.Ordinal)
    {
        ["and"] = TokenKind.And,
        ["or"] = TokenKind.Or,
        ["unless"] = TokenKind.Unless,
        ["atan2"] = TokenKind.Atan2,
        ["by"] = TokenKind.By,
        ["without"] = TokenKind.Without,
        ["on"] = TokenKind.On,
        ["ignoring"] = TokenKind.Ignoring,
        ["group_left"] = TokenKind.GroupLeft,
        ["group_right"] = TokenKind.GroupRight,
        ["bool"] = TokenKind.Bool,
        ["offset"] = TokenKind.Offset,
        ["start"] = TokenKind.Start,
        ["end"] = TokenKind.End,
        ["step"] = TokenKind.Step,
        ["range"] = TokenKind.Range,
        ["anchored"] = TokenKind.Anchored,
        ["smoothed"] = TokenKind.Smoothed,
        ["inf"] = TokenKind.Number,
        ["nan"] = TokenKind.Number,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _parenDepth;
    private bool _bracketOpen;

    private PromQLLexer(string input) => _input = input;

    /// <summary>Tokenizes <paramref name="input"/>; the list ends with an Eof or an Error token.</summary>
    public static IReadOnlyList<Token> Tokenize(string input)
    {
        var lexer = new PromQLLexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            SkipSpaceAndComments();
            if (_pos >= _input.Length)
            {
                if (_parenDepth > 0)
                {
                    Fail(_pos, "unclosed left parenthesis");
                }
                else if (_bracketOpen)
                {
                    Fail(_pos, "unexpected end of input in duration expression");
                }
                else
                {
                    _tokens.Add(new Token(TokenKind.Eof, "", _pos));
                }

                return;
            }

            if (!LexStatement())
            {
                return;
            }
        }
    }

    private void SkipSpaceAndComments()
    {
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _input.Length && _input[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private bool LexStatement()
    {
        var start = _pos;
        var c = _input[_pos];
        var next = _pos + 1 < _input.Length ? _input[_pos + 1] : '\0';
        switch (c)
        {
            case ',': return Emit(TokenKind.Comma, 1);
            case '(':
                _parenDepth++;
                return Emit(TokenKind.LeftParen, 1);
            case ')':
                if (--_parenDepth < 0)
                {
                    // Prometheus emits the parenthesis before noticing the imbalance, so the error sits after it.
                    return Fail(start + 1, "unexpected right parenthesis ')'");
                }

                return Emit(TokenKind.RightParen, 1);
            case '{':
                Emit(TokenKind.LeftBrace, 1);
                return LexInsideBraces();
            case '}': return Fail(start, "unexpected character: '}'");
            case '[':
                if (_bracketOpen)
                {
                    return Fail(start, "unexpected left bracket '['");
                }

                _bracketOpen = true;
                return Emit(TokenKind.LeftBracket, 1);
            case ']':
                if (!_bracketOpen)
                {
                    return Fail(start, "unexpected right bracket ']'");
                }

                _bracketOpen = false;
                return Emit(TokenKind.RightBracket, 1);
            case ':' when _bracketOpen: return Emit(TokenKind.Colon, 1);
            case '"' or '\'' or '`' or '{' or '}' or '=' or '!' or '<' or '>' or '@' when _bracketOpen:
                // Only duration expressions may appear between brackets.
                return Fail(start, "unexpected character in duration expression: " + QuoteRune(c));
            case '=':
                if (next == '~')
                {
                    return Fail(start, "unexpected character after '=': '~'");
                }

                return next == '=' ? Emit(TokenKind.EqlC, 2) : Emit(TokenKind.Assign, 1);
            case '!':
                return next == '=' ? Emit(TokenKind.Neq, 2) : Fail(start, "unexpected character after '!': " + QuoteRune(next));
            case '<': return next == '=' ? Emit(TokenKind.Lte, 2) : next == '/' ? Emit(TokenKind.TrimUpper, 2) : Emit(TokenKind.Lss, 1);
            case '>': return next == '=' ? Emit(TokenKind.Gte, 2) : next == '/' ? Emit(TokenKind.TrimLower, 2) : Emit(TokenKind.Gtr, 1);
            case '+': return Emit(TokenKind.Add, 1);
            case '-': return Emit(TokenKind.Sub, 1);
            case '*': return Emit(TokenKind.Mul, 1);
            case '/': return Emit(TokenKind.Div, 1);
            case '%': return Emit(TokenKind.Mod, 1);
            case '^': return Emit(TokenKind.Pow, 1);
            case '@': return Emit(TokenKind.At, 1);
            case '"' or '\'' or '`': return LexString();
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
        {
            return LexNumberOrDuration();
        }

        if (IsAlpha(c) || c == ':')
        {
            LexIdentifier(allowColon: true);
            if (_bracketOpen && !IsDurationWord(_tokens[^1].Text))
            {
                // Between brackets only step(), range(), min_of() and max_of() are words.
                _tokens.RemoveAt(_tokens.Count - 1);
                return Fail(start, "unexpected character: " + QuoteRune(c) + ", expected ':'");
            }

            return true;
        }

        return Fail(start, "unexpected character: " + QuoteRune(c));
    }

    private bool LexInsideBraces()
    {
        while (true)
        {
            SkipSpaceAndComments();
            if (_pos >= _input.Length)
            {
                return Fail(_pos, "unexpected end of input inside braces");
            }

            var start = _pos;
            var c = _input[_pos];
            var next = _pos + 1 < _input.Length ? _input[_pos + 1] : '\0';
            switch (c)
            {
                case ',': Emit(TokenKind.Comma, 1); continue;
                case '}': return Emit(TokenKind.RightBrace, 1);
                case '{': return Fail(start, "unexpected left brace '{'");
                case '=':
                    if (next == '~')
                    {
                        Emit(TokenKind.EqlRegex, 2);
                    }
                    else
                    {
                        Emit(TokenKind.Assign, 1);
                    }

                    continue;
                case '!':
                    if (next == '~')
                    {
                        Emit(TokenKind.NeqRegex, 2);
                    }
                    else if (next == '=')
                    {
                        Emit(TokenKind.Neq, 2);
                    }
                    else
                    {
                        return Fail(start, "unexpected character after '!' inside braces: " + QuoteRune(next));
                    }

                    continue;
                case '"' or '\'' or '`':
                    if (!LexString())
                    {
                        return false;
                    }

                    continue;
            }

            if (IsAlpha(c))
            {
                // Inside braces every word is a label name, never a keyword.
                LexIdentifier(allowColon: false);
                continue;
            }

            return Fail(start, "unexpected character inside braces: " + QuoteRune(c));
        }
    }

    private bool LexString()
    {
        var start = _pos;
        var quote = _input[_pos++];
        while (_pos < _input.Length)
        {
            var c = _input[_pos++];
            if (c == quote)
            {
                _tokens.Add(new Token(TokenKind.String, _input[start.._pos], start));
                return true;
            }

            if (quote == '`')
            {
                continue;
            }

            if (c == '\n')
            {
                return Fail(start, "unterminated quoted string");
            }

            if (c == '\\')
            {
                if (_pos >= _input.Length)
                {
                    return Fail(start, "escape sequence not terminated");
                }

                if (!LexEscape(quote, start))
                {
                    return false;
                }
            }
        }

        return Fail(start, quote == '`' ? "unterminated raw string" : "unterminated quoted string");
    }

    // Validates one escape sequence the way Go does; the parser unquotes later.
    private bool LexEscape(char quote, int stringStart)
    {
        var c = _input[_pos++];
        int digits;
        int radix;
        switch (c)
        {
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\':
                return true;
            case 'x': digits = 2; radix = 16; break;
            case 'u': digits = 4; radix = 16; break;
            case 'U': digits = 8; radix = 16; break;
            case >= '0' and <= '7':
                digits = 3;
                radix = 8;
                _pos--;
                break;
            default:
                if (c == quote)
                {
                    return true;
                }

                return Fail(stringStart, "unknown escape sequence " + CodePoint(c));
        }

        for (var i = 0; i < digits; i++)
        {
            if (_pos >= _input.Length)
            {
                return Fail(stringStart, "escape sequence not terminated");
            }

            var d = _input[_pos++];
            var ok = radix == 8 ? d is >= '0' and <= '7' : char.IsAsciiHexDigit(d);
            if (!ok)
            {
                return Fail(stringStart, "illegal character " + CodePoint(d) + " in escape sequence");
            }
        }

        return true;
    }

    private bool LexNumberOrDuration()
    {
        var start = _pos;
        if (ScanNumber(out var numberFailEnd))
        {
            _tokens.Add(new Token(TokenKind.Number, _input[start.._pos], start));
            return true;
        }

        _pos = start;
        if (ScanDuration(out var durationFailEnd))
        {
            _tokens.Add(new Token(TokenKind.Duration, _input[start.._pos], start));
            return true;
        }

        // The message quotes what Prometheus's lexer had consumed when it gave up.
        var end = Math.Min(Math.Max(numberFailEnd, durationFailEnd), _input.Length);
        return Fail(start, "bad number or duration syntax: " + GoText.Quote(_input[start..end]));
    }

    private bool ScanNumber(out int failEnd)
    {
        if (Peek(0) == '0' && Peek(1) is 'x' or 'X')
        {
            _pos += 2;
            AcceptRun(ch => char.IsAsciiHexDigit(ch) || ch == '_');
        }
        else
        {
            AcceptRun(ch => char.IsAsciiDigit(ch) || ch == '_');
            if (Peek(0) == '.')
            {
                _pos++;
                AcceptRun(ch => char.IsAsciiDigit(ch) || ch == '_');
            }

            if (Peek(0) is 'e' or 'E')
            {
                _pos++;
                if (Peek(0) is '+' or '-')
                {
                    _pos++;
                }

                AcceptRun(char.IsAsciiDigit);
            }
        }

        // A unit, another letter or a second dot right after the digits means this is not a plain number;
        // the offending character counts as consumed.
        failEnd = _pos + 1;
        return !IsAlphaNumeric(Peek(0)) && Peek(0) != '.';
    }

    private bool ScanDuration(out int failEnd)
    {
        var any = false;
        while (char.IsAsciiDigit(Peek(0)))
        {
            AcceptRun(char.IsAsciiDigit);
            if (Peek(0) == 'm' && Peek(1) == 's')
            {
                _pos += 2;
            }
            else if (Peek(0) is 's' or 'm' or 'h' or 'd' or 'w' or 'y')
            {
                _pos++;
            }
            else
            {
                failEnd = _pos;
                return false;
            }

            any = true;
        }

        failEnd = _pos + 1;
        return any && !IsAlphaNumeric(Peek(0));
    }

    private void LexIdentifier(bool allowColon)
    {
        var start = _pos;
        _pos++;
        AcceptRun(ch => IsAlphaNumeric(ch) || (allowColon && ch == ':'));
        var text = _input[start.._pos];
        if (!allowColon)
        {
            _tokens.Add(new Token(TokenKind.Identifier, text, start));
            return;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            _tokens.Add(new Token(TokenKind.MetricIdentifier, text, start));
            return;
        }

        // Keywords are case-insensitive, as in Prometheus.
        var lower = text.ToLowerInvariant();
        if (Keywords.TryGetValue(lower, out var kind))
        {
            _tokens.Add(new Token(kind, text, start));
        }
        else if (AggregationOperatorFacts.TryParse(lower, out _))
        {
            _tokens.Add(new Token(TokenKind.Aggregator, text, start));
        }
        else
        {
            _tokens.Add(new Token(TokenKind.Identifier, text, start));
        }
    }

    private static bool IsDurationWord(string word) =>
        word.ToLowerInvariant() is "step" or "range" or "min_of" or "max_of";

    private char Peek(int offset) => _pos + offset < _input.Length ? _input[_pos + offset] : '\0';

    private void AcceptRun(Func<char, bool> accept)
    {
        while (_pos < _input.Length && accept(_input[_pos]))
        {
            _pos++;
        }
    }

    private bool Emit(TokenKind kind, int length)
    {
        _tokens.Add(new Token(kind, _input.Substring(_pos, length), _pos));
        _pos += length;
        return true;
    }

    private bool Fail(int position, string message)
    {
        _tokens.Add(new Token(TokenKind.Error, message, position));
        return false;
    }

    private static bool IsAlpha(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsAlphaNumeric(char c) => IsAlpha(c) || char.IsAsciiDigit(c);

    // Go's %#U: U+0063 'c'.
    private static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " " + QuoteRune(c);

    private static string QuoteRune(char c) => c == '\0' ? "U+0000" : "'" + (c == '\'' ? "\\'" : c.ToString()) + "'";
}
