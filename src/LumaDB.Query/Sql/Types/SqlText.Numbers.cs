using System.Globalization;
using System.Text;

namespace LumaDB.Query.Sql.Types;

/// <summary>Number input and output.</summary>
public static partial class SqlText
{
    /// <summary>float8 output: the shortest text that reads back to the same value, exponent form outside 1e-4..1e15 (PostgreSQL 12+).</summary>
    public static string FormatFloat8(double value) =>
        FormatShortest(value, value.ToString("R", Invariant), 15);

    /// <summary>float4 output: as <see cref="FormatFloat8"/> with float4's 6-digit threshold for exponent form.</summary>
    public static string FormatFloat4(float value) =>
        FormatShortest(value, value.ToString("R", Invariant), 6);

    private static string FormatShortest(double value, string roundTrip, int exponentThreshold)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        // Take .NET's shortest round-trip digits and re-lay them out the way PostgreSQL prints them.
        var s = roundTrip.AsSpan();
        var negative = s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        var exponent = 0;
        var e = s.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, Invariant);
            s = s[..e];
        }

        var point = s.IndexOf('.');
        var digits = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c != '.')
            {
                digits.Append(c);
            }
        }

        var pointPos = point >= 0 ? point : s.Length;
        while (digits.Length > 1 && digits[0] == '0')
        {
            digits.Remove(0, 1);
            pointPos--;
        }

        while (digits.Length > 1 && digits[^1] == '0')
        {
            digits.Length--;
        }

        var decimalExponent = pointPos - 1 + exponent;
        var d = digits.ToString();
        var sb = new StringBuilder(24);
        if (negative)
        {
            sb.Append('-');
        }

        if (decimalExponent < -4 || decimalExponent >= exponentThreshold)
        {
            sb.Append(d[0]);
            if (d.Length > 1)
            {
                sb.Append('.').Append(d, 1, d.Length - 1);
            }

            sb.Append('e').Append(decimalExponent < 0 ? '-' : '+').Append(Math.Abs(decimalExponent).ToString("00", Invariant));
        }
        else if (decimalExponent >= 0)
        {
            var intDigits = decimalExponent + 1;
            if (d.Length <= intDigits)
            {
                sb.Append(d).Append('0', intDigits - d.Length);
            }
            else
            {
                sb.Append(d, 0, intDigits).Append('.').Append(d, intDigits, d.Length - intDigits);
            }
        }
        else
        {
            sb.Append("0.").Append('0', -decimalExponent - 1).Append(d);
        }

        return sb.ToString();
    }

    private static long ParseInteger(string text, SqlType type, long min, long max)
    {
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.Length == 0 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[^1]))
        {
            SqlErrors.InvalidInput(type, text);
        }

        // Accumulate negatively so that the minimum value of each type parses without overflow.
        long value = 0;
        var overflow = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '_' && char.IsAsciiDigit(s[i - 1]) && char.IsAsciiDigit(s[i + 1]))
            {
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                SqlErrors.InvalidInput(type, text);
            }

            if (!overflow)
            {
                var next = (value * 10) - (c - '0');
                if (value < long.MinValue / 10 || next > value)
                {
                    overflow = true;
                }

                value = next;
            }
        }

        if (!negative)
        {
            if (overflow || value == long.MinValue)
            {
                overflow = true;
            }
            else
            {
                value = -value;
            }
        }

        if (overflow || value < min || value > max)
        {
            SqlErrors.InputOutOfRange(type, text);
        }

        return value;
    }

    private static bool TryParseSpecialFloat(ReadOnlySpan<char> s, out double value)
    {
        var negative = s.Length > 0 && s[0] == '-';
        var body = s.Length > 0 && (s[0] == '-' || s[0] == '+') ? s[1..] : s;
        if (body.Equals("infinity", StringComparison.OrdinalIgnoreCase) || body.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        value = 0;
        return false;
    }

    private static double ParseFloat8(string text)
    {
        var s = text.AsSpan().Trim();
        if (TryParseSpecialFloat(s, out var special))
        {
            return special;
        }

        if (s.Length == 0 || !double.TryParse(s, NumberStyles.Float, Invariant, out var value) || s.Contains(','))
        {
            SqlErrors.InvalidInput(SqlType.Float8, text);
            return 0;
        }

        if (double.IsInfinity(value))
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, $"\"{text}\" is out of range for type double precision");
        }

        return value;
    }

    private static float ParseFloat4(string text)
    {
        var s = text.AsSpan().Trim();
        if (TryParseSpecialFloat(s, out var special))
        {
            return (float)special;
        }

        if (s.Length == 0 || !float.TryParse(s, NumberStyles.Float, Invariant, out var value))
        {
            SqlErrors.InvalidInput(SqlType.Float4, text);
            return 0;
        }

        if (float.IsInfinity(value))
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, $"\"{text}\" is out of range for type real");
        }

        return value;
    }

    /// <summary>numeric input. System.Decimal holds 28-29 significant digits, far fewer than PostgreSQL's numeric; larger values are 22003 and NaN/Infinity are not yet supported.</summary>
    private static decimal ParseNumeric(string text)
    {
        var s = text.AsSpan().Trim();
        if (TryParseSpecialFloat(s, out _))
        {
            SqlErrors.Throw(SqlState.FeatureNotSupported, $"numeric value \"{text}\" is not supported yet");
        }

        if (s.Length == 0 || s.Contains(','))
        {
            SqlErrors.InvalidInput(SqlType.Numeric, text);
        }

        try
        {
            if (decimal.TryParse(s, NumberStyles.Float, Invariant, out var value))
            {
                // decimal rounds values below 1e-28 to zero; refuse rather than return a wrong value.
                if (value == 0 && s.IndexOfAnyInRange('1', '9') is var nonZero && nonZero >= 0 && (s.IndexOfAny('e', 'E') is var e && (e < 0 || nonZero < e)))
                {
                    SqlErrors.Throw(SqlState.FeatureNotSupported, $"numeric value \"{text}\" needs more precision than is supported yet");
                }

                return value;
            }
        }
        catch (OverflowException)
        {
        }

        if (double.TryParse(s, NumberStyles.Float, Invariant, out _))
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value overflows numeric format");
        }

        SqlErrors.InvalidInput(SqlType.Numeric, text);
        return 0;
    }
}
