namespace LumaDB.Query.Sql.Execution;

/// <summary>numeric operations on System.Decimal following PostgreSQL's result-scale rules where decimal's 28 digits allow.</summary>
internal static class NumericMath
{
    /// <summary>
    /// Division with PostgreSQL's display scale: at least 16 significant digits and at least the inputs' scales
    /// (1/3 is 0.33333333333333333333, 10/3 is 3.3333333333333333), capped by decimal's 28 digits.
    /// </summary>
    public static decimal Divide(decimal left, decimal right)
    {
        if (right == 0)
        {
            throw new DivideByZeroException();
        }

        var quotient = left / right;
        var (lw, lf) = Weight(left);
        var (rw, rf) = Weight(right);
        var qweight = lw - rw;
        if (lf <= rf)
        {
            qweight--;
        }

        var scale = Math.Max(16 - (qweight * 4), Math.Max(left.Scale, right.Scale));
        scale = Math.Clamp(scale, 0, 28);
        var rounded = Math.Round(quotient, scale, MidpointRounding.AwayFromZero);

        // Adding a zero with the target scale pads trailing zeros the way PostgreSQL displays them.
        return rounded + new decimal(0, 0, 0, false, (byte)scale);
    }

    /// <summary>The base-10000 weight and leading base-10000 digit of a value, as PostgreSQL's numeric stores it.</summary>
    private static (int Weight, decimal FirstDigit) Weight(decimal value)
    {
        value = Math.Abs(value);
        if (value == 0)
        {
            return (0, 0);
        }

        var weight = 0;
        while (value >= 10000)
        {
            value /= 10000;
            weight++;
        }

        while (value < 1)
        {
            value *= 10000;
            weight--;
        }

        return (weight, decimal.Truncate(value));
    }

    /// <summary>numeric ^ numeric through double when the exponent is not a small integer.</summary>
    public static decimal Power(decimal left, decimal right)
    {
        if (left == 0 && right < 0)
        {
            throw new Types.SqlException(Types.SqlState.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
        }

        if (decimal.Truncate(right) == right && Math.Abs(right) <= 64)
        {
            var result = 1m;
            for (var i = 0; i < (int)Math.Abs(right); i++)
            {
                result *= left;
            }

            return right < 0 ? 1 / result : result;
        }

        if (left < 0)
        {
            throw new Types.SqlException(Types.SqlState.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result");
        }

        return (decimal)Math.Pow((double)left, (double)right);
    }
}
