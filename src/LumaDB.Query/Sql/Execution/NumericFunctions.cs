using System.Numerics;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// numeric (System.Decimal) mathematical functions with PostgreSQL's result scales. Exact operations work on
/// the decimal's integer mantissa; exp and ln run in BigInteger fixed point well past decimal's 28 digits and
/// are rounded once, so every digit that decimal can hold is correct.
/// </summary>
internal static class NumericFunctions
{
    // Fixed-point digits for exp/ln: enough that rounding to at most 28 decimals of a value up to 1e29 is exact.
    private const int Precision = 80;

    // PostgreSQL gives transcendental results at least this many significant digits.
    private const int MinSignificantDigits = 16;

    private const int MaxDecimalScale = 28;

    private static readonly BigInteger One = BigInteger.Pow(10, Precision);
    private static readonly BigInteger ExpThreshold = BigInteger.Pow(10, Precision - 2);
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;
    private static readonly BigInteger[] PowersOfTen = Enumerable.Range(0, Precision + 40).Select(i => BigInteger.Pow(10, i)).ToArray();

    /// <summary>exp(numeric): scale 16 minus the result's decimal weight, at least the argument's scale.</summary>
    public static decimal Exp(decimal x)
    {
        var approx = (double)x;
        if (approx > 67)
        {
            Overflow();
        }

        var weight = (int)(approx * 0.434294481903252);
        var scale = Math.Max(MinSignificantDigits - weight, x.Scale);

        // Below e^-70 nothing survives rounding to decimal's 28 places; skip the huge intermediate power.
        return approx < -70 ? Round(BigInteger.Zero, scale) : Round(ExpFixed(ToFixed(x)), scale);
    }

    /// <summary>ln(numeric).</summary>
    public static decimal Ln(decimal x)
    {
        CheckLogArgument(x);
        var scale = Math.Max(MinSignificantDigits - EstimateLnWeight(x), x.Scale);
        return Round(LnFixed(x), scale);
    }

    /// <summary>log(numeric) and log10(numeric): the logarithm base 10.</summary>
    public static decimal Log10(decimal x) => Log(10m, x);

    /// <summary>log(b, x): the scale follows the quotient's estimated weight and both arguments' scales.</summary>
    public static decimal Log(decimal b, decimal x)
    {
        CheckLogArgument(b);
        CheckLogArgument(x);
        var lnBase = LnFixed(b);
        if (lnBase.IsZero)
        {
            SqlErrors.DivisionByZero();
        }

        var weight = EstimateLnWeight(x) - EstimateLnWeight(b);
        var scale = Math.Max(MinSignificantDigits - weight, Math.Max(b.Scale, x.Scale));
        return Round(LnFixed(x) * One / lnBase, scale);
    }

    /// <summary>trunc(numeric): the integer part, scale 0.</summary>
    public static decimal Trunc(decimal x) => PositiveZero(decimal.Truncate(x));

    /// <summary>trunc(numeric, int): drops digits past <paramref name="scale"/> (left of the point when negative).</summary>
    public static decimal Trunc(decimal x, int scale)
    {
        var (mantissa, current) = Decompose(x);
        if (scale >= current)
        {
            return Pad(mantissa, current, scale);
        }

        if (scale < -MaxDecimalScale)
        {
            return 0m;
        }

        mantissa /= PowersOfTen[current - scale];
        return scale >= 0 ? Compose(mantissa, scale) : Compose(mantissa * PowersOfTen[-scale], 0);
    }

    /// <summary>div(numeric, numeric): the truncated integer quotient.</summary>
    public static decimal Div(decimal x, decimal y)
    {
        if (y == 0)
        {
            SqlErrors.DivisionByZero();
        }

        var (a, b, _) = Common(x, y);
        return Compose(a / b, 0);
    }

    /// <summary>gcd(numeric, numeric), with the larger of the two scales.</summary>
    public static decimal Gcd(decimal x, decimal y)
    {
        var (a, b, scale) = Common(x, y);
        return Compose(BigInteger.GreatestCommonDivisor(a, b), scale);
    }

