using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>
/// Date/time functions (age, make_*, justify_*, isfinite, clock_timestamp, timeofday), time zone conversion
/// (timezone() and AT TIME ZONE) and the session information functions pg_typeof, num_nulls, num_nonnulls,
/// pg_backend_pid and pg_postmaster_start_time.
/// </summary>
public sealed partial class SqlBinder
{
    private const string AmbiguousFunctionHint = "Could not choose a best candidate function. You might need to add explicit type casts.";

    private BoundFunction? BindDateTimeFunction(string name, BoundExpression[] args) => name switch
    {
        "age" => BindAge(name, args),
        "make_date" => Fixed(ScalarFunction.MakeDate, name, args, SqlType.Date, [SqlType.Int4, SqlType.Int4, SqlType.Int4]),
        "make_time" => Fixed(ScalarFunction.MakeTime, name, args, SqlType.Time, [SqlType.Int4, SqlType.Int4, SqlType.Float8]),
        "make_timestamp" => Fixed(ScalarFunction.MakeTimestamp, name, args, SqlType.Timestamp, [SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Float8]),
        "make_timestamptz" when args.Length == 7 => Fixed(ScalarFunction.MakeTimestampTz, name, args, SqlType.TimestampTz, [SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Float8, SqlType.Text]),
        "make_timestamptz" => Fixed(ScalarFunction.MakeTimestampTz, name, args, SqlType.TimestampTz, [SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Int4, SqlType.Float8]),
        "justify_days" => Fixed(ScalarFunction.JustifyDays, name, args, SqlType.Interval, [SqlType.Interval]),
        "justify_hours" => Fixed(ScalarFunction.JustifyHours, name, args, SqlType.Interval, [SqlType.Interval]),
        "justify_interval" => Fixed(ScalarFunction.JustifyInterval, name, args, SqlType.Interval, [SqlType.Interval]),
        "isfinite" => BindIsFinite(name, args),
        "clock_timestamp" => Fixed(ScalarFunction.ClockTimestamp, name, args, SqlType.TimestampTz, []),
        "timeofday" => Fixed(ScalarFunction.TimeOfDay, name, args, SqlType.Text, []),
        "timezone" when args.Length == 2 => BindTimeZone(args[0], args[1]),
        "pg_typeof" when args.Length == 1 => BindPgTypeOf(args[0]),
        "num_nulls" or "num_nonnulls" when args.Length > 0 =>
            new BoundFunction(name == "num_nulls" ? ScalarFunction.NumNulls : ScalarFunction.NumNonNulls, args.Select(ResolveUnknownAsText).ToArray(), SqlType.Int4),
        "pg_backend_pid" => Fixed(ScalarFunction.PgBackendPid, name, args, SqlType.Int4, []),
        "pg_postmaster_start_time" => Fixed(ScalarFunction.PgPostmasterStartTime, name, args, SqlType.TimestampTz, []),
        _ => null,
    };

    /// <summary><c>x AT TIME ZONE zone</c> is timezone(zone, x).</summary>
    private BoundFunction BindAtTimeZone(AtTimeZoneExpression expression)
    {
        if (expression.Zone is null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, $"expression not supported yet: {SqlFormatter.Format(expression)}");
        }

