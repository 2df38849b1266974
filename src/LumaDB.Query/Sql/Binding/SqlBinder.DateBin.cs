using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>date_bin(stride, source, origin): the time-bucketing function of time-series queries.</summary>
public sealed partial class SqlBinder
{
    private BoundFunction BindDateBin(string name, BoundExpression[] args)
    {
        if (args.Length != 3 || !SqlTypeCoercion.CanImplicitlyCast(args[0].Type, SqlType.Interval) && args[0].Type.Kind != SqlTypeKind.Unknown)
        {
            throw FunctionNotFound(name, args);
        }

        var source = args[1].Type.Kind switch
        {
            SqlTypeKind.Unknown or SqlTypeKind.Date => Coerce(args[1], SqlType.TimestampTz),
            SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => args[1],
            _ => throw FunctionNotFound(name, args),
        };
        if (args[2].Type.Kind is not (SqlTypeKind.Unknown or SqlTypeKind.Date or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(ScalarFunction.DateBin, [Coerce(args[0], SqlType.Interval), source, Coerce(args[2], source.Type)], source.Type);
    }
}
