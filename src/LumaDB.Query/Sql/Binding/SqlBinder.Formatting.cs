using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>The data type formatting functions: to_char, to_date, to_timestamp(text, text) and to_number.</summary>
public sealed partial class SqlBinder
{
    private BoundFunction? BindFormattingFunction(string name, BoundExpression[] args)
    {
        switch (name)
        {
            case "to_char":
                if (args.Length != 2 || !SqlTypeCoercion.CanImplicitlyCast(args[1].Type, SqlType.Text))
                {
                    throw FunctionNotFound(name, args);
                }

                var value = args[0].Type.Kind switch
                {
                    SqlTypeKind.Int2 or SqlTypeKind.Int4 => Coerce(args[0], SqlType.Int4),
                    SqlTypeKind.Int8 or SqlTypeKind.Numeric or SqlTypeKind.Float4 or SqlTypeKind.Float8
                        or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Interval => args[0],

                    // date has no to_char of its own: it goes to timestamptz, the preferred date/time type.
                    SqlTypeKind.Date => Coerce(args[0], SqlType.TimestampTz),
                    SqlTypeKind.Unknown => throw new SqlException(SqlState.AmbiguousFunction, $"function to_char({FormatArguments(args)}) is not unique",
                        "Could not choose a best candidate function. You might need to add explicit type casts."),
                    _ => throw FunctionNotFound(name, args),
                };
                return new BoundFunction(ScalarFunction.ToChar, [value, Coerce(args[1], SqlType.Text)], SqlType.Text);
            case "to_date":
                return Fixed(ScalarFunction.ToDate, name, args, SqlType.Date, [SqlType.Text, SqlType.Text]);
            case "to_timestamp":
                return Fixed(ScalarFunction.ToTimestampFormat, name, args, SqlType.TimestampTz, [SqlType.Text, SqlType.Text]);
            case "to_number":
                return Fixed(ScalarFunction.ToNumber, name, args, SqlType.Numeric, [SqlType.Text, SqlType.Text]);
            default:
                return null;
        }
    }
}
