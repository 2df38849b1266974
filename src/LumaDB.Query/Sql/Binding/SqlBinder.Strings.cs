using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>The string and bytea functions: padding, splitting, hashing, encode/decode, format() and overlay.</summary>
public sealed partial class SqlBinder
{
    private const string AmbiguousHint = "Could not choose a best candidate function. You might need to add explicit type casts.";

    private BoundFunction? BindStringFunction(string name, BoundExpression[] args) => name switch
    {
        "octet_length" => BindByteLength(ScalarFunction.OctetLength, name, args),
        "bit_length" => BindByteLength(ScalarFunction.BitLength, name, args),
        "initcap" => Fixed(ScalarFunction.Initcap, name, args, SqlType.Text, [SqlType.Text]),
        "lpad" or "rpad" => Fixed(
            name == "lpad" ? ScalarFunction.Lpad : ScalarFunction.Rpad,
            name,
            args,
            SqlType.Text,
            args.Length == 2 ? [SqlType.Text, SqlType.Int4] : [SqlType.Text, SqlType.Int4, SqlType.Text]),
        "repeat" => Fixed(ScalarFunction.Repeat, name, args, SqlType.Text, [SqlType.Text, SqlType.Int4]),
        "reverse" => Fixed(ScalarFunction.Reverse, name, args, SqlType.Text, [SqlType.Text]),
        "split_part" => Fixed(ScalarFunction.SplitPart, name, args, SqlType.Text, [SqlType.Text, SqlType.Text, SqlType.Int4]),
        "translate" => Fixed(ScalarFunction.Translate, name, args, SqlType.Text, [SqlType.Text, SqlType.Text, SqlType.Text]),
        "ascii" => Fixed(ScalarFunction.Ascii, name, args, SqlType.Int4, [SqlType.Text]),
        "chr" => Fixed(ScalarFunction.Chr, name, args, SqlType.Text, [SqlType.Int4]),
        "starts_with" => Fixed(ScalarFunction.StartsWith, name, args, SqlType.Boolean, [SqlType.Text, SqlType.Text]),
        "concat_ws" => BindConcatWs(name, args),
        "md5" => BindMd5(name, args),
        "sha224" => Fixed(ScalarFunction.Sha224, name, args, SqlType.Bytea, [SqlType.Bytea]),
        "sha256" => Fixed(ScalarFunction.Sha256, name, args, SqlType.Bytea, [SqlType.Bytea]),
        "sha384" => Fixed(ScalarFunction.Sha384, name, args, SqlType.Bytea, [SqlType.Bytea]),
        "sha512" => Fixed(ScalarFunction.Sha512, name, args, SqlType.Bytea, [SqlType.Bytea]),
        "to_hex" => BindToHex(name, args),
        "quote_nullable" => BindQuoteAny(ScalarFunction.QuoteNullable, name, args),
        "encode" => Fixed(ScalarFunction.Encode, name, args, SqlType.Text, [SqlType.Bytea, SqlType.Text]),
        "decode" => Fixed(ScalarFunction.Decode, name, args, SqlType.Bytea, [SqlType.Text, SqlType.Text]),
        "format" => BindFormat(name, args),
        "overlay" => BindOverlay(name, args),
        _ => null,
    };

    /// <summary>octet_length and bit_length: bytes of the UTF-8 text, or of the bytea; char(n) keeps its padding.</summary>
    private BoundFunction BindByteLength(ScalarFunction function, string name, BoundExpression[] args)
    {
        if (args.Length == 1 && args[0].Type.Kind is SqlTypeKind.Bytea or SqlTypeKind.Bpchar)
        {
            return new BoundFunction(function, args, SqlType.Int4);
        }

        return Fixed(function, name, args, SqlType.Int4, [SqlType.Text]);
    }

    /// <summary>md5(text) and md5(bytea), both answering hex text; an untyped literal is text, the preferred type.</summary>
    private BoundFunction BindMd5(string name, BoundExpression[] args) =>
        args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Bytea
            ? new BoundFunction(ScalarFunction.Md5, args, SqlType.Text)
            : Fixed(ScalarFunction.Md5, name, args, SqlType.Text, [SqlType.Text]);