    /// <summary>lcm(numeric, numeric), with the larger of the two scales.</summary>
    public static decimal Lcm(decimal x, decimal y)
    {
        var (a, b, scale) = Common(x, y);
        if (a.IsZero || b.IsZero)
        {
            return Compose(BigInteger.Zero, scale);
        }

        return Compose(BigInteger.Abs(a / BigInteger.GreatestCommonDivisor(a, b) * b), scale);
    }

    /// <summary>factorial(int8).</summary>
    public static decimal Factorial(long n)
    {
        if (n < 0)
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, "factorial of a negative number is undefined");
        }

        var result = 1m;
        try
        {
            for (var i = 2L; i <= n; i++)
            {
                result *= i;
            }
        }
        catch (OverflowException)
        {
            Overflow();
        }

        return result;
    }

    /// <summary>width_bucket over numeric bounds, computed exactly on the mantissas.</summary>
    public static int WidthBucket(decimal operand, decimal low, decimal high, int count)
    {
        if (count <= 0)
        {
            SqlErrors.Throw(WidthBucketState, "count must be greater than zero");
        }

        if (low == high)
        {
            SqlErrors.Throw(WidthBucketState, "lower bound cannot equal upper bound");
        }

        var ascending = low < high;
        if (ascending ? operand < low : operand > low)
        {
            return 0;
        }

        if (ascending ? operand >= high : operand <= high)
        {
            return count == int.MaxValue ? IntegerOutOfRange() : count + 1;
        }

        var scale = Math.Max(operand.Scale, Math.Max(low.Scale, high.Scale));
        var op = Scaled(operand, scale);
        var lo = Scaled(low, scale);
        var hi = Scaled(high, scale);
        var bucket = ascending ? (op - lo) * count / (hi - lo) : (lo - op) * count / (lo - hi);
        return bucket + 1 > int.MaxValue ? IntegerOutOfRange() : (int)bucket + 1;
    }

    /// <summary>SQLSTATE 2201G, invalid_argument_for_width_bucket_function.</summary>
    public const string WidthBucketState = "2201G";

    /// <summary>min_scale(numeric): the fewest decimals that represent the value exactly.</summary>
    public static int MinScale(decimal x) => TrimScale(x).Scale;

    /// <summary>trim_scale(numeric): the value without trailing fractional zeros.</summary>
    public static decimal TrimScale(decimal x)
    {
        var (mantissa, scale) = Decompose(x);
        while (scale > 0 && (mantissa.IsZero || (mantissa % 10).IsZero))
        {
            mantissa /= 10;
            scale--;
        }

        return Compose(mantissa, scale);
    }

    /// <summary>sign(numeric): -1, 0 or 1 at scale 0.</summary>
    public static decimal Sign(decimal x) => Math.Sign(x);

    private static int IntegerOutOfRange()
    {
        SqlErrors.OutOfRange(SqlType.Int4);
        return 0;
    }

    private static void CheckLogArgument(decimal x)
    {
        if (x == 0)
        {
            SqlErrors.Throw(SqlState.InvalidArgumentForLogarithm, "cannot take logarithm of zero");
        }

        if (x < 0)
        {
            SqlErrors.Throw(SqlState.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Overflow() => SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value overflows numeric format");

    /// <summary>
    /// The decimal weight PostgreSQL expects of ln(x): near 1 that of x - 1, elsewhere log10 of |ln x|
    /// truncated toward zero. It sets how many decimals ln and log return.
    /// </summary>
    private static int EstimateLnWeight(decimal x)
    {
        if (x is >= 0.9m and <= 1.1m)
        {
            var delta = Math.Abs(x - 1);
            return delta == 0 ? 0 : DecimalWeight(delta);
        }

        var ln = Math.Log((double)x);
        return ln == 0 ? 0 : (int)Math.Log10(Math.Abs(ln));
    }

    /// <summary>The power of ten of the leading digit of a positive value.</summary>
    private static int DecimalWeight(decimal value)
    {
        var (mantissa, scale) = Decompose(value);
        var digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return digits - 1 - scale;
    }

    private static BigInteger ToFixed(decimal x)
    {
        var (mantissa, scale) = Decompose(x);
        return mantissa * PowersOfTen[Precision - scale];
    }

    /// <summary>e^x in fixed point: halve x below 0.01, sum the series, then square back.</summary>
    private static BigInteger ExpFixed(BigInteger x)
    {
        if (x.Sign < 0)
        {
            return One * One / ExpFixed(-x);
        }

        var halvings = 0;
        while (x > ExpThreshold)
        {
            x /= 2;
            halvings++;
        }

        var sum = One;
        var term = One;
        for (var k = 1; !term.IsZero; k++)
        {
            term = term * x / (One * k);
            sum += term;
        }

        for (var i = 0; i < halvings; i++)
        {
            sum = sum * sum / One;
        }

        return sum;
    }

    /// <summary>ln(x) in fixed point by Newton's method on exp, from a double first guess; x is positive.</summary>
    private static BigInteger LnFixed(decimal value)
    {
        var x = ToFixed(value);
        var y = new BigInteger(Math.Log((double)value) * 1e15) * PowersOfTen[Precision - 15];
        for (var i = 0; i < 4; i++)
        {
            y += (x * One / ExpFixed(y)) - One;
        }

        return y;
    }

    /// <summary>Rounds a fixed-point value half away from zero to <paramref name="scale"/> decimals (capped at what decimal holds).</summary>
    private static decimal Round(BigInteger value, int scale)
    {
        scale = Math.Clamp(scale, 0, MaxDecimalScale);
        var negative = value.Sign < 0;
        value = BigInteger.Abs(value);
        while (true)
        {
            var divisor = PowersOfTen[Precision - scale];
            var quotient = BigInteger.DivRem(value, divisor, out var remainder);
            if (remainder * 2 >= divisor)
            {
                quotient++;
            }

            if (quotient <= MaxMantissa)
            {
                return Compose(negative ? -quotient : quotient, scale);
            }

            if (scale == 0)
            {
                Overflow();
            }

            scale--;
        }
    }

    /// <summary>Shows trailing zeros up to <paramref name="scale"/> decimals, as many as decimal's 96-bit mantissa allows.</summary>
    private static decimal Pad(BigInteger mantissa, int current, int scale)
    {
        scale = Math.Min(scale, MaxDecimalScale);
        while (scale > current && BigInteger.Abs(mantissa * PowersOfTen[scale - current]) > MaxMantissa)
        {
            scale--;
        }

        return Compose(mantissa * PowersOfTen[scale - current], scale);
    }

    private static BigInteger Scaled(decimal x, int scale)
    {
        var (mantissa, current) = Decompose(x);
        return mantissa * PowersOfTen[scale - current];
    }

    /// <summary>Both values as integers over one common power of ten.</summary>
    private static (BigInteger A, BigInteger B, int Scale) Common(decimal x, decimal y)
    {
        var scale = Math.Max(x.Scale, y.Scale);
        return (Scaled(x, scale), Scaled(y, scale), scale);
    }

    private static (BigInteger Mantissa, int Scale) Decompose(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (value < 0 ? -mantissa : mantissa, value.Scale);
    }

    private static decimal Compose(BigInteger mantissa, int scale)
    {
        var negative = mantissa.Sign < 0;
        mantissa = BigInteger.Abs(mantissa);
        if (mantissa > MaxMantissa)
        {
            Overflow();
        }

        var lo = (int)(uint)(mantissa & uint.MaxValue);
        var mid = (int)(uint)((mantissa >> 32) & uint.MaxValue);
        var hi = (int)(uint)(mantissa >> 64);
        return new decimal(lo, mid, hi, negative && !mantissa.IsZero, (byte)scale);
    }

    private static decimal PositiveZero(decimal value) => value == 0 ? Math.Abs(value) : value;
}
