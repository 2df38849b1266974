using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Mathematical functions and the integer bitwise, root and absolute-value operators.</summary>
public sealed partial class SqlBinder
{
    private static readonly SqlType[] GcdCandidates = [SqlType.Int4, SqlType.Int8, SqlType.Numeric];

    /// <summary>Binds a mathematical function, or returns null when <paramref name="name"/> is not one.</summary>
    private BoundFunction? BindMathFunction(string name, BoundExpression[] args) => name switch
    {
        "trunc" when args.Length == 2 => Fixed(ScalarFunction.TruncTo, name, args, SqlType.Numeric, [SqlType.Numeric, SqlType.Int4]),
        "trunc" => Numeric(ScalarFunction.Trunc, name, args, keepIntegers: false),
        "exp" => Numeric(ScalarFunction.Exp, name, args, keepIntegers: false),
        "ln" => Numeric(ScalarFunction.Ln, name, args, keepIntegers: false),
        "log" when args.Length == 2 => Fixed(ScalarFunction.LogBase, name, args, SqlType.Numeric, [SqlType.Numeric, SqlType.Numeric]),
        "log" or "log10" => Numeric(ScalarFunction.Log10, name, args, keepIntegers: false),
        "sign" => Numeric(ScalarFunction.Sign, name, args, keepIntegers: false),
        "cbrt" => Float8Function(ScalarFunction.Cbrt, name, args, 1),
        "pi" => Float8Function(ScalarFunction.Pi, name, args, 0),
        "degrees" => Float8Function(ScalarFunction.Degrees, name, args, 1),
        "radians" => Float8Function(ScalarFunction.Radians, name, args, 1),
        "sin" => Float8Function(ScalarFunction.Sin, name, args, 1),
        "cos" => Float8Function(ScalarFunction.Cos, name, args, 1),
        "tan" => Float8Function(ScalarFunction.Tan, name, args, 1),
        "cot" => Float8Function(ScalarFunction.Cot, name, args, 1),
        "asin" => Float8Function(ScalarFunction.Asin, name, args, 1),
        "acos" => Float8Function(ScalarFunction.Acos, name, args, 1),
        "atan" => Float8Function(ScalarFunction.Atan, name, args, 1),
        "atan2" => Float8Function(ScalarFunction.Atan2, name, args, 2),
        "sind" => Float8Function(ScalarFunction.Sind, name, args, 1),
        "cosd" => Float8Function(ScalarFunction.Cosd, name, args, 1),
        "tand" => Float8Function(ScalarFunction.Tand, name, args, 1),
        "cotd" => Float8Function(ScalarFunction.Cotd, name, args, 1),
        "asind" => Float8Function(ScalarFunction.Asind, name, args, 1),
        "acosd" => Float8Function(ScalarFunction.Acosd, name, args, 1),
        "atand" => Float8Function(ScalarFunction.Atand, name, args, 1),
        "atan2d" => Float8Function(ScalarFunction.Atan2d, name, args, 2),
        "sinh" => Float8Function(ScalarFunction.Sinh, name, args, 1),
        "cosh" => Float8Function(ScalarFunction.Cosh, name, args, 1),
        "tanh" => Float8Function(ScalarFunction.Tanh, name, args, 1),
        "asinh" => Float8Function(ScalarFunction.Asinh, name, args, 1),
        "acosh" => Float8Function(ScalarFunction.Acosh, name, args, 1),
        "atanh" => Float8Function(ScalarFunction.Atanh, name, args, 1),
        "div" => Fixed(ScalarFunction.Div, name, args, SqlType.Numeric, [SqlType.Numeric, SqlType.Numeric]),
        "gcd" => BindGcdLcm(ScalarFunction.Gcd, name, args),
        "lcm" => BindGcdLcm(ScalarFunction.Lcm, name, args),
        "factorial" => Fixed(ScalarFunction.Factorial, name, args, SqlType.Numeric, [SqlType.Int8]),
        "width_bucket" when args.Length == 4 => BindWidthBucket(name, args),
        "scale" => Fixed(ScalarFunction.Scale, name, args, SqlType.Int4, [SqlType.Numeric]),
        "min_scale" => Fixed(ScalarFunction.MinScale, name, args, SqlType.Int4, [SqlType.Numeric]),
        "trim_scale" => Fixed(ScalarFunction.TrimScale, name, args, SqlType.Numeric, [SqlType.Numeric]),
        _ => null,
    };