    /// <summary>to_hex has int4 and int8 forms, and smallint or an untyped literal fits both, as PostgreSQL reports.</summary>
    private static BoundFunction BindToHex(string name, BoundExpression[] args)
    {
        if (args.Length == 1 && args[0].Type.Kind is SqlTypeKind.Int4 or SqlTypeKind.Int8)
        {
            return new BoundFunction(ScalarFunction.ToHex, args, SqlType.Text);
        }

        if (args.Length == 1 && args[0].Type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Unknown)
        {
            throw new SqlException(SqlState.AmbiguousFunction, $"function {name}({FormatArguments(args)}) is not unique", AmbiguousHint);
        }

        throw FunctionNotFound(name, args);
    }

    /// <summary>quote_nullable(anyelement) quotes the value cast to text, so true is <c>'true'</c>.</summary>
    private BoundFunction BindQuoteAny(ScalarFunction function, string name, BoundExpression[] args)
    {
        if (args.Length != 1)
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(function, [ToText(args[0])], SqlType.Text);
    }

    /// <summary>concat_ws(text, VARIADIC "any"): the other arguments keep their types and print through their output functions.</summary>
    private BoundFunction BindConcatWs(string name, BoundExpression[] args)
    {
        if (args.Length < 2 || !SqlTypeCoercion.CanImplicitlyCast(args[0].Type, SqlType.Text))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(ScalarFunction.ConcatWs, [Coerce(args[0], SqlType.Text), .. args.Skip(1).Select(AnyArgument)], SqlType.Text);
    }

    /// <summary>format(text [, VARIADIC "any"]).</summary>
    private BoundFunction BindFormat(string name, BoundExpression[] args)
    {
        if (args.Length < 1 || !SqlTypeCoercion.CanImplicitlyCast(args[0].Type, SqlType.Text))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(ScalarFunction.Format, [Coerce(args[0], SqlType.Text), .. args.Skip(1).Select(AnyArgument)], SqlType.Text);
    }

    /// <summary>An argument of a <c>"any"</c> parameter: an untyped literal or parameter becomes text, anything else stays as it is.</summary>
    private BoundExpression AnyArgument(BoundExpression argument) =>
        argument.Type.Kind == SqlTypeKind.Unknown ? Coerce(argument, SqlType.Text) : argument;

    /// <summary>overlay(string PLACING s FROM n [FOR m]) for text, and for bytea when either string is bytea.</summary>
    private BoundFunction BindOverlay(string name, BoundExpression[] args)
    {
        if (args.Length is 3 or 4 && args.Take(2).Any(a => a.Type.Kind == SqlTypeKind.Bytea))
        {
            return Fixed(ScalarFunction.Overlay, name, args, SqlType.Bytea, args.Length == 3
                ? [SqlType.Bytea, SqlType.Bytea, SqlType.Int4]
                : [SqlType.Bytea, SqlType.Bytea, SqlType.Int4, SqlType.Int4]);
        }

        return Fixed(ScalarFunction.Overlay, name, args, SqlType.Text, args.Length == 3
            ? [SqlType.Text, SqlType.Text, SqlType.Int4]
            : [SqlType.Text, SqlType.Text, SqlType.Int4, SqlType.Int4]);
    }

    /// <summary><c>text ^@ text</c>, starts_with as an operator.</summary>
    private BoundFunction BindStartsWithOperator(BoundExpression left, BoundExpression right)
    {
        if (!IsTextLike(left.Type) || !IsTextLike(right.Type))
        {
            throw OperatorError("^@", left, right);
        }

        return new BoundFunction(ScalarFunction.StartsWith, [Coerce(left, SqlType.Text), Coerce(right, SqlType.Text)], SqlType.Boolean);
    }

    private static bool IsTextLike(SqlType type) => type.Kind == SqlTypeKind.Unknown || SqlTypeCoercion.CanImplicitlyCast(type, SqlType.Text);
}
