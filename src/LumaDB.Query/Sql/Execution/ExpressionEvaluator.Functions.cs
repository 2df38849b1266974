using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Scalar function kernels.</summary>
public sealed partial class ExpressionEvaluator
{
    private ColumnVector Function(BoundFunction call, BatchInput input)
    {
        switch (call.Function)
        {
            case ScalarFunction.Coalesce:
                return Coalesce(call, input);
            case ScalarFunction.Now:
                return ColumnVector.Repeat(SqlType.TimestampTz, _context.StatementTimestamp, input.RowCount);
            case ScalarFunction.LocalTimestamp:
                return ColumnVector.Repeat(SqlType.Timestamp, _context.StatementTimestamp, input.RowCount);
            case ScalarFunction.CurrentDate:
                return ColumnVector.Repeat(SqlType.Date, SqlCasts.TimestampToDate(_context.StatementTimestamp), input.RowCount);
        }

        var args = call.Arguments.Select(a => Evaluate(a, input)).ToArray();
        var type = call.Type;
        return call.Function switch
        {
            ScalarFunction.Abs => type.Kind switch
            {
                SqlTypeKind.Int2 => Checked(() => Map<short, short>(args[0], type, static v => Math.Abs(v)), type),
                SqlTypeKind.Int4 => Checked(() => Map<int, int>(args[0], type, static v => Math.Abs(v)), type),
                SqlTypeKind.Int8 => Checked(() => Map<long, long>(args[0], type, static v => Math.Abs(v)), type),
                SqlTypeKind.Numeric => Map<decimal, decimal>(args[0], type, static v => Math.Abs(v)),
                SqlTypeKind.Float4 => Map<float, float>(args[0], type, static v => Math.Abs(v)),
                _ => Map<double, double>(args[0], type, static v => Math.Abs(v)),
            },
            ScalarFunction.Round => type.Kind == SqlTypeKind.Numeric
                ? Map<decimal, decimal>(args[0], type, static v => Math.Round(v, MidpointRounding.AwayFromZero))
                : Map<double, double>(args[0], type, static v => Math.Round(v, MidpointRounding.ToEven)),
            ScalarFunction.RoundTo => MapBinary<decimal, int, decimal>(args[0], args[1], type, static (v, s) => RoundNumeric(v, s)),
            ScalarFunction.Ceil => type.Kind == SqlTypeKind.Numeric
                ? Map<decimal, decimal>(args[0], type, static v => Math.Ceiling(v))
                : Map<double, double>(args[0], type, static v => Math.Ceiling(v)),
            ScalarFunction.Floor => type.Kind == SqlTypeKind.Numeric
                ? Map<decimal, decimal>(args[0], type, static v => Math.Floor(v))
                : Map<double, double>(args[0], type, static v => Math.Floor(v)),
            ScalarFunction.Sqrt => type.Kind == SqlTypeKind.Numeric
                ? Map<decimal, decimal>(args[0], type, static v => (decimal)Math.Sqrt((double)NonNegative(v)))
                : Map<double, double>(args[0], type, static v => Math.Sqrt(NonNegative(v))),
            ScalarFunction.Power => Binary(new BoundBinary(Syntax.BinaryOperator.Power, call.Arguments[0], call.Arguments[1], type), args[0], args[1]),
            ScalarFunction.Mod => Binary(new BoundBinary(Syntax.BinaryOperator.Modulo, call.Arguments[0], call.Arguments[1], type), args[0], args[1]),
            ScalarFunction.Length => args[0].Type.Kind == SqlTypeKind.Bytea
                ? Map<byte[], int>(args[0], type, static v => v.Length)
                : Map<string, int>(args[0], type, StringKernels.CodePoints),
            ScalarFunction.Lower => Map<string, string>(args[0], type, static v => v.ToLowerInvariant()),
            ScalarFunction.QuoteIdent => Map<string, string>(args[0], type, static v => Catalog.PgCatalog.QuoteIdentifier(v)),
            ScalarFunction.QuoteLiteral => Map<string, string>(args[0], type, static v => QuoteLiteral(v)),
            ScalarFunction.Upper => Map<string, string>(args[0], type, static v => v.ToUpperInvariant()),
            ScalarFunction.Substr => Substr(args),
            ScalarFunction.Replace => Strict3(args, static (s, from, to) => from.Length == 0 ? s : s.Replace(from, to, StringComparison.Ordinal)),
            ScalarFunction.Concat => Concat(args),
            ScalarFunction.Left => MapBinary<string, int, string>(args[0], args[1], type, static (s, n) => Left(s, n)),
            ScalarFunction.Right => MapBinary<string, int, string>(args[0], args[1], type, static (s, n) => Right(s, n)),
            ScalarFunction.Btrim => Trim(args, static (s, chars) => s.Trim(chars)),
            ScalarFunction.Ltrim => Trim(args, static (s, chars) => s.TrimStart(chars)),
            ScalarFunction.Rtrim => Trim(args, static (s, chars) => s.TrimEnd(chars)),
            ScalarFunction.Strpos => MapBinary<string, string, int>(args[0], args[1], type, Strpos),
            ScalarFunction.DateTrunc => DateTrunc(args),
            ScalarFunction.DateBin => DateBin(args),
            ScalarFunction.DatePart or ScalarFunction.Extract => Extract(args, type),
            ScalarFunction.ToTimestamp => Map<double, long>(args[0], type, static v => ToTimestamp(v)),
            ScalarFunction.MakeInterval => MakeInterval(args),
            ScalarFunction.NullIf => NullIf(args),
            ScalarFunction.Greatest or ScalarFunction.Least => Extreme(args, type, call.Function == ScalarFunction.Greatest),
            _ => ArrayFunction(call, args, input.RowCount) ?? JsonFunction(call, args, input.RowCount) ?? VectorFunction(call, args) ?? PgCatalogFunction(call, args, input.RowCount) ?? SequenceFunction(call, args, input.RowCount) ?? StringFunction(call, args, input.RowCount) ?? MathFunction(call, args, input.RowCount) ?? DateTimeFunction(call, args, input.RowCount) ?? RegexFunction(call, args, input.RowCount) ?? FormattingFunction(call, args, input.RowCount) ?? CatalogFunction(call, args, input.RowCount),
        };
    }