        return BindTimeZone(Bind(expression.Zone), Bind(expression.Operand));
    }

    /// <summary>
    /// timezone(text|interval, timestamp) gives timestamptz and timezone(text|interval, timestamptz) gives
    /// timestamp; an untyped or date value is taken as timestamptz, the preferred type.
    /// </summary>
    private BoundFunction BindTimeZone(BoundExpression zone, BoundExpression value)
    {
        var zoneIsInterval = zone.Type.Kind == SqlTypeKind.Interval;
        if (!zoneIsInterval && zone.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown))
        {
            throw FunctionNotFound("timezone", [zone, value]);
        }

        var source = value.Type.Kind switch
        {
            SqlTypeKind.Unknown or SqlTypeKind.Date => Coerce(value, SqlType.TimestampTz),
            SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => value,
            SqlTypeKind.Time => throw new SqlException(SqlState.FeatureNotSupported, "time with time zone is not supported"),
            _ => throw FunctionNotFound("timezone", [zone, value]),
        };
        var result = source.Type.Kind == SqlTypeKind.Timestamp ? SqlType.TimestampTz : SqlType.Timestamp;
        return new BoundFunction(
            zoneIsInterval ? ScalarFunction.TimeZoneInterval : ScalarFunction.TimeZoneName,
            [Coerce(zone, zoneIsInterval ? SqlType.Interval : SqlType.Text), source],
            result);
    }

    /// <summary>
    /// age(timestamp, timestamp) and age(timestamptz, timestamptz); with one argument, the age from midnight
    /// of today. Mixed or untyped arguments resolve to timestamptz, the preferred type.
    /// </summary>
    private BoundFunction BindAge(string name, BoundExpression[] args)
    {
        if (args.Length is not (1 or 2) || args.Any(a => a.Type.Kind is not (SqlTypeKind.Unknown or SqlTypeKind.Date or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz)))
        {
            throw FunctionNotFound(name, args);
        }

        if (args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Unknown)
        {
            // age(xid) is a candidate too.
            throw new SqlException(SqlState.AmbiguousFunction, $"function {name}(unknown) is not unique", AmbiguousFunctionHint);
        }

        var known = args.Where(a => a.Type.Kind != SqlTypeKind.Unknown).ToArray();
        var type = known.Length > 0 && known.All(a => a.Type.Kind == SqlTypeKind.Timestamp) ? SqlType.Timestamp : SqlType.TimestampTz;
        var bound = args.Select(a => Coerce(a, type)).ToList();
        if (bound.Count == 1)
        {
            bound.Insert(0, Coerce(new BoundFunction(ScalarFunction.CurrentDate, [], SqlType.Date), type));
        }

        return new BoundFunction(ScalarFunction.Age, [.. bound], SqlType.Interval);
    }

    private static BoundFunction BindIsFinite(string name, BoundExpression[] args)
    {
        if (args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Unknown)
        {
            throw new SqlException(SqlState.AmbiguousFunction, $"function {name}(unknown) is not unique", AmbiguousFunctionHint);
        }

        if (args.Length != 1 || args[0].Type.Kind is not (SqlTypeKind.Date or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Interval))
        {
            throw FunctionNotFound(name, args);
        }

        return new BoundFunction(ScalarFunction.IsFinite, args, SqlType.Boolean);
    }

    /// <summary>
    /// pg_typeof names the argument's type as regtype prints it: no type modifier, and bpchar as "character".
    /// The argument stays in the call so that it is still evaluated (and its errors raised) as in PostgreSQL.
    /// </summary>
    private BoundFunction BindPgTypeOf(BoundExpression argument)
    {
        var type = argument.Type;
        var typeName = TypeOfName(type);
        return new BoundFunction(ScalarFunction.PgTypeOf, [ResolveUnknownAsText(argument), new BoundConstant(typeName, SqlType.Text)], SqlType.Text);
    }

    private static string TypeOfName(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Array => TypeOfName(type.ElementType!) + "[]",
        SqlTypeKind.Bpchar => "character",
        _ => type.WithoutModifier.DisplayName,
    };

    /// <summary>
    /// Operators PostgreSQL reaches through the implicit cast of time to interval, having no exact one:
    /// timestamp ± time, time + timestamp, date - time, interval - time, and time scaled by a number.
    /// </summary>
    private (BoundExpression Left, BoundExpression Right) TimeAsInterval(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        var l = left.Type.Kind;
        var r = right.Type.Kind;
        if (l == SqlTypeKind.Time && r == SqlTypeKind.Time && op == BinaryOperator.Add)
        {
            throw new SqlException(
                SqlState.AmbiguousFunction,
                $"operator is not unique: {left.Type.DisplayName} + {right.Type.DisplayName}",
                "Could not choose a best candidate operator. You might need to add explicit type casts.");
        }

        var castRight = r == SqlTypeKind.Time && op switch
        {
            BinaryOperator.Add => l is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz,
            BinaryOperator.Subtract => l is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Date or SqlTypeKind.Interval,
            BinaryOperator.Multiply => left.Type.Category == SqlTypeCategory.Numeric,
            _ => false,
        };
        var castLeft = l == SqlTypeKind.Time && op switch
        {
            BinaryOperator.Add => r is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz,
            BinaryOperator.Multiply or BinaryOperator.Divide => right.Type.Category == SqlTypeCategory.Numeric,
            _ => false,
        };
        return (castLeft ? Coerce(left, SqlType.Interval) : left, castRight ? Coerce(right, SqlType.Interval) : right);
    }

    private BoundExpression ResolveUnknownAsText(BoundExpression argument) =>
        argument.Type.Kind == SqlTypeKind.Unknown ? Coerce(argument, SqlType.Text) : argument;
}
