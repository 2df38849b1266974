using System.Numerics;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Arithmetic kernels.</summary>
public sealed partial class ExpressionEvaluator
{
    private static bool[]? UnionNulls(ColumnVector left, ColumnVector right)
    {
        if (left.Nulls is null)
        {
            return right.Nulls;
        }

        if (right.Nulls is null)
        {
            return left.Nulls;
        }

        var result = new bool[left.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = left.Nulls[i] | right.Nulls[i];
        }

        return result;
    }

    private static ColumnVector Binary(BoundBinary binary, ColumnVector left, ColumnVector right)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual
                or BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual:
                return Compare(binary.Operator, left, right);
            case BinaryOperator.Concat:
                return binary.Type.Kind == SqlTypeKind.Bytea
                    ? MapBinary<byte[], byte[], byte[]>(left, right, SqlType.Bytea, static (a, b) => [.. a, .. b])
                    : MapBinary<string, string, string>(left, right, SqlType.Text, static (a, b) => string.Concat(a, b));
        }

        if (left.Type == right.Type && left.Type.Category == SqlTypeCategory.Numeric)
        {
            var nulls = UnionNulls(left, right);
            return left.Values switch
            {
                short[] l => Integer(binary.Operator, l, right.As<short>(), nulls, left.Type),
                int[] l => Integer(binary.Operator, l, right.As<int>(), nulls, left.Type),
                long[] l => Integer(binary.Operator, l, right.As<long>(), nulls, left.Type),
                float[] l => Float(binary.Operator, l, right.As<float>(), nulls, left.Type),
                double[] l => Float(binary.Operator, l, right.As<double>(), nulls, left.Type),
                _ => NumericDecimal(binary.Operator, left.As<decimal>(), right.As<decimal>(), nulls),
            };
        }

        return DateTimeArithmetic(binary, left, right);
    }

    private static ColumnVector Integer<T>(BinaryOperator op, T[] left, T[] right, bool[]? nulls, SqlType type)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        var result = new T[left.Length];
        if (op == BinaryOperator.Power)
        {
            throw new SqlException(SqlState.InternalError, "integer power is resolved to float8");
        }

        // A fast checked loop; on overflow or a zero divisor, a second pass finds the first such row that is not NULL.
        try
        {
            switch (op)
            {
                case BinaryOperator.Add:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = checked(left[i] + right[i]);
                    }

                    break;
                case BinaryOperator.Subtract:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = checked(left[i] - right[i]);
                    }

                    break;
                case BinaryOperator.Multiply:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = checked(left[i] * right[i]);
                    }

                    break;
                case BinaryOperator.Divide:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = checked(left[i] / right[i]);
                    }

                    break;
                default:
                    for (var i = 0; i < result.Length; i++)
                    {
                        // x % -1 is 0 even for the minimum value, where .NET would overflow.
                        result[i] = right[i] == -T.One ? T.Zero : left[i] % right[i];
                    }

                    break;
            }
        }
        catch (ArithmeticException)
        {
            for (var i = 0; i < result.Length; i++)
            {
                if (nulls is not null && nulls[i])
                {
                    continue;
                }

                if (op is BinaryOperator.Divide or BinaryOperator.Modulo && right[i] == T.Zero)
                {
                    SqlErrors.DivisionByZero();
                }

                try
                {
                    result[i] = op switch
                    {
                        BinaryOperator.Add => checked(left[i] + right[i]),
                        BinaryOperator.Subtract => checked(left[i] - right[i]),
                        BinaryOperator.Multiply => checked(left[i] * right[i]),
                        BinaryOperator.Divide => checked(left[i] / right[i]),
                        _ => right[i] == -T.One ? T.Zero : left[i] % right[i],
                    };
                }
                catch (OverflowException)
                {
                    SqlErrors.OutOfRange(type);
                }
            }
        }

        return new ColumnVector(type, result, nulls);
    }

    private static ColumnVector Float<T>(BinaryOperator op, T[] left, T[] right, bool[]? nulls, SqlType type)
        where T : IFloatingPointIeee754<T>
    {
        var result = new T[left.Length];
        switch (op)
        {
            case BinaryOperator.Add:
                VectorAdd(left, right, result);
                break;
            case BinaryOperator.Subtract:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = left[i] - right[i];
                }

                break;
            case BinaryOperator.Multiply:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = left[i] * right[i];
                }

                break;
            case BinaryOperator.Divide:
                for (var i = 0; i < result.Length; i++)
                {
                    if (right[i] == T.Zero && (nulls is null || !nulls[i]))
                    {
                        SqlErrors.DivisionByZero();
                    }

                    result[i] = left[i] / right[i];
                }

                break;
            case BinaryOperator.Power:
                for (var i = 0; i < result.Length; i++)
                {
                    if (left[i] == T.Zero && right[i] < T.Zero && (nulls is null || !nulls[i]))
                    {
                        SqlErrors.Throw(SqlState.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
                    }

                    if (left[i] < T.Zero && !T.IsInteger(right[i]) && (nulls is null || !nulls[i]))
                    {
                        SqlErrors.Throw(SqlState.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result");
                    }

                    result[i] = T.Pow(left[i], right[i]);
                }

                break;
            default:
                throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: {type.DisplayName} % {type.DisplayName}");
        }

        // PostgreSQL reports a finite result that overflowed to infinity, rather than returning it.
        for (var i = 0; i < result.Length; i++)
        {
            if (T.IsInfinity(result[i]) && T.IsFinite(left[i]) && T.IsFinite(right[i]) && (nulls is null || !nulls[i]))
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: overflow");
            }
        }

        return new ColumnVector(type, result, nulls);
    }

    /// <summary>Element-wise add using hardware vectors where the type has them.</summary>
    private static void VectorAdd<T>(T[] left, T[] right, T[] result)
        where T : IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= result.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (new Vector<T>(left, i) + new Vector<T>(right, i)).CopyTo(result, i);
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] = left[i] + right[i];
        }
    }

    private static ColumnVector NumericDecimal(BinaryOperator op, decimal[] left, decimal[] right, bool[]? nulls)
    {
        var result = new decimal[left.Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (nulls is not null && nulls[i])
            {
                continue;
            }

            try
            {
                result[i] = op switch
                {
                    BinaryOperator.Add => left[i] + right[i],
                    BinaryOperator.Subtract => left[i] - right[i],
                    BinaryOperator.Multiply => left[i] * right[i],
                    BinaryOperator.Divide => NumericMath.Divide(left[i], right[i]),
                    BinaryOperator.Modulo => right[i] == 0 ? throw new DivideByZeroException() : left[i] % right[i],
                    _ => NumericMath.Power(left[i], right[i]),
                };
            }
            catch (DivideByZeroException)
            {
                SqlErrors.DivisionByZero();
            }
            catch (OverflowException)
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value overflows numeric format");
            }
        }

        return new ColumnVector(SqlType.Numeric, result, nulls);
    }

    private static ColumnVector Negate(ColumnVector operand)
    {
        if (operand.Type.Kind == SqlTypeKind.Interval)
        {
            return Map<SqlInterval, SqlInterval>(operand, SqlType.Interval, static v => new SqlInterval(checked(-v.Months), checked(-v.Days), checked(-v.Microseconds)));
        }

        try
        {
            return operand.Values switch
            {
                short[] s => Map<short, short>(operand, operand.Type, static v => checked((short)-v)),
                int[] s => Map<int, int>(operand, operand.Type, static v => checked(-v)),
                long[] s => Map<long, long>(operand, operand.Type, static v => checked(-v)),
                float[] s => Map<float, float>(operand, operand.Type, static v => -v),
                double[] s => Map<double, double>(operand, operand.Type, static v => -v),
                _ => Map<decimal, decimal>(operand, operand.Type, static v => -v),
            };
        }
        catch (OverflowException)
        {
            SqlErrors.OutOfRange(operand.Type);
            return operand;
        }
    }

    private static ColumnVector DateTimeArithmetic(BoundBinary binary, ColumnVector left, ColumnVector right)
    {
        var lk = left.Type.Kind;
        var rk = right.Type.Kind;
        var op = binary.Operator;
        var type = binary.Type;
        try
        {
            return (lk, rk, op) switch
            {
                (SqlTypeKind.Date, SqlTypeKind.Int4, BinaryOperator.Add) => MapBinary<int, int, int>(left, right, type, static (d, n) => checked(d + n)),
                (SqlTypeKind.Int4, SqlTypeKind.Date, BinaryOperator.Add) => MapBinary<int, int, int>(left, right, type, static (n, d) => checked(d + n)),
                (SqlTypeKind.Date, SqlTypeKind.Int4, BinaryOperator.Subtract) => MapBinary<int, int, int>(left, right, type, static (d, n) => checked(d - n)),
                (SqlTypeKind.Date, SqlTypeKind.Date, _) => MapBinary<int, int, int>(left, right, type, static (a, b) => checked(a - b)),
                (SqlTypeKind.Date, SqlTypeKind.Interval, _) => MapBinary<int, SqlInterval, long>(left, right, type, op == BinaryOperator.Add
                    ? static (d, iv) => SqlCalendar.AddInterval(SqlCasts.DateToTimestamp(d), iv)
                    : static (d, iv) => SqlCalendar.AddInterval(SqlCasts.DateToTimestamp(d), NegateInterval(iv))),
                (SqlTypeKind.Interval, SqlTypeKind.Date, _) => MapBinary<SqlInterval, int, long>(left, right, type, static (iv, d) => SqlCalendar.AddInterval(SqlCasts.DateToTimestamp(d), iv)),
                (SqlTypeKind.Date, SqlTypeKind.Time, _) => MapBinary<int, long, long>(left, right, type, static (d, t) => SqlCasts.DateToTimestamp(d) + t),
                (SqlTypeKind.Time, SqlTypeKind.Date, _) => MapBinary<long, int, long>(left, right, type, static (t, d) => SqlCasts.DateToTimestamp(d) + t),
                (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Interval, _) => MapBinary<long, SqlInterval, long>(left, right, type, op == BinaryOperator.Add
                    ? static (t, iv) => SqlCalendar.AddInterval(t, iv)
                    : static (t, iv) => SqlCalendar.AddInterval(t, NegateInterval(iv))),
                (SqlTypeKind.Interval, SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, _) => MapBinary<SqlInterval, long, long>(left, right, type, static (iv, t) => SqlCalendar.AddInterval(t, iv)),
                (SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz, _) => MapBinary<long, long, SqlInterval>(left, right, type, static (a, b) => TimestampDifference(a, b)),
                (SqlTypeKind.Time, SqlTypeKind.Interval, _) => MapBinary<long, SqlInterval, long>(left, right, type, op == BinaryOperator.Add
                    ? static (t, iv) => WrapTime(t + iv.Microseconds)
                    : static (t, iv) => WrapTime(t - iv.Microseconds)),
                (SqlTypeKind.Interval, SqlTypeKind.Time, _) => MapBinary<SqlInterval, long, long>(left, right, type, static (iv, t) => WrapTime(t + iv.Microseconds)),
                (SqlTypeKind.Time, SqlTypeKind.Time, _) => MapBinary<long, long, SqlInterval>(left, right, type, static (a, b) => new SqlInterval(0, 0, a - b)),
                (SqlTypeKind.Interval, SqlTypeKind.Interval, _) => MapBinary<SqlInterval, SqlInterval, SqlInterval>(left, right, type, op == BinaryOperator.Add
                    ? static (a, b) => new SqlInterval(checked(a.Months + b.Months), checked(a.Days + b.Days), checked(a.Microseconds + b.Microseconds))
                    : static (a, b) => new SqlInterval(checked(a.Months - b.Months), checked(a.Days - b.Days), checked(a.Microseconds - b.Microseconds))),
                (SqlTypeKind.Interval, SqlTypeKind.Float8, BinaryOperator.Multiply) => MapBinary<SqlInterval, double, SqlInterval>(left, right, type, static (iv, f) => ScaleInterval(iv, f)),
                (SqlTypeKind.Float8, SqlTypeKind.Interval, _) => MapBinary<double, SqlInterval, SqlInterval>(left, right, type, static (f, iv) => ScaleInterval(iv, f)),
                (SqlTypeKind.Interval, SqlTypeKind.Float8, BinaryOperator.Divide) => MapBinary<SqlInterval, double, SqlInterval>(left, right, type, static (iv, f) => f == 0 ? throw new DivideByZeroException() : ScaleInterval(iv, 1 / f)),
                _ => throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: {left.Type.DisplayName} {SqlOperators.Symbol(op)} {right.Type.DisplayName}"),
            };
        }
        catch (DivideByZeroException)
        {
            SqlErrors.DivisionByZero();
            return left;
        }
        catch (OverflowException)
        {
            SqlErrors.OutOfRange(type);
            return left;
        }
    }

    private static SqlInterval NegateInterval(SqlInterval iv) => new(checked(-iv.Months), checked(-iv.Days), checked(-iv.Microseconds));

    private static long WrapTime(long micros)
    {
        var wrapped = micros % SqlInterval.MicrosPerDay;
        return wrapped < 0 ? wrapped + SqlInterval.MicrosPerDay : wrapped;
    }

    /// <summary>timestamp - timestamp gives days and time, never months, as in PostgreSQL (justify_hours applied).</summary>
    private static SqlInterval TimestampDifference(long a, long b)
    {
        var micros = checked(a - b);
        var days = micros / SqlInterval.MicrosPerDay;
        return new SqlInterval(0, checked((int)days), micros - (days * SqlInterval.MicrosPerDay));
    }

    /// <summary>interval * number: fractional months spill into days (30 per month) and fractional days into time.</summary>
    private static SqlInterval ScaleInterval(SqlInterval iv, double factor)
    {
        var months = iv.Months * factor;
        var wholeMonths = Math.Truncate(months);
        var days = (iv.Days * factor) + ((months - wholeMonths) * 30);
        var wholeDays = Math.Truncate(days);
        var micros = (iv.Microseconds * factor) + ((days - wholeDays) * SqlInterval.MicrosPerDay);
        if (!double.IsFinite(micros) || Math.Abs(wholeMonths) > int.MaxValue || Math.Abs(wholeDays) > int.MaxValue || Math.Abs(micros) > long.MaxValue)
        {
            throw new OverflowException();
        }

        return new SqlInterval((int)wholeMonths, (int)wholeDays, (long)Math.Round(micros));
    }

    /// <summary>Applies a strict one-argument function to every non-null row.</summary>
    private static ColumnVector Map<TIn, TOut>(ColumnVector input, SqlType type, Func<TIn, TOut> function)
    {
        var source = input.As<TIn>();
        var result = new TOut[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            if (!input.IsNull(i))
            {
                result[i] = function(source[i]);
            }
        }

        return new ColumnVector(type, result, input.Nulls);
    }

    /// <summary>Applies a strict two-argument function to every row where both inputs are non-null.</summary>
    private static ColumnVector MapBinary<TLeft, TRight, TOut>(ColumnVector left, ColumnVector right, SqlType type, Func<TLeft, TRight, TOut> function)
    {
        var l = left.As<TLeft>();
        var r = right.As<TRight>();
        var nulls = UnionNulls(left, right);
        var result = new TOut[l.Length];
        for (var i = 0; i < l.Length; i++)
        {
            if (nulls is null || !nulls[i])
            {
                result[i] = function(l[i], r[i]);
            }
        }

        return new ColumnVector(type, result, nulls);
    }
}
