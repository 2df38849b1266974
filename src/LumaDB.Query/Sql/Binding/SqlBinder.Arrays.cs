using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Array constructors, subscripts, <c>op ANY/ALL (array)</c>, array operators and the array functions.</summary>
public sealed partial class SqlBinder
{
    private BoundFunction BindArrayConstructor(ArrayExpression array)
    {
        var elements = array.Elements.Select(Bind).ToArray();
        if (elements.Length == 0)
        {
            throw new SqlException(SqlState.IndeterminateDatatype, "cannot determine type of empty array", "Explicitly cast to the desired type, for example ARRAY[]::integer[].");
        }

        var type = ResolveCommon(elements, "ARRAY");
        if (type.Kind == SqlTypeKind.Unknown)
        {
            type = SqlType.Text;
        }

        // ARRAY[ARRAY[..], ..] is a two-dimensional array of the inner element type, held as nested object?[].
        var element = type.IsArray ? type.ElementType! : type;
        return new BoundFunction(ScalarFunction.ArrayConstruct, elements.Select(e => Coerce(e, type)).ToArray(), SqlType.ArrayOf(element));
    }

    private BoundFunction BindSubscript(SubscriptExpression subscript)
    {
        var operand = Bind(subscript.Operand);
        if (operand.Type.Kind == SqlTypeKind.Unknown)
        {
            throw new SqlException(SqlState.IndeterminateDatatype, "cannot subscript a value of unknown type");
        }

        if (!operand.Type.IsArray)
        {
            throw new SqlException(SqlState.DatatypeMismatch, $"cannot subscript type {operand.Type.DisplayName} because it does not support subscripting");
        }

        BoundExpression Index(Expression? bound, int missing) => bound is null
            ? new BoundConstant(missing, SqlType.Int4)
            : CoerceSubscript(Bind(bound));

        if (subscript.IsSlice)
        {
            return new BoundFunction(ScalarFunction.ArraySlice, [operand, Index(subscript.Lower, int.MinValue), Index(subscript.Upper, int.MaxValue)], operand.Type);
        }

        return new BoundFunction(ScalarFunction.ArraySubscript, [operand, Index(subscript.Lower, 0)], operand.Type.ElementType!);
    }

    private BoundExpression CoerceSubscript(BoundExpression index)
    {
        if (index.Type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Unknown)
        {
            return Coerce(index, SqlType.Int4);
        }

        if (index.Type.Kind == SqlTypeKind.Int8)
        {
            return new BoundCast(index, SqlType.Int4, IsExplicit: true);
        }

        throw new SqlException(SqlState.DatatypeMismatch, "array subscript must have type integer");
    }

    /// <summary><c>left op ANY (array)</c> and <c>left op ALL (array)</c>; an untyped array operand takes the array type of the left side.</summary>
    private BoundFunction BindQuantifiedArray(QuantifiedComparison comparison)
    {
        var left = Bind(comparison.Left);
        var right = Bind(comparison.Right);
        if (right.Type.Kind == SqlTypeKind.Unknown)
        {
            var element = left.Type.Kind == SqlTypeKind.Unknown ? SqlType.Text : left.Type;
            right = Coerce(right, SqlType.ArrayOf(element));
        }

        if (!right.Type.IsArray)
        {
            throw new SqlException(SqlState.WrongObjectType, $"op ANY/ALL (array) requires array on right side");
        }

        // Resolve the comparison as one between the left value and an element, then compare elementwise.
        var probe = new BoundConstant(null, right.Type.ElementType!);
        var (l, r) = BindComparisonOperands(comparison.Operator, left, probe);
        if (r.Type != right.Type.ElementType)
        {
            right = new BoundCast(right, SqlType.ArrayOf(r.Type), IsExplicit: false);
        }

        var function = comparison.Quantifier == Quantifier.All ? ScalarFunction.ArrayAll : ScalarFunction.ArrayAny;
        return new BoundFunction(function, [l, right, new BoundConstant((int)comparison.Operator, SqlType.Int4)], SqlType.Boolean);
    }

    /// <summary>Array forms of <c>||</c>, <c>@&gt;</c>, <c>&lt;@</c> and <c>&amp;&amp;</c>; null when neither operand is an array.</summary>
    private BoundFunction? BindArrayOperator(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if (!left.Type.IsArray && !right.Type.IsArray)
        {
            return null;
        }

        var array = left.Type.IsArray ? left.Type : right.Type;
        switch (op)
        {
            case BinaryOperator.Concat:
                if (left.Type.IsArray && right.Type.IsArray)
                {
                    var common = ResolveCommon([left, right], "||");
                    return new BoundFunction(ScalarFunction.ArrayCat, [Coerce(left, common), Coerce(right, common)], common);
                }

                if (left.Type.IsArray)
                {
                    // An untyped literal next to an array is read as an array, as PostgreSQL's resolution prefers.
                    return right.Type.Kind == SqlTypeKind.Unknown && right is BoundConstant { Value: string s } && s.StartsWith('{')
                        ? new BoundFunction(ScalarFunction.ArrayCat, [left, Coerce(right, array)], array)
                        : new BoundFunction(ScalarFunction.ArrayAppend, [left, CoerceElement(right, array, "||")], array);
                }

                return left.Type.Kind == SqlTypeKind.Unknown && left is BoundConstant { Value: string t } && t.StartsWith('{')
                    ? new BoundFunction(ScalarFunction.ArrayCat, [Coerce(left, array), right], array)
                    : new BoundFunction(ScalarFunction.ArrayPrepend, [CoerceElement(left, array, "||"), right], array);
            case BinaryOperator.Contains or BinaryOperator.ContainedBy or BinaryOperator.Overlaps:
                var type = ResolveCommon([left, right], SqlOperators.Symbol(op));
                if (!type.IsArray)
                {
                    NoOperator(op, left, right);
                }

                var function = op switch
                {
                    BinaryOperator.Contains => ScalarFunction.ArrayContains,
                    BinaryOperator.ContainedBy => ScalarFunction.ArrayContainedBy,
                    _ => ScalarFunction.ArrayOverlaps,
                };
                return new BoundFunction(function, [Coerce(left, type), Coerce(right, type)], SqlType.Boolean);
            default:
                return null;
        }
    }

