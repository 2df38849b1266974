using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// float8 mathematical functions with PostgreSQL's domain checks and error wording. The degree-based
/// trigonometric functions reduce their argument to the first quadrant and scale the result by the function's
/// value at 30, 45 or 60 degrees, so that those angles give exact results (sind(30) = 0.5, tand(45) = 1).
/// </summary>
internal static class Float8Functions
{
    private const double RadiansPerDegree = 0.0174532925199432957692;

    // Computed at run time from the same library functions as the arguments they normalise.
    private static readonly double Sin30 = Math.Sin(30.0 * RadiansPerDegree);
    private static readonly double OneMinusCos60 = 1.0 - Math.Cos(60.0 * RadiansPerDegree);
    private static readonly double Asin05 = Math.Asin(0.5);
    private static readonly double Acos05 = Math.Acos(0.5);
    private static readonly double Atan1 = Math.Atan(1.0);
    private static readonly double Tan45 = SinQ1(45.0) / CosQ1(45.0);
    private static readonly double Cot45 = CosQ1(45.0) / SinQ1(45.0);

    /// <summary>exp(float8): errors when a finite argument overflows or underflows.</summary>
    public static double Exp(double x)
    {
        var result = Math.Exp(x);
        if (double.IsFinite(x))
        {
            if (double.IsInfinity(result))
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: overflow");
            }

            if (result == 0)
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: underflow");
            }
        }

        return result;
    }

    /// <summary>ln(float8).</summary>
    public static double Ln(double x) => Math.Log(CheckLogArgument(x));

    /// <summary>log(float8) and log10(float8).</summary>
    public static double Log10(double x) => Math.Log10(CheckLogArgument(x));

    /// <summary>sign(float8): NaN and both zeros give 0.</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;

    /// <summary>degrees(float8), checked like float8 division.</summary>
    public static double Degrees(double x)
    {
        var result = x / RadiansPerDegree;
        CheckOverflow(result, x, RadiansPerDegree);
        return result;
    }

    /// <summary>radians(float8), checked like float8 multiplication.</summary>
    public static double Radians(double x)
    {
        var result = x * RadiansPerDegree;
        CheckOverflow(result, x, RadiansPerDegree);
        return result;
    }

    /// <summary>sin, cos and tan: infinite arguments are out of range.</summary>
    public static double Trig(double x, Func<double, double> function) => double.IsNaN(x) ? x : function(Finite(x));

    /// <summary>cot(float8) as 1 / tan, so cot(0) is Infinity.</summary>
    public static double Cot(double x) => double.IsNaN(x) ? x : 1.0 / Math.Tan(Finite(x));

    /// <summary>asin and acos: arguments outside [-1, 1] are out of range.</summary>
    public static double Inverse(double x, Func<double, double> function) => double.IsNaN(x) ? x : function(UnitRange(x));

    /// <summary>acosh(float8): defined from 1 up.</summary>
    public static double Acosh(double x)
    {
        if (x < 1.0)
        {
            OutOfRange();
        }

        return Math.Acosh(x);
    }

    /// <summary>atanh(float8): defined on [-1, 1], infinite at the ends.</summary>
    public static double Atanh(double x) => Math.Atanh(UnitRange(x));

    /// <summary>sind(float8).</summary>
    public static double Sind(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var angle = Finite(x) % 360.0;
        var sign = 1.0;
        if (angle < 0)
        {
            angle = -angle;
            sign = -sign;
        }

        if (angle > 180)
        {
            angle = 360 - angle;
            sign = -sign;
        }

        if (angle > 90)
        {
            angle = 180 - angle;
        }

        return sign * SinQ1(angle);
    }

    /// <summary>cosd(float8).</summary>
    public static double Cosd(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var angle = Math.Abs(Finite(x) % 360.0);
        var sign = 1.0;
        if (angle > 180)
        {
            angle = 360 - angle;
        }

        if (angle > 90)
        {
            angle = 180 - angle;
            sign = -sign;
        }

        return sign * CosQ1(angle);
    }

    /// <summary>tand(float8): scaled so tand(45) is exactly 1; never minus zero.</summary>
    public static double Tand(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var (angle, sign) = ReduceForTangent(Finite(x));
        var result = sign * (SinQ1(angle) / CosQ1(angle) / Tan45);
        return result == 0 ? 0.0 : result;
    }

    /// <summary>cotd(float8): scaled so cotd(45) is exactly 1; never minus zero.</summary>
    public static double Cotd(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var (angle, sign) = ReduceForTangent(Finite(x));
        var result = sign * (CosQ1(angle) / SinQ1(angle) / Cot45);
        return result == 0 ? 0.0 : result;
    }

    /// <summary>asind(float8).</summary>
    public static double Asind(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        UnitRange(x);
        return x >= 0 ? AsindQ1(x) : -AsindQ1(-x);
    }

    /// <summary>acosd(float8).</summary>
    public static double Acosd(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        UnitRange(x);
        return x >= 0 ? AcosdQ1(x) : 90.0 + AsindQ1(-x);
    }

    /// <summary>atand(float8), scaled by atan(1) so that atand(1) is exactly 45.</summary>
    public static double Atand(double x) => double.IsNaN(x) ? x : Math.Atan(x) / Atan1 * 45.0;

    /// <summary>atan2d(float8, float8).</summary>
    public static double Atan2d(double y, double x) => double.IsNaN(y) || double.IsNaN(x) ? double.NaN : Math.Atan2(y, x) / Atan1 * 45.0;

    /// <summary>atan2(float8, float8).</summary>
    public static double Atan2(double y, double x) => double.IsNaN(y) || double.IsNaN(x) ? double.NaN : Math.Atan2(y, x);

    /// <summary>width_bucket over float8 bounds, with PostgreSQL's checks and its C conversion of the bucket to int4.</summary>
    public static int WidthBucket(double operand, double low, double high, int count)
    {
        if (count <= 0)
        {
            SqlErrors.Throw(NumericFunctions.WidthBucketState, "count must be greater than zero");
        }

        if (double.IsNaN(operand) || double.IsNaN(low) || double.IsNaN(high))
        {
            SqlErrors.Throw(NumericFunctions.WidthBucketState, "operand, lower bound, and upper bound cannot be NaN");
        }

        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            SqlErrors.Throw(NumericFunctions.WidthBucketState, "lower and upper bounds must be finite");
        }

        if (low == high)
        {
            SqlErrors.Throw(NumericFunctions.WidthBucketState, "lower bound cannot equal upper bound");
        }

        var ascending = low < high;
        if (ascending ? operand < low : operand > low)
        {
            return 0;
        }

        if (ascending ? operand >= high : operand <= high)
        {
            if (count == int.MaxValue)
            {
                SqlErrors.OutOfRange(SqlType.Int4);
            }

            return count + 1;
        }

        var bucket = ascending
            ? ((double)count * (operand - low) / (high - low)) + 1
            : ((double)count * (low - operand) / (low - high)) + 1;

        // A C cast of NaN or an out-of-range double yields INT_MIN on the platforms PostgreSQL runs on.
        return bucket is >= -2147483648.0 and < 2147483648.0 ? (int)bucket : int.MinValue;
    }

    private static (double Angle, double Sign) ReduceForTangent(double x)
    {
        var angle = x % 360.0;
        var sign = 1.0;
        if (angle < 0)
        {
            angle = -angle;
            sign = -sign;
        }

        if (angle > 180)
        {
            angle = 360 - angle;
            sign = -sign;
        }

        if (angle > 90)
        {
            angle = 180 - angle;
            sign = -sign;
        }

        return (angle, sign);
    }

    private static double SinQ1(double x) => x <= 30.0 ? Sin0To30(x) : Cos0To60(90.0 - x);

    private static double CosQ1(double x) => x <= 60.0 ? Cos0To60(x) : Sin0To30(90.0 - x);

    private static double Sin0To30(double x) => Math.Sin(x * RadiansPerDegree) / Sin30 / 2.0;

    private static double Cos0To60(double x) => 1.0 - ((1.0 - Math.Cos(x * RadiansPerDegree)) / OneMinusCos60 / 2.0);

    private static double AsindQ1(double x) => x <= 0.5
        ? Math.Asin(x) / Asin05 * 30.0
        : 90.0 - (Math.Acos(x) / Acos05 * 60.0);

    private static double AcosdQ1(double x) => x <= 0.5
        ? 90.0 - (Math.Asin(x) / Asin05 * 30.0)
        : Math.Acos(x) / Acos05 * 60.0;

    private static double CheckLogArgument(double x)
    {
        if (x == 0)
        {
            SqlErrors.Throw(SqlState.InvalidArgumentForLogarithm, "cannot take logarithm of zero");
        }

        if (x < 0)
        {
            SqlErrors.Throw(SqlState.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
        }

        return x;
    }

    /// <summary>PostgreSQL's float8 multiply/divide checks: a finite computation may not reach infinity or zero.</summary>
    private static void CheckOverflow(double result, double x, double y)
    {
        if (double.IsInfinity(result) && double.IsFinite(x) && double.IsFinite(y))
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: overflow");
        }

        if (result == 0 && x != 0 && y != 0)
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: underflow");
        }
    }

    private static double Finite(double x)
    {
        if (double.IsInfinity(x))
        {
            OutOfRange();
        }

        return x;
    }

    private static double UnitRange(double x)
    {
        if (x is < -1.0 or > 1.0)
        {
            OutOfRange();
        }

        return x;
    }

    private static void OutOfRange() => SqlErrors.Throw(SqlState.NumericValueOutOfRange, "input is out of range");
}