    private BoundFunction Float8Function(ScalarFunction function, string name, BoundExpression[] args, int arity) =>
        Fixed(function, name, args, SqlType.Float8, arity switch
        {
            0 => [],
            1 => [SqlType.Float8],
            _ => [SqlType.Float8, SqlType.Float8],
        });

    /// <summary>
    /// gcd and lcm exist for int4, int8 and numeric: the candidate with the most exactly matching arguments
    /// wins, and a tie (two smallints, two unknowns) is ambiguous, as in PostgreSQL.
    /// </summary>
    private BoundFunction BindGcdLcm(ScalarFunction function, string name, BoundExpression[] args)
    {
        if (args.Length != 2)
        {
            throw FunctionNotFound(name, args);
        }

        SqlType? best = null;
        var bestScore = -1;
        var tie = false;
        foreach (var candidate in GcdCandidates)
        {
            if (!args.All(a => SqlTypeCoercion.CanImplicitlyCast(a.Type, candidate)))
            {
                continue;
            }

            var score = args.Count(a => a.Type.Kind == candidate.Kind);
            if (score > bestScore)
            {
                (best, bestScore, tie) = (candidate, score, false);
            }
            else if (score == bestScore)
            {
                tie = true;
            }
        }

        if (best is null)
        {
            throw FunctionNotFound(name, args);
        }

        if (tie)
        {
            throw new SqlException(
                SqlState.AmbiguousFunction,
                $"function {name}({FormatArguments(args)}) is not unique",
                "Could not choose a best candidate function. You might need to add explicit type casts.");
        }

        return new BoundFunction(function, [Coerce(args[0], best), Coerce(args[1], best)], best);
    }

    /// <summary>width_bucket(operand, low, high, count) in its float8 or numeric form; float arguments rule out numeric.</summary>
    private BoundFunction BindWidthBucket(string name, BoundExpression[] args)
    {
        var bounds = args[..3];
        if (bounds.Any(a => a.Type.Category is not (SqlTypeCategory.Numeric or SqlTypeCategory.Unknown)) || !SqlTypeCoercion.CanImplicitlyCast(args[3].Type, SqlType.Int4))
        {
            throw FunctionNotFound(name, args);
        }

        var type = bounds.Any(a => a.Type.Kind is SqlTypeKind.Float4 or SqlTypeKind.Float8) || !bounds.Any(a => a.Type.Kind == SqlTypeKind.Numeric)
            ? SqlType.Float8
            : SqlType.Numeric;
        return new BoundFunction(ScalarFunction.WidthBucket, [Coerce(args[0], type), Coerce(args[1], type), Coerce(args[2], type), Coerce(args[3], SqlType.Int4)], SqlType.Int4);
    }

