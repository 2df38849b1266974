using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>date_trunc, EXTRACT and date_part.</summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector DateTrunc(ColumnVector[] args)
    {
        var source = args[1];
        var result = ColumnVector.Allocate(source.Type, source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (args[0].IsNull(i) || source.IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            var unit = args[0].As<string>()[i].ToLowerInvariant();
            if (source.Type.Kind == SqlTypeKind.Interval)
            {
                result.As<SqlInterval>()[i] = TruncateInterval(source.As<SqlInterval>()[i], unit, source.Type);
            }
            else
            {
                result.As<long>()[i] = TruncateTimestamp(source.As<long>()[i], unit, source.Type);
            }
        }

        return result;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void UnknownUnit(string unit, SqlType type) =>
        SqlErrors.Throw(SqlState.InvalidParameterValue, $"unit \"{unit}\" not recognized for type {type.DisplayName}");

    private static long TruncateTimestamp(long micros, string unit, SqlType type)
    {
        if (micros is SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity)
        {
            return micros;
        }

        var days = SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay);
        var time = micros - (days * SqlInterval.MicrosPerDay);
        var (y, m, d) = SqlCalendar.CivilFromDays(days);
        long At(long year, int month, int day) => SqlCalendar.DaysFromCivil(year, month, day) * SqlInterval.MicrosPerDay;
        return unit switch
        {
            "microseconds" => micros,
            "milliseconds" => micros - (micros - (SqlCalendar.FloorDiv(micros, 1000) * 1000)),
            "second" => SqlCalendar.FloorDiv(micros, 1_000_000) * 1_000_000,
            "minute" => SqlCalendar.FloorDiv(micros, 60_000_000) * 60_000_000,
            "hour" => SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerHour) * SqlInterval.MicrosPerHour,
            "day" => days * SqlInterval.MicrosPerDay,
            "week" => (days - IsoDayOfWeek(days) + 1) * SqlInterval.MicrosPerDay,
            "month" => At(y, m, 1),
            "quarter" => At(y, (((m - 1) / 3) * 3) + 1, 1),
            "year" => At(y, 1, 1),
            "decade" => At(SqlCalendar.FloorDiv(y, 10) * 10, 1, 1),
            "century" => At(y > 0 ? (((y - 1) / 100) * 100) + 1 : -(((-y) / 100) * 100) - 99, 1, 1),
            "millennium" => At(y > 0 ? (((y - 1) / 1000) * 1000) + 1 : -(((-y) / 1000) * 1000) - 999, 1, 1),
            _ => UnknownUnitValue(unit, type, time),
        };
    }

    private static long UnknownUnitValue(string unit, SqlType type, long ignored)
    {
        _ = ignored;
        UnknownUnit(unit, type);
        return 0;
    }

    private static SqlInterval TruncateInterval(SqlInterval iv, string unit, SqlType type)
    {
        var years = iv.Months / 12;
        return unit switch
        {
            "microseconds" => iv,
            "milliseconds" => iv with { Microseconds = iv.Microseconds / 1000 * 1000 },
            "second" => iv with { Microseconds = iv.Microseconds / 1_000_000 * 1_000_000 },
            "minute" => iv with { Microseconds = iv.Microseconds / 60_000_000 * 60_000_000 },
            "hour" => iv with { Microseconds = iv.Microseconds / SqlInterval.MicrosPerHour * SqlInterval.MicrosPerHour },
            "day" => iv with { Microseconds = 0 },
            "month" => new SqlInterval(iv.Months, 0, 0),
            "quarter" => new SqlInterval((years * 12) + ((iv.Months % 12) / 3 * 3), 0, 0),
            "year" => new SqlInterval(years * 12, 0, 0),
            "decade" => new SqlInterval(years / 10 * 120, 0, 0),
            "century" => new SqlInterval(years / 100 * 1200, 0, 0),
            "millennium" => new SqlInterval(years / 1000 * 12000, 0, 0),
            _ => UnknownIntervalUnit(unit, type),
        };
    }

    private static SqlInterval UnknownIntervalUnit(string unit, SqlType type)
    {
        UnknownUnit(unit, type);
        return default;
    }

    /// <summary>ISO day of week: Monday 1 ... Sunday 7 (1970-01-01 was a Thursday).</summary>
    private static int IsoDayOfWeek(long days) => (int)(((days % 7) + 7 + 3) % 7) + 1;

    private static ColumnVector Extract(ColumnVector[] args, SqlType type)
    {
        var source = args[1];
        var result = ColumnVector.Allocate(type, source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (args[0].IsNull(i) || source.IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            var unit = args[0].As<string>()[i].ToLowerInvariant();
            var value = source.Type.Kind switch
            {
                SqlTypeKind.Interval => ExtractInterval(source.As<SqlInterval>()[i], unit, source.Type),
                SqlTypeKind.Date => ExtractTimestamp(SqlCasts.DateToTimestamp(source.As<int>()[i]), unit, source.Type),
                SqlTypeKind.Time => ExtractTime(source.As<long>()[i], unit, source.Type),
                _ => ExtractTimestamp(source.As<long>()[i], unit, source.Type),
            };
            if (type.Kind == SqlTypeKind.Numeric)
            {
                result.As<decimal>()[i] = value;
            }
            else
            {
                result.As<double>()[i] = (double)value;
            }
        }

        return result;
    }

    private static decimal SecondsWithFraction(long micros, int scale) =>
        Math.Round(micros / 1_000_000m, scale) + new decimal(0, 0, 0, false, (byte)scale);

    private static decimal ExtractTime(long micros, string unit, SqlType type) => unit switch
    {
        "hour" => micros / SqlInterval.MicrosPerHour,
        "minute" => micros / 60_000_000 % 60,
        "epoch" => SecondsWithFraction(micros, 6),
        _ => ExtractSecondParts(micros % 60_000_000, unit, type),
    };

    private static decimal ExtractSecondParts(long microsInMinute, string unit, SqlType type)
    {
        switch (unit)
        {
            case "second":
                return SecondsWithFraction(microsInMinute, 6);
            case "milliseconds":
                return Math.Round(microsInMinute / 1000m, 3) + 0.000m;
            case "microseconds":
                return microsInMinute;
            default:
                UnknownUnit(unit, type);
                return 0;
        }
    }

    private static decimal ExtractTimestamp(long micros, string unit, SqlType type)
    {
        var days = SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay);
        var time = micros - (days * SqlInterval.MicrosPerDay);
        var (y, m, d) = SqlCalendar.CivilFromDays(days);
        var displayYear = y <= 0 ? y - 1 : y;
        switch (unit)
        {
            case "year": return displayYear;
            case "month": return m;
            case "day": return d;
            case "quarter": return ((m - 1) / 3) + 1;
            case "dow": return IsoDayOfWeek(days) % 7;
            case "isodow": return IsoDayOfWeek(days);
            case "doy": return days - SqlCalendar.DaysFromCivil(y, 1, 1) + 1;
            case "decade": return SqlCalendar.FloorDiv(y, 10);
            case "century": return y > 0 ? ((y - 1) / 100) + 1 : -(((-y) / 100) + 1);
            case "millennium": return y > 0 ? ((y - 1) / 1000) + 1 : -(((-y) / 1000) + 1);
            case "epoch":
                if (type.Kind == SqlTypeKind.Date)
                {
                    return days * 86400m;
                }

                return SecondsWithFraction(micros, 6);
            case "week":
                // ISO week: the week with the year's first Thursday is week 1.
                var thursday = days - IsoDayOfWeek(days) + 4;
                var (ty, _, _) = SqlCalendar.CivilFromDays(thursday);
                return ((thursday - SqlCalendar.DaysFromCivil(ty, 1, 1)) / 7) + 1;
            default:
                if (type.Kind == SqlTypeKind.Date && unit is "hour" or "minute" or "second" or "milliseconds" or "microseconds")
                {
                    SqlErrors.Throw(SqlState.FeatureNotSupported, $"unit \"{unit}\" not supported for type date");
                }

                return ExtractTime(time, unit, type);
        }
    }

    private static decimal ExtractInterval(SqlInterval iv, string unit, SqlType type) => unit switch
    {
        "year" => iv.Months / 12,
        "month" => iv.Months % 12,
        "day" => iv.Days,
        "quarter" => ((iv.Months % 12) / 3) + 1,
        "decade" => iv.Months / 120,
        "century" => iv.Months / 1200,
        "millennium" => iv.Months / 12000,
        "epoch" => SecondsWithFraction(iv.Microseconds, 6) + (iv.Days * 86400m) + (iv.Months / 12 * 31557600m) + (iv.Months % 12 * 2592000m),
        "hour" => iv.Microseconds / SqlInterval.MicrosPerHour,
        "minute" => iv.Microseconds / 60_000_000 % 60,
        _ => ExtractSecondParts(iv.Microseconds % 60_000_000, unit, type),
    };
}