    private BoundExpression CoerceElement(BoundExpression value, SqlType array, string name)
    {
        if (value.Type.Kind != SqlTypeKind.Unknown && !SqlTypeCoercion.CanImplicitlyCast(value.Type, array.ElementType!))
        {
            throw new SqlException(SqlState.UndefinedFunction, $"function {name}({array.DisplayName}, {value.Type.DisplayName}) does not exist", FunctionHint);
        }

        return Coerce(value, array.ElementType!);
    }

    /// <summary>The array functions; null when <paramref name="name"/> is not one.</summary>
    private BoundFunction? BindArrayFunction(string name, BoundExpression[] args)
    {
        switch (name)
        {
            case "array_length" or "array_upper" or "array_lower":
                {
                    var array = RequireArray(name, args, 2);
                    var function = name switch { "array_length" => ScalarFunction.ArrayLength, "array_upper" => ScalarFunction.ArrayUpper, _ => ScalarFunction.ArrayLower };
                    return new BoundFunction(function, [array, Coerce(args[1], SqlType.Int4)], SqlType.Int4);
                }

            case "cardinality":
                return new BoundFunction(ScalarFunction.Cardinality, [RequireArray(name, args, 1)], SqlType.Int4);
            case "array_ndims":
                return new BoundFunction(ScalarFunction.ArrayNdims, [RequireArray(name, args, 1)], SqlType.Int4);
            case "array_dims":
                return new BoundFunction(ScalarFunction.ArrayDims, [RequireArray(name, args, 1)], SqlType.Text);
            case "array_to_string":
                {
                    if (args.Length is < 2 or > 3)
                    {
                        throw FunctionNotFound(name, args);
                    }

                    var array = RequireArray(name, args, args.Length);
                    return new BoundFunction(ScalarFunction.ArrayToString, [array, .. args.Skip(1).Select(a => CoerceTextArgument(name, a, args))], SqlType.Text);
                }

            case "string_to_array":
                if (args.Length is < 2 or > 3)
                {
                    throw FunctionNotFound(name, args);
                }

                return new BoundFunction(ScalarFunction.StringToArray, args.Select(a => CoerceTextArgument(name, a, args)).ToArray(), SqlType.ArrayOf(SqlType.Text));
            case "array_append":
                {
                    var array = RequireArray(name, args, 2);
                    return new BoundFunction(ScalarFunction.ArrayAppend, [array, CoerceElement(args[1], array.Type, name)], array.Type);
                }

            case "array_prepend":
                {
                    if (args.Length != 2 || !args[1].Type.IsArray)
                    {
                        throw FunctionNotFound(name, args);
                    }

                    return new BoundFunction(ScalarFunction.ArrayPrepend, [CoerceElement(args[0], args[1].Type, name), args[1]], args[1].Type);
                }

            case "array_cat":
                {
                    if (args.Length != 2)
                    {
                        throw FunctionNotFound(name, args);
                    }

                    var type = ResolveCommon(args, name);
                    if (!type.IsArray)
                    {
                        throw FunctionNotFound(name, args);
                    }

                    return new BoundFunction(ScalarFunction.ArrayCat, [Coerce(args[0], type), Coerce(args[1], type)], type);
                }

            case "array_position" or "array_remove":
                {
                    var array = RequireArray(name, args, 2);
                    var function = name == "array_position" ? ScalarFunction.ArrayPosition : ScalarFunction.ArrayRemove;
                    return new BoundFunction(function, [array, CoerceElement(args[1], array.Type, name)], name == "array_position" ? SqlType.Int4 : array.Type);
                }

            case "array_replace":
                {
                    var array = RequireArray(name, args, 3);
                    return new BoundFunction(ScalarFunction.ArrayReplace, [array, CoerceElement(args[1], array.Type, name), CoerceElement(args[2], array.Type, name)], array.Type);
                }

            default:
                return null;
        }
    }

    private static BoundExpression RequireArray(string name, BoundExpression[] args, int count)
    {
        if (args.Length != count || !args[0].Type.IsArray)
        {
            throw FunctionNotFound(name, args);
        }

        return args[0];
    }

    private BoundExpression CoerceTextArgument(string name, BoundExpression argument, BoundExpression[] args) =>
        argument.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown ? Coerce(argument, SqlType.Text) : throw FunctionNotFound(name, args);
}