    /// <summary>The integer operators <c>&amp; | # &lt;&lt; &gt;&gt;</c>; null for any other operator.</summary>
    private BoundFunction? BindBitwiseOperator(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        var function = op switch
        {
            BinaryOperator.BitwiseAnd => ScalarFunction.BitAnd,
            BinaryOperator.BitwiseOr => ScalarFunction.BitOr,
            BinaryOperator.BitwiseXor => ScalarFunction.BitXor,
            BinaryOperator.ShiftLeft => ScalarFunction.ShiftLeft,
            BinaryOperator.ShiftRight => ScalarFunction.ShiftRight,
            _ => (ScalarFunction?)null,
        };
        if (function is null)
        {
            return null;
        }

        var symbol = SqlOperators.Symbol(op);
        var shift = function is ScalarFunction.ShiftLeft or ScalarFunction.ShiftRight;
        if (left.Type.Kind == SqlTypeKind.Unknown && shift && right.Type.Kind == SqlTypeKind.Int4)
        {
            // An unknown left operand is assumed to have the right operand's type, which int4 << int4 accepts.
            left = Coerce(left, SqlType.Int4);
        }

        if (left.Type.Kind == SqlTypeKind.Unknown && (right.Type.Kind is SqlTypeKind.Unknown || (shift && right.Type.Kind == SqlTypeKind.Int2)))
        {
            // Integers and bit strings all qualify, and none is preferred.
            throw new SqlException(
                SqlState.AmbiguousFunction,
                $"operator is not unique: unknown {symbol} {right.Type.DisplayName}",
                "Could not choose a best candidate operator. You might need to add explicit type casts.");
        }

        if (shift)
        {
            // The shift count is always int4; the result has the left operand's type.
            if (!left.Type.IsInteger || !SqlTypeCoercion.CanImplicitlyCast(right.Type, SqlType.Int4))
            {
                NoOperator(op, left, right);
            }

            return new BoundFunction(function.Value, [left, Coerce(right, SqlType.Int4)], left.Type.WithoutModifier);
        }

        (left, right) = ResolveUnknowns(op, left, right);
        if (!left.Type.IsInteger || !right.Type.IsInteger)
        {
            NoOperator(op, left, right);
        }

        var type = SqlTypeCoercion.PromoteNumeric(left.Type, right.Type);
        return new BoundFunction(function.Value, [Coerce(left, type), Coerce(right, type)], type);
    }

    /// <summary>Prefix <c>~</c> on integers.</summary>
    private static BoundFunction BindBitwiseNot(BoundExpression operand)
    {
        if (operand.Type.Kind == SqlTypeKind.Unknown)
        {
            throw new SqlException(
                SqlState.AmbiguousFunction,
                "operator is not unique: ~ unknown",
                "Could not choose a best candidate operator. You might need to add explicit type casts.");
        }

        if (!operand.Type.IsInteger)
        {
            throw PrefixOperatorError("~", operand);
        }

        return new BoundFunction(ScalarFunction.BitNot, [operand], operand.Type.WithoutModifier);
    }

    /// <summary>The prefix operators <c>|/</c> (square root), <c>||/</c> (cube root) and <c>@</c> (absolute value); null for others.</summary>
    private BoundFunction? BindMathPrefixOperator(CustomOperatorExpression expression)
    {
        if (expression.Left is not null || expression.Operator is not ("|/" or "||/" or "@"))
        {
            return null;
        }

        var operand = Bind(expression.Right);
        if (expression.Operator == "@")
        {
            if (operand.Type.Kind == SqlTypeKind.Unknown)
            {
                operand = Coerce(operand, SqlType.Float8);
            }

            if (operand.Type.Category != SqlTypeCategory.Numeric)
            {
                throw PrefixOperatorError("@", operand);
            }

            return new BoundFunction(ScalarFunction.Abs, [operand], operand.Type.WithoutModifier);
        }

        if (!SqlTypeCoercion.CanImplicitlyCast(operand.Type, SqlType.Float8))
        {
            throw PrefixOperatorError(expression.Operator, operand);
        }

        var function = expression.Operator == "|/" ? ScalarFunction.Sqrt : ScalarFunction.Cbrt;
        return new BoundFunction(function, [Coerce(operand, SqlType.Float8)], SqlType.Float8);
    }

    private static SqlException PrefixOperatorError(string symbol, BoundExpression operand) =>
        new(SqlState.UndefinedFunction, $"operator does not exist: {symbol} {operand.Type.DisplayName}", OperatorHint);
}
