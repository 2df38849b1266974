using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>pgvector's operators and functions on vector.</summary>
public sealed partial class SqlBinder
{
    private static readonly SqlType AnyVector = SqlType.VectorOf(-1);

    private BoundExpression? BindVectorBinary(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        var function = op switch
        {
            BinaryOperator.L2Distance => ScalarFunction.VectorL2Distance,
            BinaryOperator.CosineDistance => ScalarFunction.VectorCosineDistance,
            BinaryOperator.NegativeInnerProduct => ScalarFunction.VectorNegativeInnerProduct,
            BinaryOperator.Add => ScalarFunction.VectorAdd,
            BinaryOperator.Subtract => ScalarFunction.VectorSubtract,
            _ => (ScalarFunction?)null,
        };
        if (function is null)
        {
            // Other operators (comparisons, ||, @>) keep their own resolution and errors.
            return null;
        }

        if (!IsVectorOrUnknown(left.Type) || !IsVectorOrUnknown(right.Type) || (left.Type.Kind == SqlTypeKind.Unknown && right.Type.Kind == SqlTypeKind.Unknown))
        {
            return Fail(op, left, right);
        }

        var l = VectorOperand(left);
        var r = VectorOperand(right);
        var result = function is ScalarFunction.VectorAdd or ScalarFunction.VectorSubtract ? AnyVector : SqlType.Float8;
        return new BoundFunction(function.Value, [l, r], result);
    }

    private static bool IsVectorOrUnknown(SqlType type) => type.Kind is SqlTypeKind.Vector or SqlTypeKind.Unknown;

    private BoundExpression VectorOperand(BoundExpression operand) =>
        operand.Type.Kind == SqlTypeKind.Vector ? operand : Coerce(operand, AnyVector);

    /// <summary>l2_distance, cosine_distance, inner_product, vector_dims, vector_norm; null when <paramref name="name"/> is none of them.</summary>
    private BoundFunction? BindVectorFunction(string name, BoundExpression[] args)
    {
        var (function, arity, result) = name switch
        {
            "l2_distance" => (ScalarFunction.VectorL2Distance, 2, SqlType.Float8),
            "cosine_distance" => (ScalarFunction.VectorCosineDistance, 2, SqlType.Float8),
            "inner_product" => (ScalarFunction.VectorInnerProduct, 2, SqlType.Float8),
            "vector_dims" => (ScalarFunction.VectorDims, 1, SqlType.Int4),
            "vector_norm" => (ScalarFunction.VectorNorm, 1, SqlType.Float8),
            _ => ((ScalarFunction)(-1), 0, SqlType.Unknown),
        };
        if (arity == 0)
        {
            return null;
        }

        if (args.Length != arity || args.Any(a => !IsVectorOrUnknown(a.Type)))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(function, args.Select(VectorOperand).ToArray(), result);
    }
}
