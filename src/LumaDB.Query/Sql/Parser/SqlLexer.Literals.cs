using System.Text;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Quoted forms: identifiers, standard/escape/dollar-quoted strings and bit strings.</summary>
public ref partial struct SqlLexer
{
    private SqlToken LexQuotedIdentifier(int start)
    {
        _pos++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_pos >= _source.Length)
            {
                throw Error(start, "unterminated quoted identifier at or near \"" + _source[start..].ToString() + "\"");
            }

            var c = _source[_pos++];
            if (c == '"')
            {
                if (Peek(0) == '"')
                {
                    builder.Append('"');
                    _pos++;
                    continue;
                }

                break;
            }

            builder.Append(c);
        }

        if (builder.Length == 0)
        {
            throw Error(start, "zero-length delimited identifier at or near \"\"\"\"");
        }

        return new SqlToken(SqlTokenKind.QuotedIdentifier, start, _pos - start, builder.ToString());
    }

    private SqlToken LexString(int start, int quote, bool escapes)
    {
        if (!escapes && TryLexPlainString(start, quote) is { } plain)
        {
            return plain;
        }

        _pos = quote + 1;
        var builder = new StringBuilder();
        while (true)
        {
            if (_pos >= _source.Length)
            {
                throw Error(start, "unterminated quoted string at or near \"" + _source[start..].ToString() + "\"");
            }

            var c = _source[_pos++];
            if (c == '\'')
            {
                if (Peek(0) == '\'')
                {
                    builder.Append('\'');
                    _pos++;
                    continue;
                }

                if (TrySkipToContinuation())
                {
                    continue;
                }

                break;
            }

            if (c == '\\' && escapes)
            {
                AppendEscape(builder, start);
                continue;
            }

            builder.Append(c);
        }

        return new SqlToken(SqlTokenKind.String, start, _pos - start, builder.ToString());
    }

    /// <summary>The common case — no doubled quotes, no continuation — as one slice of the source.</summary>
    private SqlToken? TryLexPlainString(int start, int quote)
    {
        var close = _source[(quote + 1)..].IndexOf('\'');
        if (close < 0)
        {
            return null;
        }

        var after = quote + 1 + close + 1;
        if (after < _source.Length && _source[after] == '\'')
        {
            return null;
        }

        _pos = after;
        if (TrySkipToContinuation())
        {
            return null;
        }

        return new SqlToken(SqlTokenKind.String, start, after - start, _source.Slice(quote + 1, close).ToString());
    }

    // Two string constants separated only by whitespace that includes a newline are one constant (SQL standard).
    private bool TrySkipToContinuation()
    {
        var p = _pos;
        while (p < _source.Length && _source[p] is ' ' or '\t' or '\f' or '\v')
        {
            p++;
        }

        if (p >= _source.Length || _source[p] is not ('\n' or '\r'))
        {
            return false;
        }

        while (p < _source.Length)
        {
            var c = _source[p];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                p++;
            }
            else if (c == '-' && p + 1 < _source.Length && _source[p + 1] == '-')
            {
                while (p < _source.Length && _source[p] is not ('\n' or '\r'))
                {
                    p++;
                }
            }
            else if (c == '\'')
            {
                _pos = p + 1;
                return true;
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    private void AppendEscape(StringBuilder builder, int start)
    {
        if (_pos >= _source.Length)
        {
            throw Error(start, "unterminated quoted string at or near \"" + _source[start..].ToString() + "\"");
        }

        var c = _source[_pos++];
        switch (c)
        {
            case 'b':
                builder.Append('\b');
                return;
            case 'f':
                builder.Append('\f');
                return;
            case 'n':
                builder.Append('\n');
                return;
            case 'r':
                builder.Append('\r');
                return;
            case 't':
                builder.Append('\t');
                return;
            case 'x':
                AppendCodePoint(builder, ReadDigits(16, 2, 1, start), start);
                return;
            case 'u':
                AppendCodePoint(builder, ReadDigits(16, 4, 4, start), start);
                return;
            case 'U':
                AppendCodePoint(builder, ReadDigits(16, 8, 8, start), start);
                return;
        }

        if (c is >= '0' and <= '7')
        {
            _pos--;
            AppendCodePoint(builder, ReadDigits(8, 3, 1, start), start);
            return;
        }

        builder.Append(c);
    }

    private int ReadDigits(int radix, int max, int min, int start)
    {
        var value = 0;
        var count = 0;
        while (count < max && _pos < _source.Length)
        {
            var digit = HexValue(_source[_pos]);
            if (digit < 0 || digit >= radix)
            {
                break;
            }

            value = (value * radix) + digit;
            _pos++;
            count++;
        }

        if (count < min)
        {
            throw Error(start, "invalid Unicode escape");
        }

        return value;
    }

    private readonly void AppendCodePoint(StringBuilder builder, int codePoint, int start)
    {
        if (codePoint is < 0 or > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF && codePoint > 0xFFFF)
        {
            throw Error(start, "invalid Unicode escape value");
        }

        if (codePoint <= 0xFFFF)
        {
            builder.Append((char)codePoint);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
    }

    private SqlToken LexBitString(int start, SqlTokenKind kind)
    {
        _pos = start + 2;
        var digitsStart = _pos;
        while (_pos < _source.Length && _source[_pos] != '\'')
        {
            _pos++;
        }

        if (_pos >= _source.Length)
        {
            var what = kind == SqlTokenKind.BitString ? "bit string literal" : "hexadecimal string literal";
            throw Error(start, "unterminated " + what + " at or near \"" + _source[start..].ToString() + "\"");
        }

        var digits = _source[digitsStart.._pos].ToString();
        _pos++;
        foreach (var d in digits)
        {
            var valid = kind == SqlTokenKind.BitString ? d is '0' or '1' : HexValue(d) >= 0;
            if (!valid)
            {
                var message = kind == SqlTokenKind.BitString
                    ? "\"" + d + "\" is not a valid binary digit"
                    : "\"" + d + "\" is not a valid hexadecimal digit";
                throw Error(start, message);
            }
        }

        return new SqlToken(kind, start, _pos - start, digits);
    }

    private SqlToken LexDollar(int start)
    {
        if (char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (_pos < _source.Length && char.IsAsciiDigit(_source[_pos]))
            {
                _pos++;
            }

            if (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
            {
                throw Error(start, "trailing junk after parameter at or near \"" + _source[start..(_pos + 1)].ToString() + "\"");
            }

            return new SqlToken(SqlTokenKind.Parameter, start, _pos - start, _source[(start + 1).._pos].ToString());
        }

        // Dollar quoting: $tag$ ... $tag$ where the tag is empty or identifier-like without '$'.
        var p = start + 1;
        if (p < _source.Length && IsIdentifierStart(_source[p]))
        {
            p++;
            while (p < _source.Length && _source[p] != '$' && IsIdentifierPart(_source[p]))
            {
                p++;
            }
        }

        if (p >= _source.Length || _source[p] != '$')
        {
            throw Error(start, "syntax error at or near \"$\"");
        }

        var delimiter = _source[start..(p + 1)];
        var bodyStart = p + 1;
        var close = _source[bodyStart..].IndexOf(delimiter, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error(start, "unterminated dollar-quoted string at or near \"" + _source[start..].ToString() + "\"");
        }

        _pos = bodyStart + close + delimiter.Length;
        return new SqlToken(SqlTokenKind.String, start, _pos - start, _source.Slice(bodyStart, close).ToString());
    }
}
