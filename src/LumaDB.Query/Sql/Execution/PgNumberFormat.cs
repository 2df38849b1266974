using System.Globalization;
using System.Numerics;
using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// A parsed numeric template of to_char and to_number (9 0 . , D G S L MI PL SG PR RN TH V EEEE FM), parsed once
/// per batch and applied to every row.
/// </summary>
internal sealed class PgNumberFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly Token[] _tokens;
    private readonly bool _fillMode;
    private readonly int _pre;
    private readonly int _post;
    private readonly int _multiply;
    private readonly int _firstZero;
    private readonly int _lastZero;
    private readonly bool _hasPoint;
    private readonly bool _exponent;
    private readonly bool _roman;
    private readonly bool _anchoredSign;
    private readonly bool _signBeforeDigits;

    private PgNumberFormat(List<Token> tokens, bool fillMode)
    {
        _tokens = [.. tokens];
        _fillMode = fillMode;
        _firstZero = int.MaxValue;
        _lastZero = -1;
        var digits = 0;
        var seenDigit = false;
        var explicitSign = false;
        var bracketAt = tokens.FindIndex(t => t.Kind == Kind.Bracket);
        var multiplyAt = tokens.FindIndex(t => t.Kind == Kind.Multiply);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case Kind.Digit or Kind.Zero:
                    if (_exponent)
                    {
                        throw Syntax("\"EEEE\" must be the last pattern used");
                    }

                    if (bracketAt >= 0 && i > bracketAt)
                    {
                        throw Syntax($"\"{(token.Kind == Kind.Zero ? '0' : '9')}\" must be ahead of \"PR\"");
                    }

                    if (token.Kind == Kind.Zero)
                    {
                        _firstZero = Math.Min(_firstZero, digits);
                        _lastZero = digits;
                    }

                    digits++;
                    if (_hasPoint)
                    {
                        _post++;
                    }
                    else
                    {
                        _pre++;
                    }

                    if (multiplyAt >= 0 && i > multiplyAt)
                    {
                        _multiply++;
                    }

                    seenDigit = true;
                    break;
                case Kind.Point:
                    if (_hasPoint)
                    {
                        throw Syntax("multiple decimal points");
                    }

                    if (multiplyAt >= 0)
                    {
                        throw Syntax("cannot use \"V\" and decimal point together");
                    }

                    _hasPoint = true;
                    break;
                case Kind.Sign:
                    if (explicitSign && tokens.Count(t => t.Kind == Kind.Sign) > 1)
                    {
                        throw Syntax("cannot use \"S\" twice");
                    }

                    explicitSign = true;
                    _signBeforeDigits = !seenDigit || tokens.Skip(i).Any(t => t.Kind is Kind.Digit or Kind.Zero);
                    break;
                case Kind.Minus or Kind.SignAlways or Kind.Bracket:
                    explicitSign = true;
                    break;
                case Kind.Exponent:
                    _exponent = true;
                    break;
                case Kind.Roman or Kind.RomanLower:
                    _roman = true;
                    break;
            }
        }

        if (_exponent && (fillMode || tokens.Any(t => t.Kind is Kind.Sign or Kind.Minus or Kind.Plus or Kind.SignAlways or Kind.Bracket or Kind.Currency or Kind.Group or Kind.Roman or Kind.Multiply or Kind.Ordinal)))
        {
            throw new SqlException(SqlState.SyntaxError, "\"EEEE\" is incompatible with other formats", null,
                "\"EEEE\" may only be used together with digit and decimal point patterns.");
        }

        _anchoredSign = !explicitSign || _signBeforeDigits || tokens.Any(t => t.Kind == Kind.Bracket);
        _signBeforeDigits &= tokens.Any(t => t.Kind == Kind.Sign);
    }

    private enum Kind
    {
        Literal,
        Digit,
        Zero,
        Point,
        Group,
        Sign,
        Currency,
        Minus,
        Plus,
        SignAlways,
        Bracket,
        Roman,
        RomanLower,
        Ordinal,
        OrdinalLower,
        Multiply,
        Exponent,
    }

    /// <summary>Parses a numeric template; fails with PostgreSQL's syntax errors for contradictory patterns.</summary>
    public static PgNumberFormat Parse(string template)
    {
        var tokens = new List<Token>();
        var fillMode = false;
        var pos = 0;
        while (pos < template.Length)
        {
            var rest = template.AsSpan(pos);
            (Kind Kind, int Length)? match = rest switch
            {
                _ when rest.StartsWith("FM", StringComparison.OrdinalIgnoreCase) => (Kind.Literal, -2),
                _ when rest.StartsWith("EEEE", StringComparison.OrdinalIgnoreCase) => (Kind.Exponent, 4),
                _ when rest.StartsWith("MI", StringComparison.OrdinalIgnoreCase) => (Kind.Minus, 2),
                _ when rest.StartsWith("PL", StringComparison.OrdinalIgnoreCase) => (Kind.Plus, 2),
                _ when rest.StartsWith("SG", StringComparison.OrdinalIgnoreCase) => (Kind.SignAlways, 2),
                _ when rest.StartsWith("PR", StringComparison.OrdinalIgnoreCase) => (Kind.Bracket, 2),
                _ when rest.StartsWith("RN") => (Kind.Roman, 2),
                _ when rest.StartsWith("rn") => (Kind.RomanLower, 2),
                _ when rest.StartsWith("TH") => (Kind.Ordinal, 2),
                _ when rest.StartsWith("th") => (Kind.OrdinalLower, 2),
                _ => char.ToUpperInvariant(rest[0]) switch
                {
                    '9' => (Kind.Digit, 1),
                    '0' => (Kind.Zero, 1),
                    '.' or 'D' => (Kind.Point, 1),
                    ',' or 'G' => (Kind.Group, 1),
                    'S' => (Kind.Sign, 1),
                    'L' => (Kind.Currency, 1),
                    'V' => (Kind.Multiply, 1),
                    _ => null,
                },
            };
            if (match is { Length: -2 })
            {
                fillMode = true;
                pos += 2;
            }
            else if (match is { } m)
            {
                tokens.Add(new Token(m.Kind, ""));
                pos += m.Length;
            }
            else if (template[pos] == '"')
            {
                var quoted = new StringBuilder();
                pos++;
                while (pos < template.Length && template[pos] != '"')
                {
                    if (template[pos] == '\\' && pos + 1 < template.Length)
                    {
                        pos++;
                    }

                    quoted.Append(template[pos++]);
                }

                pos++;
                tokens.Add(new Token(Kind.Literal, quoted.ToString()));
            }
            else
            {
                var escapedQuote = template[pos] == '\\' && pos + 1 < template.Length && template[pos + 1] == '"';
                tokens.Add(new Token(Kind.Literal, escapedQuote ? "\"" : template[pos].ToString()));
                pos += escapedQuote ? 2 : 1;
            }
        }

        return new PgNumberFormat(tokens, fillMode);
    }

    private static SqlException Syntax(string message) => new(SqlState.SyntaxError, message);

    /// <summary>to_char(numeric|int, text): numeric rounds half away from zero.</summary>
    public string Format(decimal value)
    {
        if (_roman)
        {
            return Roman(Math.Round(value, MidpointRounding.AwayFromZero));
        }

        if (_multiply > 0)
        {
            value = Scale(value, _multiply);
        }

        if (_exponent)
        {
            return Exponent(value < 0, value == 0 ? "0" : Math.Abs(value).ToString("E" + Math.Min(_post, 27), Invariant), false);
        }

        var rounded = Math.Round(Math.Abs(value), Math.Min(_post, 28), MidpointRounding.AwayFromZero);
        var text = rounded.ToString("F" + _post, Invariant);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return Render(value < 0 && rounded != 0, point < 0 ? text : text[..point], point < 0 ? "" : text[(point + 1)..], overflow: false);
    }

    /// <summary>to_char(float4|float8, text): the exact binary value rounded half to even, to at most 15 (float4: 6) significant digits.</summary>
    public string Format(double value, int significantDigits)
    {
        if (_roman)
        {
            return double.IsFinite(value) && Math.Abs(value) < 1e6 ? Roman((decimal)Math.Round(value, MidpointRounding.ToEven)) : Roman(0);
        }

        if (_multiply > 0)
        {
            value *= Math.Pow(10, _multiply);
        }

        var negative = double.IsNegative(value) && !double.IsNaN(value);
        if (!double.IsFinite(value))
        {
            return _exponent ? Exponent(negative, null, true) : Render(negative, "", "", overflow: true);
        }

        var abs = Math.Abs(value);
        if (_exponent)
        {
            return Exponent(negative, ExactExponent(abs, _post), false);
        }

        var integerDigits = ExactFixed(abs, 0).Length;
        var post = Math.Min(_post, Math.Max(0, significantDigits - integerDigits));
        var text = ExactFixed(abs, post);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return Render(negative, point < 0 ? text : text[..point], point < 0 ? "" : text[(point + 1)..], overflow: false);
    }

    private static decimal Scale(decimal value, int digits)
    {
        for (var i = 0; i < digits; i++)
        {
            value *= 10;
        }

        return value;
    }

    private string Roman(decimal rounded)
    {
        string text;
        if (rounded is < 1 or > 3999)
        {
            text = new string('#', 15);
        }
        else
        {
            var n = (int)rounded;
            var sb = new StringBuilder();
            (int Value, string Numeral)[] numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
            foreach (var (v, numeral) in numerals)
            {
                while (n >= v)
                {
                    sb.Append(numeral);
                    n -= v;
                }
            }

            text = _fillMode ? sb.ToString() : sb.ToString().PadLeft(15);
        }

        var result = new StringBuilder();
        foreach (var token in _tokens)
        {
            if (token.Kind == Kind.Literal)
            {
                result.Append(token.Text);
            }
            else if (token.Kind is Kind.Roman or Kind.RomanLower)
            {
                result.Append(token.Kind == Kind.RomanLower ? text.ToLowerInvariant() : text);
            }
        }

        return result.ToString();
    }

    /// <summary>EEEE: sign column, mantissa with the template's fraction digits, and a two-digit (or longer) exponent.</summary>
    private string Exponent(bool negative, string? formatted, bool overflow)
    {
        if (overflow || formatted is null)
        {
            return " " + new string('#', _pre) + "." + new string('#', _post) + "####";
        }

        string mantissa;
        int exponent;
        if (formatted == "0")
        {
            mantissa = _post > 0 ? "0." + new string('0', _post) : "0";
            exponent = 0;
        }
        else
        {
            var e = formatted.IndexOf('E', StringComparison.Ordinal);
            mantissa = formatted[..e];
            exponent = int.Parse(formatted.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Invariant);
        }

        var exponentText = Math.Abs(exponent).ToString("00", Invariant);
        return (negative ? "-" : " ") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText;
    }

    /// <summary>Lays the digits out over the template.</summary>
    private string Render(bool negative, string integerDigits, string fraction, bool overflow)
    {
        var intText = integerDigits;
        if (overflow || intText.Length > _pre)
        {
            overflow = true;
            intText = new string('#', _pre);
            fraction = new string('#', _post);
        }

        var pad = _pre - intText.Length;

        // Fill mode drops trailing fraction zeros, except those a '0' pattern asks for.
        var keep = fraction.Length;
        if (_fillMode && !overflow)
        {
            keep = fraction.TrimEnd('0').Length;
            if (_lastZero >= _pre)
            {
                keep = Math.Max(keep, Math.Min(fraction.Length, _lastZero - _pre + 1));
            }
        }

        var blankLeadingZero = !overflow && intText == "0" && fraction.Length > 0 && _firstZero > _pre - 1;
        var sign = negative ? (_tokens.Any(t => t.Kind == Kind.Bracket) ? "<" : "-") : _signBeforeDigits ? "+" : _fillMode ? "" : " ";
        if (!negative && _tokens.Any(t => t.Kind == Kind.Bracket))
        {
            sign = _fillMode ? "" : " ";
        }

        var signPending = _anchoredSign;
        var sb = new StringBuilder();
        var digit = 0;
        var started = false;
        void Visible(StringBuilder b, string text)
        {
            if (signPending)
            {
                b.Append(sign);
                signPending = false;
            }

            b.Append(text);
            started = true;
        }

        void Blank(StringBuilder b)
        {
            if (!_fillMode)
            {
                b.Append(' ');
            }
        }

        foreach (var token in _tokens)
        {
            switch (token.Kind)
            {
                case Kind.Literal:
                    sb.Append(token.Text);
                    break;
                case Kind.Digit or Kind.Zero:
                    if (digit < _pre)
                    {
                        if (digit < pad)
                        {
                            if (_firstZero <= digit)
                            {
                                Visible(sb, "0");
                            }
                            else
                            {
                                Blank(sb);
                            }
                        }
                        else if (blankLeadingZero && digit == _pre - 1)
                        {
                            if (_fillMode && keep == 0)
                            {
                                Visible(sb, "0");
                            }
                            else
                            {
                                Blank(sb);
                            }
                        }
                        else
                        {
                            Visible(sb, intText[digit - pad].ToString());
                        }
                    }
                    else
                    {
                        var j = digit - _pre;
                        if (j < fraction.Length && j < keep)
                        {
                            Visible(sb, fraction[j].ToString());
                        }
                    }

                    digit++;
                    break;
                case Kind.Point:
                    if (_post > 0 && (fraction.Length > 0 || overflow))
                    {
                        Visible(sb, ".");
                    }

                    break;
                case Kind.Group:
                    if (started)
                    {
                        sb.Append(',');
                    }
                    else
                    {
                        Blank(sb);
                    }

                    break;
                case Kind.Currency:
                    sb.Append(' ');
                    break;
                case Kind.Sign:
                    if (!_signBeforeDigits)
                    {
                        sb.Append(negative ? '-' : '+');
                    }

                    break;
                case Kind.Minus:
                    sb.Append(negative ? "-" : _fillMode ? "" : " ");
                    break;
                case Kind.Plus:
                    sb.Append(negative ? _fillMode ? "" : " " : "+");
                    break;
                case Kind.SignAlways:
                    sb.Append(negative ? '-' : '+');
                    break;
                case Kind.Bracket:
                    sb.Append(negative ? ">" : _fillMode ? "" : " ");
                    break;
                case Kind.Ordinal or Kind.OrdinalLower:
                    if (!negative && !overflow && intText.Length > 0)
                    {
                        var tens = intText.Length >= 2 ? intText[^2] : '0';
                        var suffix = tens == '1' ? "th" : intText[^1] switch { '1' => "st", '2' => "nd", '3' => "rd", _ => "th" };
                        sb.Append(token.Kind == Kind.Ordinal ? suffix.ToUpperInvariant() : suffix);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The exact decimal expansion of a finite non-negative double, rounded half to even at <paramref name="decimals"/> places.</summary>
    private static string ExactFixed(double value, int decimals)
    {
        var (numerator, denominator) = Exact(value);
        var scaled = numerator * BigInteger.Pow(10, decimals);
        var quotient = BigInteger.DivRem(scaled, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var digits = quotient.ToString(Invariant).PadLeft(decimals + 1, '0');
        return decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
    }

    /// <summary>A double in scientific form (mantissa with <paramref name="decimals"/> places, half to even), as "d.ddE+x".</summary>
    private static string ExactExponent(double value, int decimals)
    {
        if (value == 0)
        {
            return "0";
        }

        var exponent = (int)Math.Floor(Math.Log10(value));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (numerator, denominator) = Exact(value);
            var shift = decimals - exponent;
            if (shift >= 0)
            {
                numerator *= BigInteger.Pow(10, shift);
            }
            else
            {
                denominator *= BigInteger.Pow(10, -shift);
            }

            var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !quotient.IsEven))
            {
                quotient += 1;
            }

            var digits = quotient.ToString(Invariant);
            if (digits.Length == decimals + 1)
            {
                var mantissa = decimals == 0 ? digits : digits[..1] + "." + digits[1..];
                return mantissa + "E" + exponent.ToString(Invariant);
            }

            exponent += digits.Length > decimals + 1 ? 1 : -1;
        }

        return "0";
    }

    private static (BigInteger Numerator, BigInteger Denominator) Exact(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        return exponent >= 0
            ? (new BigInteger(mantissa) << exponent, BigInteger.One)
            : (new BigInteger(mantissa), BigInteger.One << -exponent);
    }

    /// <summary>to_number(text, text): reads digits, sign, decimal point and group separators where the template puts them.</summary>
    public decimal? ParseNumber(string input)
    {
        if (_exponent)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "\"EEEE\" not supported for input");
        }

        if (_tokens.Length == 0)
        {
            return null;
        }

        var digits = new StringBuilder();
        var negative = false;
        var pointAt = -1;
        var pos = 0;
        foreach (var token in _tokens)
        {
            if (pos >= input.Length)
            {
                break;
            }

            switch (token.Kind)
            {
                case Kind.Digit or Kind.Zero:
                    while (pos < input.Length - 1 && input[pos] == ' ')
                    {
                        pos++;
                    }

                    if (input[pos] is '-' or '<')
                    {
                        negative = true;
                        pos++;
                    }
                    else if (input[pos] == '+')
                    {
                        pos++;
                    }

                    if (pos < input.Length && char.IsAsciiDigit(input[pos]))
                    {
                        digits.Append(input[pos]);
                        pos++;
                    }
                    else if (pos < input.Length && input[pos] == ' ')
                    {
                        pos++;
                    }

                    break;
                case Kind.Point:
                    if (input[pos] == '.')
                    {
                        pointAt = digits.Length;
                        pos++;
                    }

                    break;
                case Kind.Group:
                    if (input[pos] == ',')
                    {
                        pos++;
                    }

                    break;
                case Kind.Sign or Kind.Minus or Kind.SignAlways or Kind.Plus or Kind.Bracket:
                    if (input[pos] is '-' or '<')
                    {
                        negative = true;
                        pos++;
                    }
                    else if (input[pos] is '+' or '>' or ' ')
                    {
                        pos++;
                    }

                    break;
                case Kind.Currency:
                    if (!char.IsAsciiDigit(input[pos]))
                    {
                        pos++;
                    }

                    break;
                case Kind.Ordinal or Kind.OrdinalLower:
                    pos = Math.Min(input.Length, pos + 2);
                    break;
                case Kind.Literal:
                    pos = Math.Min(input.Length, pos + token.Text.Length);
                    break;
            }
        }

        if (digits.Length == 0)
        {
            throw new SqlException(SqlState.InvalidTextRepresentation, "invalid input syntax for type numeric: \" \"");
        }

        var text = pointAt < 0 ? digits.ToString() : digits.ToString(0, pointAt) + "." + digits.ToString(pointAt, digits.Length - pointAt);
        if (text.StartsWith('.'))
        {
            text = "0" + text;
        }

        var result = decimal.Parse(text, NumberStyles.AllowDecimalPoint, Invariant);
        if (_multiply > 0)
        {
            for (var i = 0; i < _multiply; i++)
            {
                result /= 10;
            }
        }

        return negative ? -result : result;
    }

    private sealed record Token(Kind Kind, string Text);
}
