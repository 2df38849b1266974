using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Function resolution for the built-in scalar functions.</summary>
public sealed partial class SqlBinder
{
    private static readonly string[] MakeIntervalNames = ["years", "months", "weeks", "days", "hours", "mins", "secs"];

    private BoundFunction BindFunction(FunctionCall call)
    {
        if (call.Over is not null || call.Distinct || call.IsStar || call.Filter is not null || call.OrderBy is not null || call.WithinGroup is not null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, $"aggregate and window calls are not supported here: {call.Name}");
        }

        var name = call.Name.Name;
        if (call.Name.Schema is not null and not "pg_catalog")
        {
            throw FunctionNotFound(name, call.Arguments.Select(a => Bind(a.Value)).ToArray());
        }

        if (name == "make_interval")
        {
            return BindMakeInterval(call);
        }

        if (call.Arguments.Any(a => a.Name is not null))
        {
            throw new SqlException(SqlState.FeatureNotSupported, $"named arguments are not supported for {name}");
        }

        var args = call.Arguments.Select(a => Bind(a.Value)).ToArray();
        return name switch
        {
            "abs" => Numeric(ScalarFunction.Abs, name, args, keepIntegers: true),
            "round" when args.Length == 2 => Fixed(ScalarFunction.RoundTo, name, args, SqlType.Numeric, [SqlType.Numeric, SqlType.Int4]),
            "round" => Numeric(ScalarFunction.Round, name, args, keepIntegers: false),
            "ceil" or "ceiling" => Numeric(ScalarFunction.Ceil, name, args, keepIntegers: false),
            "floor" => Numeric(ScalarFunction.Floor, name, args, keepIntegers: false),
            "sqrt" => Numeric(ScalarFunction.Sqrt, name, args, keepIntegers: false),
            "power" or "pow" => Numeric(ScalarFunction.Power, name, args, keepIntegers: false),
            "mod" => BindMod(name, args),
            "length" or "char_length" or "character_length" when args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Bytea =>
                new BoundFunction(ScalarFunction.Length, args, SqlType.Int4),
            "length" or "char_length" or "character_length" => Fixed(ScalarFunction.Length, name, args, SqlType.Int4, [SqlType.Text]),
            "lower" => Fixed(ScalarFunction.Lower, name, args, SqlType.Text, [SqlType.Text]),
            "upper" => Fixed(ScalarFunction.Upper, name, args, SqlType.Text, [SqlType.Text]),
            "quote_ident" => Fixed(ScalarFunction.QuoteIdent, name, args, SqlType.Text, [SqlType.Text]),
            "quote_literal" => Fixed(ScalarFunction.QuoteLiteral, name, args, SqlType.Text, [SqlType.Text]),
            "substring" when BindRegexSubstring(args) is { } regexSubstring => regexSubstring,
            "substr" or "substring" when args.Length == 2 => Fixed(ScalarFunction.Substr, name, args, SqlType.Text, [SqlType.Text, SqlType.Int4]),
            "substr" or "substring" => Fixed(ScalarFunction.Substr, name, args, SqlType.Text, [SqlType.Text, SqlType.Int4, SqlType.Int4]),
            "replace" => Fixed(ScalarFunction.Replace, name, args, SqlType.Text, [SqlType.Text, SqlType.Text, SqlType.Text]),
            "concat" => new BoundFunction(ScalarFunction.Concat, args.Select(AnyArgument).ToArray(), SqlType.Text),
            "left" => Fixed(ScalarFunction.Left, name, args, SqlType.Text, [SqlType.Text, SqlType.Int4]),
            "right" => Fixed(ScalarFunction.Right, name, args, SqlType.Text, [SqlType.Text, SqlType.Int4]),
            "btrim" or "trim" or "ltrim" or "rtrim" => BindTrim(name, args),
            "position" or "strpos" => Fixed(ScalarFunction.Strpos, name, args, SqlType.Int4, [SqlType.Text, SqlType.Text]),
            "now" or "transaction_timestamp" or "statement_timestamp" or "current_timestamp" => Fixed(ScalarFunction.Now, name, args, SqlType.TimestampTz, []),
            "date_trunc" => BindDateTrunc(name, args),
            "date_bin" => BindDateBin(name, args),
            "date_part" when args.Length == 2 => BindExtract(Coerce(args[0], SqlType.Text), args[1], ScalarFunction.DatePart),
            "to_timestamp" when args.Length == 1 => Fixed(ScalarFunction.ToTimestamp, name, args, SqlType.TimestampTz, [SqlType.Float8]),
            "coalesce" or "greatest" or "least" => BindVariadicCommon(name, args),
            "nullif" when args.Length == 2 => BindNullIf(args),
            _ => BindArrayFunction(name, args) ?? BindJsonFunction(name, args) ?? BindCatalogFunction(name, args) ?? BindStringFunction(name, args) ?? BindMathFunction(name, args) ?? BindDateTimeFunction(name, args) ?? BindRegexFunction(name, args) ?? BindFormattingFunction(name, args) ?? throw FunctionNotFound(name, args),
        };
    }

    private static SqlException FunctionNotFound(string name, IEnumerable<BoundExpression> args) =>
        new(SqlState.UndefinedFunction, $"function {name}({FormatArguments(args)}) does not exist", FunctionHint);

    /// <summary>A function with one fixed signature: arguments must convert implicitly.</summary>
    private BoundFunction Fixed(ScalarFunction function, string name, BoundExpression[] args, SqlType result, SqlType[] parameters)
    {
        if (args.Length != parameters.Length || args.Where((a, i) => !SqlTypeCoercion.CanImplicitlyCast(a.Type, parameters[i])).Any())
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(function, args.Select((a, i) => Coerce(a, parameters[i])).ToArray(), result);
    }

    /// <summary>
    /// Functions defined for float8 and numeric (and, for abs, each integer type): numeric stays numeric,
    /// everything else goes to float8, the numeric category's preferred type.
    /// </summary>
    private BoundFunction Numeric(ScalarFunction function, string name, BoundExpression[] args, bool keepIntegers)
    {
        var arity = function == ScalarFunction.Power ? 2 : 1;
        if (args.Length != arity || args.Any(a => a.Type.Category is not (SqlTypeCategory.Numeric or SqlTypeCategory.Unknown)))
        {
            throw FunctionNotFound(name, args);
        }

        var known = args.Where(a => a.Type.Kind != SqlTypeKind.Unknown).Select(a => a.Type).ToArray();
        SqlType type;
        if (known.Length > 0 && known.All(t => t.Kind == SqlTypeKind.Numeric || (t.IsInteger && function == ScalarFunction.Power && known.Any(k => k.Kind == SqlTypeKind.Numeric))))
        {
            type = SqlType.Numeric;
        }
        else if (keepIntegers && known.Length == 1)
        {
            type = known[0];
        }
        else
        {
            type = SqlType.Float8;
        }

        return new BoundFunction(function, args.Select(a => Coerce(a, type)).ToArray(), type);
    }

    private BoundFunction BindMod(string name, BoundExpression[] args)
    {
        if (args.Length != 2 || args.Any(a => a.Type.Kind is SqlTypeKind.Float4 or SqlTypeKind.Float8 || a.Type.Category is not (SqlTypeCategory.Numeric or SqlTypeCategory.Unknown)))
        {
            throw FunctionNotFound(name, args);
        }

        var (l, r) = ResolveUnknowns(BinaryOperator.Modulo, args[0], args[1]);
        var type = SqlTypeCoercion.PromoteNumeric(l.Type, r.Type);
        return new BoundFunction(ScalarFunction.Mod, [Coerce(l, type), Coerce(r, type)], type);
    }

    private BoundFunction BindTrim(string name, BoundExpression[] args)
    {
        var function = name switch
        {
            "ltrim" => ScalarFunction.Ltrim,
            "rtrim" => ScalarFunction.Rtrim,
            _ => ScalarFunction.Btrim,
        };
        return args.Length == 1
            ? Fixed(function, name, args, SqlType.Text, [SqlType.Text])
            : Fixed(function, name, args, SqlType.Text, [SqlType.Text, SqlType.Text]);
    }

    private BoundFunction BindDateTrunc(string name, BoundExpression[] args)
    {
        if (args.Length != 2)
        {
            throw FunctionNotFound(name, args);
        }

        var source = args[1].Type.Kind switch
        {
            SqlTypeKind.Unknown => Coerce(args[1], SqlType.TimestampTz),
            SqlTypeKind.Date => Coerce(args[1], SqlType.TimestampTz),
            SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Interval => args[1],
            _ => throw FunctionNotFound(name, args),
        };
        if (!SqlTypeCoercion.CanImplicitlyCast(args[0].Type, SqlType.Text))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(ScalarFunction.DateTrunc, [Coerce(args[0], SqlType.Text), source], source.Type);
    }

    /// <summary>EXTRACT returns numeric (PostgreSQL 14+); date_part keeps returning float8.</summary>
    private BoundFunction BindExtract(string field, BoundExpression source, ScalarFunction function) =>
        BindExtract(new BoundConstant(field, SqlType.Text), source, function);

    private BoundFunction BindExtract(BoundExpression field, BoundExpression source, ScalarFunction function)
    {
        if (source.Type.Kind == SqlTypeKind.Unknown)
        {
            source = Coerce(source, SqlType.TimestampTz);
        }

        if (source.Type.Kind is not (SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Interval))
        {
            throw FunctionNotFound(function == ScalarFunction.Extract ? "extract" : "date_part", [field, source]);
        }

        return new BoundFunction(function, [field, source], function == ScalarFunction.Extract ? SqlType.Numeric : SqlType.Float8);
    }

    private static BoundFunction BindValueFunction(SqlValueFunction function) => function.Kind switch
    {
        SqlValueFunctionKind.CurrentTimestamp => new BoundFunction(ScalarFunction.Now, [], SqlType.TimestampTz),
        SqlValueFunctionKind.LocalTimestamp => new BoundFunction(ScalarFunction.LocalTimestamp, [], SqlType.Timestamp),
        SqlValueFunctionKind.CurrentDate => new BoundFunction(ScalarFunction.CurrentDate, [], SqlType.Date),
        _ => BindSessionValueFunction(function.Kind) ?? throw new SqlException(SqlState.FeatureNotSupported, $"{function.Kind} is not supported yet"),
    };

    private BoundFunction BindVariadicCommon(string name, BoundExpression[] args)
    {
        if (args.Length == 0)
        {
            throw new SqlException(SqlState.SyntaxError, $"syntax error at or near \")\"");
        }

        var type = ResolveCommon(args, name.ToUpperInvariant());
        var function = name switch
        {
            "coalesce" => ScalarFunction.Coalesce,
            "greatest" => ScalarFunction.Greatest,
            _ => ScalarFunction.Least,
        };
        return new BoundFunction(function, args.Select(a => Coerce(a, type)).ToArray(), type);
    }

    private BoundFunction BindNullIf(BoundExpression[] args)
    {
        var (l, r) = BindComparisonOperands(BinaryOperator.Equal, args[0], args[1]);
        return new BoundFunction(ScalarFunction.NullIf, [l, r], l.Type);
    }

    private BoundFunction BindMakeInterval(FunctionCall call)
    {
        // make_interval(years, months, weeks, days, hours, mins int, secs float8), all defaulting to 0.
        var args = new BoundExpression[MakeIntervalNames.Length];
        var position = 0;
        foreach (var argument in call.Arguments)
        {
            var index = argument.Name is null ? position++ : Array.IndexOf(MakeIntervalNames, argument.Name);
            if (index < 0 || index >= args.Length || args[index] is not null)
            {
                throw FunctionNotFound("make_interval", call.Arguments.Select(a => Bind(a.Value)));
            }

            var target = index == 6 ? SqlType.Float8 : SqlType.Int4;
            var value = Bind(argument.Value);
            if (!SqlTypeCoercion.CanImplicitlyCast(value.Type, target))
            {
                throw FunctionNotFound("make_interval", [value]);
            }

            args[index] = Coerce(value, target);
        }

        for (var i = 0; i < args.Length; i++)
        {
            args[i] ??= i == 6 ? new BoundConstant(0.0, SqlType.Float8) : new BoundConstant(0, SqlType.Int4);
        }

        return new BoundFunction(ScalarFunction.MakeInterval, args, SqlType.Interval);
    }
}
