using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace LumaDB.Query.Sql.Parser;

/// <summary>
/// Splits PostgreSQL-dialect SQL into tokens following PostgreSQL's lexical rules: case folding, quoted
/// identifiers, standard/escape/dollar-quoted strings, numeric forms, parameters, the operator rule and
/// nested comments. Works over a span; only token texts are allocated.
/// </summary>
public ref partial struct SqlLexer
{
    // The characters PostgreSQL allows in operator names.
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    // An operator containing one of these may end in + or -; others may not (so "a*-1" is "*" then "-").
    private static readonly SearchValues<char> OperatorSpecialChars = SearchValues.Create("~!@#%^&|`?");

    private readonly ReadOnlySpan<char> _source;
    private int _pos;

    /// <summary>Creates a lexer over <paramref name="source"/>.</summary>
    public SqlLexer(ReadOnlySpan<char> source)
    {
        _source = source;
        _pos = 0;
    }

    /// <summary>Reads every token, ending with one <see cref="SqlTokenKind.EndOfInput"/>.</summary>
    /// <exception cref="SqlSyntaxException">On an unterminated literal or comment, or malformed number.</exception>
    public static List<SqlToken> Tokenize(ReadOnlySpan<char> source)
    {
        var lexer = new SqlLexer(source);
        var tokens = new List<SqlToken>(Math.Max(4, source.Length / 4));
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == SqlTokenKind.EndOfInput)
            {
                return tokens;
            }
        }
    }

    /// <summary>Reads the next token.</summary>
    /// <exception cref="SqlSyntaxException">On an unterminated literal or comment, or malformed number.</exception>
    public SqlToken Next()
    {
        SkipWhitespaceAndComments();
        if (_pos >= _source.Length)
        {
            return new SqlToken(SqlTokenKind.EndOfInput, _source.Length, 0, string.Empty);
        }

        var start = _pos;
        var c = _source[_pos];
        var next = Peek(1);
        switch (c)
        {
            case '\'':
                return LexString(start, start, escapes: false);
            case '"':
                return LexQuotedIdentifier(start);
            case '$':
                return LexDollar(start);
            case ',':
                return Punct(SqlTokenKind.Comma, ",");
            case '(':
                return Punct(SqlTokenKind.LeftParen, "(");
            case ')':
                return Punct(SqlTokenKind.RightParen, ")");
            case '[':
                return Punct(SqlTokenKind.LeftBracket, "[");
            case ']':
                return Punct(SqlTokenKind.RightBracket, "]");
            case ';':
                return Punct(SqlTokenKind.Semicolon, ";");
            case ':':
                if (next == ':')
                {
                    _pos += 2;
                    return new SqlToken(SqlTokenKind.DoubleColon, start, 2, "::");
                }

                if (next == '=')
                {
                    _pos += 2;
                    return new SqlToken(SqlTokenKind.ColonEquals, start, 2, ":=");
                }

                return Punct(SqlTokenKind.Colon, ":");
            case '.':
                if (char.IsAsciiDigit(next))
                {
                    return LexNumber(start);
                }

                return Punct(SqlTokenKind.Dot, ".");
        }

        if (char.IsAsciiDigit(c))
        {
            return LexNumber(start);
        }

        if (next == '\'')
        {
            switch (c)
            {
                case 'e' or 'E':
                    return LexString(start, start + 1, escapes: true);
                case 'n' or 'N':
                    return LexString(start, start + 1, escapes: false);
                case 'b' or 'B':
                    return LexBitString(start, SqlTokenKind.BitString);
                case 'x' or 'X':
                    return LexBitString(start, SqlTokenKind.HexString);
            }
        }

        if (IsIdentifierStart(c))
        {
            return LexIdentifier(start);
        }

        if (OperatorChars.Contains(c, StringComparison.Ordinal))
        {
            return LexOperator(start);
        }

        throw Error(start, "syntax error at or near \"" + c + "\"");
    }

    private readonly char Peek(int ahead) => _pos + ahead < _source.Length ? _source[_pos + ahead] : '\0';

    private SqlToken Punct(SqlTokenKind kind, string text)
    {
        _pos++;
        return new SqlToken(kind, _pos - 1, 1, text);
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;

    private void SkipWhitespaceAndComments()
    {
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                _pos++;
            }
            else if (c == '-' && Peek(1) == '-')
            {
                SkipLineComment();
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipLineComment()
    {
        while (_pos < _source.Length && _source[_pos] != '\n' && _source[_pos] != '\r')
        {
            _pos++;
        }
    }

    private void SkipBlockComment()
    {
        // PostgreSQL nests block comments, unlike the SQL standard's single level.
        var start = _pos;
        var depth = 0;
        while (_pos < _source.Length)
        {
            if (_source[_pos] == '/' && Peek(1) == '*')
            {
                depth++;
                _pos += 2;
            }
            else if (_source[_pos] == '*' && Peek(1) == '/')
            {
                depth--;
                _pos += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                _pos++;
            }
        }

        throw Error(start, "unterminated /* comment at or near \"" + _source[start..].ToString() + "\"");
    }

    private SqlToken LexIdentifier(int start)
    {
        while (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
        {
            _pos++;
        }

        var raw = _source[start.._pos];
        return new SqlToken(SqlTokenKind.Identifier, start, _pos - start, FoldIdentifier(raw));
    }

    private static string FoldIdentifier(ReadOnlySpan<char> raw)
    {
        // PostgreSQL folds only ASCII letters; other characters keep their case. Keywords come back as
        // shared strings so that lexing them allocates nothing.
        Span<char> buffer = raw.Length <= 128 ? stackalloc char[raw.Length] : new char[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            buffer[i] = char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c;
        }

        return SqlKeywords.TryGetKeyword(buffer, out var keyword) ? keyword : buffer.ToString();
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private SqlToken LexNumber(int start)
    {
        var isDecimal = false;
        if (_source[_pos] == '0' && Peek(1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            var radix = Peek(1) is 'x' or 'X' ? 16 : Peek(1) is 'o' or 'O' ? 8 : 2;
            _pos += 2;
            var digitsStart = _pos;
            SkipDigits(radix);
            if (_pos == digitsStart)
            {
                throw TrailingJunk(start);
            }
        }
        else
        {
            SkipDigits(10);
            if (Peek(0) == '.' && Peek(1) != '.')
            {
                isDecimal = true;
                _pos++;
                SkipDigits(10);
            }

            if (Peek(0) is 'e' or 'E')
            {
                var save = _pos;
                _pos++;
                if (Peek(0) is '+' or '-')
                {
                    _pos++;
                }

                if (!char.IsAsciiDigit(Peek(0)))
                {
                    _pos = save + 1;
                    throw TrailingJunk(start);
                }

                SkipDigits(10);
                isDecimal = true;
            }
        }

        if (_pos < _source.Length && IsIdentifierStart(_source[_pos]))
        {
            throw TrailingJunk(start);
        }

        var raw = _source[start.._pos];
        var text = raw.Contains('_') ? raw.ToString().Replace("_", string.Empty, StringComparison.Ordinal) : raw.ToString();
        return new SqlToken(isDecimal ? SqlTokenKind.Decimal : SqlTokenKind.Integer, start, _pos - start, text);
    }

    private void SkipDigits(int radix)
    {
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            var digit = HexValue(c);
            if (digit >= 0 && digit < radix)
            {
                _pos++;
            }
            else if (c == '_' && _pos + 1 < _source.Length && HexValue(_source[_pos + 1]) is var d && d >= 0 && d < radix)
            {
                // Underscores may separate digits (PostgreSQL 16), never lead or trail.
                _pos++;
            }
            else
            {
                return;
            }
        }
    }

    private SqlSyntaxException TrailingJunk(int start)
    {
        var end = Math.Min(_source.Length, _pos + 1);
        return Error(start, "trailing junk after numeric literal at or near \"" + _source[start..end].ToString() + "\"");
    }

    private SqlToken LexOperator(int start)
    {
        while (_pos < _source.Length && OperatorChars.Contains(_source[_pos], StringComparison.Ordinal))
        {
            // A comment start ends the operator, even in the middle.
            if (_pos > start && ((_source[_pos] == '-' && Peek(1) == '-') || (_source[_pos] == '/' && Peek(1) == '*')))
            {
                break;
            }

            _pos++;
        }

        var length = _pos - start;
        if (length > 1 && _source.Slice(start, length).IndexOfAny(OperatorSpecialChars) < 0)
        {
            while (length > 1 && _source[start + length - 1] is '+' or '-')
            {
                length--;
            }
        }

        _pos = start + length;
        // Common operators map to literal strings instead of a new string per token.
        var text = _source.Slice(start, length) switch
        {
            "!=" or "<>" => "<>",
            "=" => "=",
            "<" => "<",
            ">" => ">",
            "<=" => "<=",
            ">=" => ">=",
            "+" => "+",
            "-" => "-",
            "*" => "*",
            "/" => "/",
            "%" => "%",
            "^" => "^",
            "||" => "||",
            "->" => "->",
            "->>" => "->>",
            var other => other.ToString(),
        };
        return new SqlToken(SqlTokenKind.Operator, start, length, text);
    }

    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Reads the source span.")]
    private readonly SqlSyntaxException Error(int offset, string message) => new(SqlSyntaxError.At(_source, offset, message));

    /// <summary>Parses an integer token's text (decimal, 0x, 0o or 0b) as a 64-bit value.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        if (text.Length > 2 && text[0] == '0' && char.IsAsciiLetter(text[1]))
        {
            var radix = text[1] is 'x' or 'X' ? 16 : text[1] is 'o' or 'O' ? 8 : 2;
            value = 0;
            foreach (var c in text.AsSpan(2))
            {
                var digit = HexValue(c);
                if (value > (long.MaxValue - digit) / radix)
                {
                    return false;
                }

                value = (value * radix) + digit;
            }

            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