    private static ColumnVector Checked(Func<ColumnVector> kernel, SqlType type)
    {
        try
        {
            return kernel();
        }
        catch (OverflowException)
        {
            SqlErrors.OutOfRange(type);
            return null!;
        }
    }

    private static T NonNegative<T>(T value)
        where T : System.Numerics.INumber<T>
    {
        if (value < T.Zero)
        {
            SqlErrors.Throw(SqlState.InvalidArgumentForPowerFunction, "cannot take square root of a negative number");
        }

        return value;
    }

    private static decimal RoundNumeric(decimal value, int scale)
    {
        if (scale >= 0)
        {
            var rounded = Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
            return rounded + new decimal(0, 0, 0, false, (byte)Math.Min(scale, 28));
        }

        var factor = (decimal)Math.Pow(10, -scale);
        return Math.Round(value / factor, MidpointRounding.AwayFromZero) * factor;
    }

    // Positions count code points (PostgreSQL's characters); strings without surrogate pairs take the plain path.
    private static string Left(string s, int n)
    {
        if (!StringKernels.HasSurrogates(s))
        {
            return n >= 0 ? s[..Math.Min(n, s.Length)] : s[..Math.Max(0, s.Length + n)];
        }

        var keep = n >= 0 ? n : Math.Max(0, StringKernels.CodePoints(s) + (long)n);
        return s[..StringKernels.OffsetOf(s, keep)];
    }

    private static string Right(string s, int n)
    {
        if (!StringKernels.HasSurrogates(s))
        {
            return n >= 0 ? s[Math.Max(0, s.Length - n)..] : s[Math.Min(s.Length, -n)..];
        }

        var drop = n >= 0 ? Math.Max(0, StringKernels.CodePoints(s) - (long)n) : -(long)n;
        return s[StringKernels.OffsetOf(s, drop)..];
    }

    /// <summary>strpos: the 1-based character position of the first occurrence, 0 when there is none.</summary>
    private static int Strpos(string s, string sub)
    {
        var at = s.IndexOf(sub, StringComparison.Ordinal);
        return at < 0 ? 0 : (StringKernels.HasSurrogates(s) ? StringKernels.CodePoints(s.AsSpan(0, at)) : at) + 1;
    }

    private static ColumnVector Substr(ColumnVector[] args)
    {
        var result = ColumnVector.Allocate(SqlType.Text, args[0].Length);
        var s = args[0].As<string>();
        var start = args[1].As<int>();
        var count = args.Length > 2 ? args[2].As<int>() : null;
        for (var i = 0; i < s.Length; i++)
        {
            if (args.Any(a => a.IsNull(i)))
            {
                result.SetNull(i);
                continue;
            }

            // Positions are 1-based and may start before the string; a negative length is an error.
            long from = start[i];
            var to = count is null ? long.MaxValue : from + count[i];
            if (count is not null && count[i] < 0)
            {
                SqlErrors.Throw(SqlState.SubstringError, "negative substring length not allowed");
            }

            var lo = Math.Max(from - 1, 0);
            var hi = Math.Max(to - 1, lo);
            var value = s[i];
            result.As<string>()[i] = StringKernels.HasSurrogates(value)
                ? value[StringKernels.OffsetOf(value, lo)..StringKernels.OffsetOf(value, hi)]
                : value[(int)Math.Min(lo, value.Length)..(int)Math.Min(hi, value.Length)];
        }

        return result;
    }

    private static ColumnVector Strict3(ColumnVector[] args, Func<string, string, string, string> function)
    {
        var result = ColumnVector.Allocate(SqlType.Text, args[0].Length);
        for (var i = 0; i < result.Length; i++)
        {
            if (args[0].IsNull(i) || args[1].IsNull(i) || args[2].IsNull(i))
            {
                result.SetNull(i);
            }
            else
            {
                result.As<string>()[i] = function(args[0].As<string>()[i], args[1].As<string>()[i], args[2].As<string>()[i]);
            }
        }

        return result;
    }

