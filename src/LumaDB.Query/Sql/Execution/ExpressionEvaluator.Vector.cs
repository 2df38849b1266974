using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// pgvector kernels. Sums run in single precision and widen at the end, as pgvector's C code does, so
/// distances match it to the last bit; vector_norm sums in double like pgvector.
/// </summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? VectorFunction(BoundFunction call, ColumnVector[] args)
    {
        var type = call.Type;
        return call.Function switch
        {
            ScalarFunction.VectorL2Distance => VectorPair(args, type, static (a, b) => L2Distance(a, b)),
            ScalarFunction.VectorCosineDistance => VectorPair(args, type, static (a, b) => CosineDistance(a, b)),
            ScalarFunction.VectorInnerProduct => VectorPair(args, type, static (a, b) => (double)InnerProduct(a, b)),
            ScalarFunction.VectorNegativeInnerProduct => VectorPair(args, type, static (a, b) => -(double)InnerProduct(a, b)),
            ScalarFunction.VectorAdd => VectorPair(args, type, static (a, b) => Elementwise(a, b, add: true)),
            ScalarFunction.VectorSubtract => VectorPair(args, type, static (a, b) => Elementwise(a, b, add: false)),
            ScalarFunction.VectorDims => Map<float[], int>(args[0], type, static v => v.Length),
            ScalarFunction.VectorNorm => Map<float[], double>(args[0], type, static v => Norm(v)),
            _ => null,
        };
    }

    private static ColumnVector VectorPair<TResult>(ColumnVector[] args, SqlType type, Func<float[], float[], TResult> kernel) =>
        MapBinary<float[], float[], TResult>(args[0], args[1], type, (a, b) =>
        {
            if (a.Length != b.Length)
            {
                SqlErrors.Throw(SqlState.DataException, $"different vector dimensions {a.Length} and {b.Length}");
            }

            return kernel(a, b);
        });

    private static double L2Distance(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    private static float InnerProduct(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double CosineDistance(float[] a, float[] b)
    {
        float dot = 0f, na = 0f, nb = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        // A zero vector has no direction: NaN, as pgvector returns.
        var similarity = dot / Math.Sqrt((double)na * nb);
        if (double.IsNaN(similarity))
        {
            return double.NaN;
        }

        return 1 - Math.Clamp(similarity, -1, 1);
    }

    private static double Norm(float[] v)
    {
        var sum = 0d;
        foreach (var x in v)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }

    private static float[] Elementwise(float[] a, float[] b, bool add)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = add ? a[i] + b[i] : a[i] - b[i];
            if (float.IsInfinity(result[i]))
            {
                SqlErrors.Throw(SqlState.NumericValueOutOfRange, "value out of range: overflow");
            }
        }

        return result;
    }
}
