using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// format(): <c>%[n$][-][width|*|*n$]{s|I|L}</c> and <c>%%</c>. Arguments print through their types' output
/// functions; %I quotes an identifier and refuses NULL, %L quotes a literal and prints NULL as <c>NULL</c>.
/// After an explicit position, the next plain specifier takes the argument after it.
/// </summary>
internal static class FormatFunction
{
    private const string SingleHint = "For a single \"%\" use \"%%\".";

    /// <summary>Formats one row; <paramref name="values"/> and <paramref name="types"/> are the arguments after the format string.</summary>
    public static string Apply(string format, ReadOnlySpan<object?> values, ReadOnlySpan<SqlType> types)
    {
        var result = new StringBuilder(format.Length + 16);
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                result.Append(format[i]);
                continue;
            }

            Advance(format, ref i);
            if (format[i] == '%')
            {
                result.Append('%');
                continue;
            }

            var spec = ParseSpecifier(format, ref i);
            var conversion = format[i];
            if (conversion is not ('s' or 'I' or 'L'))
            {
                var width = char.IsHighSurrogate(conversion) && i + 1 < format.Length ? 2 : 1;
                SqlErrors.Throw(SqlState.InvalidParameterValue, $"unrecognized format() type specifier \"{format.Substring(i, width)}\"", SingleHint);
            }

            var padTo = spec.Width;
            if (spec.WidthArgument >= 0)
            {
                if (spec.WidthArgument > 0)
                {
                    next = spec.WidthArgument - 1;
                }

                padTo = WidthOf(Argument(values, next), types[next]);
                next++;
            }

            if (spec.Argument > 0)
            {
                next = spec.Argument - 1;
            }

            var value = Argument(values, next);
            var type = types[next];
            next++;
            Append(result, Convert(conversion, value, type), spec.LeftAlign, padTo);
        }

        return result.ToString();
    }

    private static object? Argument(ReadOnlySpan<object?> values, int index)
    {
        if (index >= values.Length)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "too few arguments for format()");
        }

        return values[index];
    }

    /// <summary>A width taken from an argument: NULL is no width, a negative one aligns left.</summary>
    private static int WidthOf(object? value, SqlType type) => value switch
    {
        null => 0,
        int i => i,
        short s => s,
        _ => (int)SqlText.Parse(SqlText.Format(value, type), SqlType.Int4),
    };

    private static string Convert(char conversion, object? value, SqlType type)
    {
        if (value is null)
        {
            if (conversion == 'I')
            {
                SqlErrors.Throw(SqlState.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier");
            }

            return conversion == 'L' ? "NULL" : string.Empty;
        }

        var text = SqlText.Format(value, type);
        return conversion switch
        {
            'I' => Catalog.PgCatalog.QuoteIdentifier(text),
            'L' => ExpressionEvaluator.QuoteLiteral(text),
            _ => text,
        };
    }

    private static void Append(StringBuilder result, string text, bool leftAlign, int width)
    {
        if (width == 0)
        {
            result.Append(text);
            return;
        }

        if (width < 0)
        {
            if (width == int.MinValue)
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "number is out of range");
            }

            leftAlign = true;
            width = -width;
        }

        var padding = Math.Max(0, width - StringKernels.CodePoints(text));
        if (!leftAlign)
        {
            result.Append(' ', padding);
        }

        result.Append(text);
        if (leftAlign)
        {
            result.Append(' ', padding);
        }
    }

    /// <summary>
    /// The optional parts between '%' and the conversion letter; leaves <paramref name="i"/> on the letter.
    /// Argument and WidthArgument are 1-based positions; WidthArgument 0 means "the next argument", -1 none.
    /// </summary>
    private static Specifier ParseSpecifier(string format, ref int i)
    {
        var spec = new Specifier(Argument: -1, WidthArgument: -1, Width: 0, LeftAlign: false);
        if (TryDigits(format, ref i, out var number))
        {
            if (format[i] != '$')
            {
                return spec with { Width = number };
            }

            spec = spec with { Argument = RequirePosition(number) };
            Advance(format, ref i);
        }

        while (format[i] == '-')
        {
            spec = spec with { LeftAlign = true };
            Advance(format, ref i);
        }

        if (format[i] == '*')
        {
            Advance(format, ref i);
            if (TryDigits(format, ref i, out number))
            {
                if (format[i] != '$')
                {
                    SqlErrors.Throw(SqlState.InvalidParameterValue, "width argument position must be ended by \"$\"");
                }

                spec = spec with { WidthArgument = RequirePosition(number) };
                Advance(format, ref i);
            }
            else
            {
                spec = spec with { WidthArgument = 0 };
            }
        }
        else if (TryDigits(format, ref i, out number))
        {
            spec = spec with { Width = number };
        }

        return spec;
    }

    private static int RequirePosition(int position)
    {
        if (position == 0)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1");
        }

        return position;
    }

    private static bool TryDigits(string format, ref int i, out int value)
    {
        value = 0;
        var found = false;
        while (char.IsAsciiDigit(format[i]))
        {
            var digit = format[i] - '0';
            if (value > (int.MaxValue - digit) / 10)
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "number is out of range");
            }

            value = (value * 10) + digit;
            Advance(format, ref i);
            found = true;
        }

        return found;
    }

    /// <summary>Steps to the next character; a specifier may not run off the end of the format string.</summary>
    private static void Advance(string format, ref int i)
    {
        if (++i >= format.Length)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "unterminated format() type specifier", SingleHint);
        }
    }

    private readonly record struct Specifier(int Argument, int WidthArgument, int Width, bool LeftAlign);
}