    /// <summary>concat() skips NULL arguments instead of returning NULL.</summary>
    private static ColumnVector Concat(ColumnVector[] args)
    {
        var n = args.Length == 0 ? 0 : args[0].Length;
        var result = new string[n];
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Clear();
            foreach (var arg in args)
            {
                if (arg.GetValue(i) is { } value)
                {
                    sb.Append(SqlText.Format(value, arg.Type));
                }
            }

            result[i] = sb.ToString();
        }

        return new ColumnVector(SqlType.Text, result, null);
    }

    private static ColumnVector Trim(ColumnVector[] args, Func<string, char[], string> trim) =>
        args.Length == 1
            ? Map<string, string>(args[0], SqlType.Text, s => trim(s, [' ']))
            : MapBinary<string, string, string>(args[0], args[1], SqlType.Text, (s, chars) => trim(s, chars.ToCharArray()));

    private ColumnVector Coalesce(BoundFunction call, BatchInput input)
    {
        var result = ColumnVector.Allocate(call.Type, input.RowCount);
        var pending = Enumerable.Range(0, input.RowCount).ToArray();
        foreach (var argument in call.Arguments)
        {
            if (pending.Length == 0)
            {
                break;
            }

            var value = Evaluate(argument, input.Gather(pending));
            value.ScatterInto(result, pending);
            pending = pending.Where((_, i) => value.IsNull(i)).ToArray();
        }

        foreach (var row in pending)
        {
            result.SetNull(row);
        }

        return result;
    }

    private static ColumnVector NullIf(ColumnVector[] args)
    {
        var equal = Compare(Syntax.BinaryOperator.Equal, args[0], args[1]);
        var result = ColumnVector.Allocate(args[0].Type, args[0].Length);
        for (var i = 0; i < result.Length; i++)
        {
            if (args[0].IsNull(i) || (!equal.IsNull(i) && equal.As<bool>()[i]))
            {
                result.SetNull(i);
            }
            else
            {
                result.Values.SetValue(args[0].Values.GetValue(i), i);
            }
        }

        return result;
    }

    /// <summary>GREATEST/LEAST ignore NULLs; the result is NULL only when every argument is.</summary>
    private static ColumnVector Extreme(ColumnVector[] args, SqlType type, bool greatest)
    {
        var best = args[0];
        for (var a = 1; a < args.Length; a++)
        {
            var other = args[a];
            var better = Compare(greatest ? Syntax.BinaryOperator.GreaterThan : Syntax.BinaryOperator.LessThan, other, best);
            var next = ColumnVector.Allocate(type, best.Length);
            for (var i = 0; i < best.Length; i++)
            {
                var takeOther = !other.IsNull(i) && (best.IsNull(i) || better.As<bool>()[i]);
                var source = takeOther ? other : best;
                if (source.IsNull(i))
                {
                    next.SetNull(i);
                }
                else
                {
                    next.Values.SetValue(source.Values.GetValue(i), i);
                }
            }

            best = next;
        }

        return best;
    }

    private static long ToTimestamp(double seconds)
    {
        if (double.IsNaN(seconds))
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "timestamp cannot be NaN");
        }

        if (double.IsInfinity(seconds))
        {
            return seconds > 0 ? SqlCalendar.TimestampInfinity : SqlCalendar.TimestampNegativeInfinity;
        }

        var micros = Math.Round(seconds * 1_000_000d);
        if (micros is >= 9.2e18 or <= -9.2e18)
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"timestamp out of range: \"{seconds.ToString(CultureInfo.InvariantCulture)}\"");
        }

        return (long)micros;
    }

    private static ColumnVector MakeInterval(ColumnVector[] args)
    {
        var n = args[0].Length;
        var result = ColumnVector.Allocate(SqlType.Interval, n);
        for (var i = 0; i < n; i++)
        {
            if (args.Any(a => a.IsNull(i)))
            {
                result.SetNull(i);
                continue;
            }

            try
            {
                var months = checked((args[0].As<int>()[i] * 12) + args[1].As<int>()[i]);
                var days = checked((args[2].As<int>()[i] * 7) + args[3].As<int>()[i]);
                var micros = checked((args[4].As<int>()[i] * SqlInterval.MicrosPerHour) + (args[5].As<int>()[i] * 60_000_000L)
                    + (long)Math.Round(args[6].As<double>()[i] * 1_000_000d));
                result.As<SqlInterval>()[i] = new SqlInterval(months, days, micros);
            }
            catch (OverflowException)
            {
                SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "interval out of range");
            }
        }

        return result;
    }

    /// <summary>quote_literal: single quotes doubled; with a backslash, PostgreSQL's escape-string form.</summary>
    internal static string QuoteLiteral(string value) => value.Contains('\\', StringComparison.Ordinal)
        ? "E'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'"
        : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
