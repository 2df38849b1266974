using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>json/jsonb operators and functions, resolved as PostgreSQL 15 resolves them.</summary>
public sealed partial class SqlBinder
{
    private static readonly SqlType TextArray = SqlType.ArrayOf(SqlType.Text);

    private static bool IsJson(SqlType type) => type.Kind is SqlTypeKind.Json or SqlTypeKind.Jsonb;

    /// <summary>
    /// Binds an operator when a json, jsonb or vector operand (or a JSON-only operator) decides it; returns null
    /// to leave @&gt;, &lt;@, || and - on other types to the rules that follow.
    /// </summary>
    private BoundExpression? BindJsonOrVectorBinary(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if (left.Type.Kind == SqlTypeKind.Vector || right.Type.Kind == SqlTypeKind.Vector
            || op is BinaryOperator.L2Distance or BinaryOperator.CosineDistance or BinaryOperator.NegativeInnerProduct)
        {
            return BindVectorBinary(op, left, right);
        }

        var anyJson = IsJson(left.Type) || IsJson(right.Type);
        switch (op)
        {
            case BinaryOperator.JsonGet or BinaryOperator.JsonGetText:
                {
                    RequireJsonLeft(op, left, right);
                    BoundExpression key = right.Type.Kind switch
                    {
                        SqlTypeKind.Unknown => Coerce(right, SqlType.Text),
                        SqlTypeKind.Int2 or SqlTypeKind.Int4 => Coerce(right, SqlType.Int4),
                        _ when right.Type.Category == SqlTypeCategory.String => Coerce(right, SqlType.Text),
                        _ => Fail(op, left, right),
                    };
                    var function = op == BinaryOperator.JsonGet ? ScalarFunction.JsonGet : ScalarFunction.JsonGetText;
                    return new BoundFunction(function, [left, key], op == BinaryOperator.JsonGet ? left.Type : SqlType.Text);
                }

            case BinaryOperator.JsonGetPath or BinaryOperator.JsonGetPathText:
                {
                    RequireJsonLeft(op, left, right);
                    var path = TextArrayOperand(op, left, right);
                    var function = op == BinaryOperator.JsonGetPath ? ScalarFunction.JsonGetPath : ScalarFunction.JsonGetPathText;
                    return new BoundFunction(function, [left, path], op == BinaryOperator.JsonGetPath ? left.Type : SqlType.Text);
                }

            case BinaryOperator.Contains or BinaryOperator.ContainedBy when anyJson:
                {
                    if (!IsJsonbOrUnknown(left.Type) || !IsJsonbOrUnknown(right.Type))
                    {
                        NoOperator(op, left, right);
                    }

                    var l = Coerce(left, SqlType.Jsonb);
                    var r = Coerce(right, SqlType.Jsonb);
                    return new BoundFunction(ScalarFunction.JsonbContains, op == BinaryOperator.Contains ? [l, r] : [r, l], SqlType.Boolean);
                }

            case BinaryOperator.JsonHasKey or BinaryOperator.JsonHasAnyKey or BinaryOperator.JsonHasAllKeys:
                {
                    if (left.Type.Kind != SqlTypeKind.Jsonb)
                    {
                        Fail(op, left, right);
                    }

                    if (op == BinaryOperator.JsonHasKey)
                    {
                        if (right.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown))
                        {
                            NoOperator(op, left, right);
                        }

                        return new BoundFunction(ScalarFunction.JsonbHasKey, [left, Coerce(right, SqlType.Text)], SqlType.Boolean);
                    }

                    var keys = TextArrayOperand(op, left, right);
                    var function = op == BinaryOperator.JsonHasAnyKey ? ScalarFunction.JsonbHasAnyKey : ScalarFunction.JsonbHasAllKeys;
                    return new BoundFunction(function, [left, keys], SqlType.Boolean);
                }

            case BinaryOperator.Concat when left.Type.Kind == SqlTypeKind.Jsonb || right.Type.Kind == SqlTypeKind.Jsonb:
                if (!IsJsonbOrUnknown(left.Type) || !IsJsonbOrUnknown(right.Type))
                {
                    return null;
                }

                return new BoundFunction(ScalarFunction.JsonbConcat, [Coerce(left, SqlType.Jsonb), Coerce(right, SqlType.Jsonb)], SqlType.Jsonb);

            case BinaryOperator.Subtract when left.Type.Kind == SqlTypeKind.Jsonb:
                return right.Type.Kind switch
                {
                    SqlTypeKind.Unknown => new BoundFunction(ScalarFunction.JsonbDeleteKey, [left, Coerce(right, SqlType.Text)], SqlType.Jsonb),
                    SqlTypeKind.Int2 or SqlTypeKind.Int4 => new BoundFunction(ScalarFunction.JsonbDeleteIndex, [left, Coerce(right, SqlType.Int4)], SqlType.Jsonb),
                    _ when right.Type.Category == SqlTypeCategory.String => new BoundFunction(ScalarFunction.JsonbDeleteKey, [left, Coerce(right, SqlType.Text)], SqlType.Jsonb),
                    SqlTypeKind.Array when right.Type.ElementType!.Category == SqlTypeCategory.String =>
                        new BoundFunction(ScalarFunction.JsonbDeleteKeys, [left, Coerce(right, TextArray)], SqlType.Jsonb),
                    _ => Fail(op, left, right),
                };

            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide
                or BinaryOperator.Modulo or BinaryOperator.Power when anyJson:
                return Fail(op, left, right);

            default:
                return null;
        }
    }

    /// <summary><c>jsonb #- text[]</c>, which the grammar keeps as a custom operator.</summary>
    private BoundFunction BindCustomOperator(CustomOperatorExpression expression)
    {
        if (expression is { Operator: "^@", Left: { } prefixed })
        {
            return BindStartsWithOperator(Bind(prefixed), Bind(expression.Right));
        }

        if (expression.Left is null || expression.Operator != "#-")
        {
            var operands = expression.Left is null
                ? $"{expression.Operator} {Bind(expression.Right).Type.DisplayName}"
                : $"{Bind(expression.Left).Type.DisplayName} {expression.Operator} {Bind(expression.Right).Type.DisplayName}";
            throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: {operands}", OperatorHint)
            {
                Position = expression.OperatorSpan.Length > 0 ? expression.OperatorSpan.Position : null,
            };
        }

        var left = Bind(expression.Left);
        var right = Bind(expression.Right);
        if (left.Type.Kind == SqlTypeKind.Unknown)
        {
            left = Coerce(left, SqlType.Jsonb);
        }

        if (left.Type.Kind != SqlTypeKind.Jsonb)
        {
            throw OperatorError("#-", left, right);
        }

        var path = right.Type.Kind == SqlTypeKind.Unknown || right.Type == TextArray || (right.Type.IsArray && right.Type.ElementType!.Category == SqlTypeCategory.String)
            ? Coerce(right, TextArray)
            : throw OperatorError("#-", left, right);
        return new BoundFunction(ScalarFunction.JsonbDeletePath, [left, path], SqlType.Jsonb);
    }

    private static SqlException OperatorError(string symbol, BoundExpression left, BoundExpression right) =>
        new(SqlState.UndefinedFunction, $"operator does not exist: {left.Type.DisplayName} {symbol} {right.Type.DisplayName}", OperatorHint);

    private static bool IsJsonbOrUnknown(SqlType type) => type.Kind is SqlTypeKind.Jsonb or SqlTypeKind.Unknown;

    private static void RequireJsonLeft(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if (!IsJson(left.Type))
        {
            Fail(op, left, right);
        }
    }

    private BoundExpression TextArrayOperand(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if (right.Type.Kind == SqlTypeKind.Unknown || (right.Type.IsArray && right.Type.ElementType!.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown))
        {
            return Coerce(right, TextArray);
        }

        return Fail(op, left, right);
    }

    private static BoundExpression Fail(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        if (left.Type.Kind == SqlTypeKind.Unknown && right.Type.Kind == SqlTypeKind.Unknown)
        {
            throw new SqlException(
                SqlState.AmbiguousFunction,
                $"operator is not unique: unknown {SqlOperators.Symbol(op)} unknown",
                "Could not choose a best candidate operator. You might need to add explicit type casts.");
        }

        NoOperator(op, left, right);
        return left;
    }

    /// <summary>The json/jsonb functions; null when <paramref name="name"/> is not one.</summary>
    private BoundFunction? BindJsonFunction(string name, BoundExpression[] args)
    {
        var jsonb = name.StartsWith("jsonb_", StringComparison.Ordinal) || name == "to_jsonb";
        var type = jsonb ? SqlType.Jsonb : SqlType.Json;
        switch (name)
        {
            case "to_json" or "to_jsonb" when args.Length == 1:
                return new BoundFunction(ScalarFunction.ToJson, [AnyValue(args[0])], type);
            case "json_build_object" or "jsonb_build_object":
                if (args.Length % 2 != 0)
                {
                    throw new SqlException(
                        SqlState.InvalidParameterValue,
                        "argument list must have even number of elements",
                        $"The arguments of {name}() must consist of alternating keys and values.");
                }

                return new BoundFunction(ScalarFunction.JsonBuildObject, args.Select(AnyValue).ToArray(), type);
            case "json_build_array" or "jsonb_build_array":
                return new BoundFunction(ScalarFunction.JsonBuildArray, args.Select(AnyValue).ToArray(), type);
            case "json_typeof" or "jsonb_typeof":
                return JsonFixed(ScalarFunction.JsonTypeof, name, args, type, SqlType.Text);
            case "json_array_length" or "jsonb_array_length":
                return JsonFixed(ScalarFunction.JsonArrayLength, name, args, type, SqlType.Int4);
            case "json_strip_nulls" or "jsonb_strip_nulls":
                return JsonFixed(ScalarFunction.JsonStripNulls, name, args, type, type);
            case "jsonb_pretty":
                return JsonFixed(ScalarFunction.JsonbPretty, name, args, type, SqlType.Text);
            case "json_extract_path" or "jsonb_extract_path" or "json_extract_path_text" or "jsonb_extract_path_text":
                {
                    if (args.Length < 1 || !CanBe(args[0], type) || args.Skip(1).Any(a => !SqlTypeCoercion.CanImplicitlyCast(a.Type, SqlType.Text)))
                    {
                        throw FunctionNotFound(name, args);
                    }

                    var text = name.EndsWith("_text", StringComparison.Ordinal);
                    var parts = new BoundExpression[args.Length];
                    parts[0] = Coerce(args[0], type);
                    for (var i = 1; i < args.Length; i++)
                    {
                        parts[i] = Coerce(args[i], SqlType.Text);
                    }

                    return new BoundFunction(text ? ScalarFunction.JsonGetPathText : ScalarFunction.JsonGetPath, parts, text ? SqlType.Text : type);
                }

            case "jsonb_set" or "jsonb_insert":
                {
                    if (args.Length is < 3 or > 4 || !CanBe(args[0], SqlType.Jsonb) || !CanBe(args[1], TextArray) || !CanBe(args[2], SqlType.Jsonb)
                        || (args.Length == 4 && !CanBe(args[3], SqlType.Boolean)))
                    {
                        throw FunctionNotFound(name, args);
                    }

                    var flag = args.Length == 4 ? Coerce(args[3], SqlType.Boolean) : new BoundConstant(name == "jsonb_set", SqlType.Boolean);
                    return new BoundFunction(
                        name == "jsonb_set" ? ScalarFunction.JsonbSet : ScalarFunction.JsonbInsert,
                        [Coerce(args[0], SqlType.Jsonb), Coerce(args[1], TextArray), Coerce(args[2], SqlType.Jsonb), flag],
                        SqlType.Jsonb);
                }

            default:
                return BindVectorFunction(name, args);
        }
    }

    private static bool CanBe(BoundExpression argument, SqlType type) =>
        argument.Type.Kind == SqlTypeKind.Unknown || argument.Type.WithoutModifier == type.WithoutModifier
        || (type.IsArray && argument.Type.IsArray && argument.Type.ElementType!.Category == SqlTypeCategory.String)
        || SqlTypeCoercion.CanImplicitlyCast(argument.Type, type);

    private BoundFunction JsonFixed(ScalarFunction function, string name, BoundExpression[] args, SqlType parameter, SqlType result)
    {
        if (args.Length != 1 || !CanBe(args[0], parameter))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(function, [Coerce(args[0], parameter)], result);
    }

    /// <summary>An argument of a polymorphic "any" parameter: an untyped literal is text.</summary>
    private BoundExpression AnyValue(BoundExpression argument) =>
        argument.Type.Kind == SqlTypeKind.Unknown ? Coerce(argument, SqlType.Text) : argument;
}
