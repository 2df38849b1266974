using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Kernels of the mathematical functions and the integer bitwise operators.</summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? MathFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        var numeric = type.Kind == SqlTypeKind.Numeric;
        return call.Function switch
        {
            ScalarFunction.Trunc => numeric
                ? Map<decimal, decimal>(args[0], type, static v => NumericFunctions.Trunc(v))
                : Map<double, double>(args[0], type, static v => Math.Truncate(v)),
            ScalarFunction.TruncTo => MapBinary<decimal, int, decimal>(args[0], args[1], type, static (v, s) => NumericFunctions.Trunc(v, s)),
            ScalarFunction.Cbrt => Map<double, double>(args[0], type, static v => Math.Cbrt(v)),
            ScalarFunction.Exp => numeric
                ? Map<decimal, decimal>(args[0], type, static v => NumericFunctions.Exp(v))
                : Map<double, double>(args[0], type, static v => Float8Functions.Exp(v)),
            ScalarFunction.Ln => numeric
                ? Map<decimal, decimal>(args[0], type, static v => NumericFunctions.Ln(v))
                : Map<double, double>(args[0], type, static v => Float8Functions.Ln(v)),
            ScalarFunction.Log10 => numeric
                ? Map<decimal, decimal>(args[0], type, static v => NumericFunctions.Log10(v))
                : Map<double, double>(args[0], type, static v => Float8Functions.Log10(v)),
            ScalarFunction.LogBase => MapBinary<decimal, decimal, decimal>(args[0], args[1], type, static (b, x) => NumericFunctions.Log(b, x)),
            ScalarFunction.Sign => numeric
                ? Map<decimal, decimal>(args[0], type, static v => NumericFunctions.Sign(v))
                : Map<double, double>(args[0], type, static v => Float8Functions.Sign(v)),
            ScalarFunction.Pi => ColumnVector.Repeat(SqlType.Float8, Math.PI, rowCount),
            ScalarFunction.Degrees => Map<double, double>(args[0], type, static v => Float8Functions.Degrees(v)),
            ScalarFunction.Radians => Map<double, double>(args[0], type, static v => Float8Functions.Radians(v)),
            ScalarFunction.Sin => Map<double, double>(args[0], type, static v => Float8Functions.Trig(v, Math.Sin)),
            ScalarFunction.Cos => Map<double, double>(args[0], type, static v => Float8Functions.Trig(v, Math.Cos)),
            ScalarFunction.Tan => Map<double, double>(args[0], type, static v => Float8Functions.Trig(v, Math.Tan)),
            ScalarFunction.Cot => Map<double, double>(args[0], type, static v => Float8Functions.Cot(v)),
            ScalarFunction.Asin => Map<double, double>(args[0], type, static v => Float8Functions.Inverse(v, Math.Asin)),
            ScalarFunction.Acos => Map<double, double>(args[0], type, static v => Float8Functions.Inverse(v, Math.Acos)),
            ScalarFunction.Atan => Map<double, double>(args[0], type, static v => Math.Atan(v)),
            ScalarFunction.Atan2 => MapBinary<double, double, double>(args[0], args[1], type, static (y, x) => Float8Functions.Atan2(y, x)),
            ScalarFunction.Sind => Map<double, double>(args[0], type, static v => Float8Functions.Sind(v)),
            ScalarFunction.Cosd => Map<double, double>(args[0], type, static v => Float8Functions.Cosd(v)),
            ScalarFunction.Tand => Map<double, double>(args[0], type, static v => Float8Functions.Tand(v)),
            ScalarFunction.Cotd => Map<double, double>(args[0], type, static v => Float8Functions.Cotd(v)),
            ScalarFunction.Asind => Map<double, double>(args[0], type, static v => Float8Functions.Asind(v)),
            ScalarFunction.Acosd => Map<double, double>(args[0], type, static v => Float8Functions.Acosd(v)),
            ScalarFunction.Atand => Map<double, double>(args[0], type, static v => Float8Functions.Atand(v)),
            ScalarFunction.Atan2d => MapBinary<double, double, double>(args[0], args[1], type, static (y, x) => Float8Functions.Atan2d(y, x)),
            ScalarFunction.Sinh => Map<double, double>(args[0], type, static v => Math.Sinh(v)),
            ScalarFunction.Cosh => Map<double, double>(args[0], type, static v => Math.Cosh(v)),
            ScalarFunction.Tanh => Map<double, double>(args[0], type, static v => Math.Tanh(v)),
            ScalarFunction.Asinh => Map<double, double>(args[0], type, static v => Math.Asinh(v)),
            ScalarFunction.Acosh => Map<double, double>(args[0], type, static v => Float8Functions.Acosh(v)),
            ScalarFunction.Atanh => Map<double, double>(args[0], type, static v => Float8Functions.Atanh(v)),
            ScalarFunction.Div => MapBinary<decimal, decimal, decimal>(args[0], args[1], type, static (x, y) => NumericFunctions.Div(x, y)),
            ScalarFunction.Gcd or ScalarFunction.Lcm => GcdLcm(call.Function == ScalarFunction.Gcd, args, type),
            ScalarFunction.Factorial => Map<long, decimal>(args[0], type, static n => NumericFunctions.Factorial(n)),
            ScalarFunction.WidthBucket => WidthBucket(args),
            ScalarFunction.Scale => Map<decimal, int>(args[0], type, static v => v.Scale),
            ScalarFunction.MinScale => Map<decimal, int>(args[0], type, static v => NumericFunctions.MinScale(v)),
            ScalarFunction.TrimScale => Map<decimal, decimal>(args[0], type, static v => NumericFunctions.TrimScale(v)),
            ScalarFunction.BitAnd or ScalarFunction.BitOr or ScalarFunction.BitXor or ScalarFunction.ShiftLeft or ScalarFunction.ShiftRight =>
                IntegerBitwise(call.Function, args[0], args[1], type),
            ScalarFunction.BitNot => type.Kind switch
            {
                SqlTypeKind.Int2 => Map<short, short>(args[0], type, static v => (short)~v),
                SqlTypeKind.Int4 => Map<int, int>(args[0], type, static v => ~v),
                _ => Map<long, long>(args[0], type, static v => ~v),
            },
            _ => null,
        };
    }

    /// <summary>Integer gcd/lcm are computed in 128 bits; a result outside the type (|minimum value|) is an error.</summary>
    private static ColumnVector GcdLcm(bool gcd, ColumnVector[] args, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int4 => MapBinary<int, int, int>(args[0], args[1], type, gcd
            ? static (a, b) => (int)IntegerGcdLcm(a, b, true, int.MaxValue, SqlType.Int4)
            : static (a, b) => (int)IntegerGcdLcm(a, b, false, int.MaxValue, SqlType.Int4)),
        SqlTypeKind.Int8 => MapBinary<long, long, long>(args[0], args[1], type, gcd
            ? static (a, b) => (long)IntegerGcdLcm(a, b, true, long.MaxValue, SqlType.Int8)
            : static (a, b) => (long)IntegerGcdLcm(a, b, false, long.MaxValue, SqlType.Int8)),
        _ => MapBinary<decimal, decimal, decimal>(args[0], args[1], type, gcd
            ? static (a, b) => NumericFunctions.Gcd(a, b)
            : static (a, b) => NumericFunctions.Lcm(a, b)),
    };

    private static Int128 IntegerGcdLcm(Int128 a, Int128 b, bool gcd, long max, SqlType type)
    {
        a = Int128.Abs(a);
        b = Int128.Abs(b);
        var (x, y) = (a, b);
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        var result = gcd ? x : a == 0 || b == 0 ? 0 : a / x * b;
        if (result > max)
        {
            SqlErrors.OutOfRange(type);
        }

        return result;
    }

    private static ColumnVector IntegerBitwise(ScalarFunction function, ColumnVector left, ColumnVector right, SqlType type) => type.Kind switch
    {
        // Shifts take an int4 count that the CPU masks to the operand width, as PostgreSQL's C shifts do;
        // a smallint is shifted as an int and truncated back.
        SqlTypeKind.Int2 => function switch
        {
            ScalarFunction.BitAnd => MapBinary<short, short, short>(left, right, type, static (a, b) => (short)(a & b)),
            ScalarFunction.BitOr => MapBinary<short, short, short>(left, right, type, static (a, b) => (short)(a | b)),
            ScalarFunction.BitXor => MapBinary<short, short, short>(left, right, type, static (a, b) => (short)(a ^ b)),
            ScalarFunction.ShiftLeft => MapBinary<short, int, short>(left, right, type, static (a, n) => (short)(a << n)),
            _ => MapBinary<short, int, short>(left, right, type, static (a, n) => (short)(a >> n)),
        },
        SqlTypeKind.Int4 => function switch
        {
            ScalarFunction.BitAnd => MapBinary<int, int, int>(left, right, type, static (a, b) => a & b),
            ScalarFunction.BitOr => MapBinary<int, int, int>(left, right, type, static (a, b) => a | b),
            ScalarFunction.BitXor => MapBinary<int, int, int>(left, right, type, static (a, b) => a ^ b),
            ScalarFunction.ShiftLeft => MapBinary<int, int, int>(left, right, type, static (a, n) => a << n),
            _ => MapBinary<int, int, int>(left, right, type, static (a, n) => a >> n),
        },
        _ => function switch
        {
            ScalarFunction.BitAnd => MapBinary<long, long, long>(left, right, type, static (a, b) => a & b),
            ScalarFunction.BitOr => MapBinary<long, long, long>(left, right, type, static (a, b) => a | b),
            ScalarFunction.BitXor => MapBinary<long, long, long>(left, right, type, static (a, b) => a ^ b),
            ScalarFunction.ShiftLeft => MapBinary<long, int, long>(left, right, type, static (a, n) => a << n),
            _ => MapBinary<long, int, long>(left, right, type, static (a, n) => a >> n),
        },
    };

    private static ColumnVector WidthBucket(ColumnVector[] args)
    {
        var n = args[0].Length;
        var result = ColumnVector.Allocate(SqlType.Int4, n);
        var buckets = (int[])result.Values;
        var count = args[3].As<int>();
        var isFloat = args[0].Type.Kind == SqlTypeKind.Float8;
        for (var i = 0; i < n; i++)
        {
            if (args[0].IsNull(i) || args[1].IsNull(i) || args[2].IsNull(i) || args[3].IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            buckets[i] = isFloat
                ? Float8Functions.WidthBucket(args[0].As<double>()[i], args[1].As<double>()[i], args[2].As<double>()[i], count[i])
                : NumericFunctions.WidthBucket(args[0].As<decimal>()[i], args[1].As<decimal>()[i], args[2].As<decimal>()[i], count[i]);
        }

        return result;
    }
}
