using System.Globalization;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Kernels of the date/time, time zone and session information functions bound in SqlBinder.DateTime.cs.</summary>
public sealed partial class ExpressionEvaluator
{
    private static readonly Lazy<long> ProcessStartMicros = new(() =>
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return (process.StartTime.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    });

    private ColumnVector? DateTimeFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        switch (call.Function)
        {
            case ScalarFunction.Age:
                return MapBinary<long, long, SqlInterval>(args[0], args[1], type, static (a, b) => SqlDateTimeFunctions.Age(a, b));
            case ScalarFunction.MakeDate:
                return Rows(args, type, rowCount, static (a, i) => SqlDateTimeFunctions.MakeDate(Int(a[0], i), Int(a[1], i), Int(a[2], i)));
            case ScalarFunction.MakeTime:
                return Rows(args, type, rowCount, static (a, i) => SqlDateTimeFunctions.MakeTime(Int(a[0], i), Int(a[1], i), a[2].As<double>()[i]));
            case ScalarFunction.MakeTimestamp:
                return Rows(args, type, rowCount, static (a, i) => MakeTimestamp(a, i));
            case ScalarFunction.MakeTimestampTz:
                return Rows(args, type, rowCount, static (a, i) => a.Length == 7
                    ? PgTimeZone.ResolveNumericFirst(a[6].As<string>()[i]).ToUtc(MakeTimestamp(a, i))
                    : MakeTimestamp(a, i));
            case ScalarFunction.JustifyDays:
                return Map<SqlInterval, SqlInterval>(args[0], type, static v => SqlDateTimeFunctions.JustifyDays(v));
            case ScalarFunction.JustifyHours:
                return Map<SqlInterval, SqlInterval>(args[0], type, static v => SqlDateTimeFunctions.JustifyHours(v));
            case ScalarFunction.JustifyInterval:
                return Map<SqlInterval, SqlInterval>(args[0], type, static v => SqlDateTimeFunctions.JustifyInterval(v));
            case ScalarFunction.IsFinite:
                return args[0].Type.Kind switch
                {
                    SqlTypeKind.Date => Map<int, bool>(args[0], type, static d => d is not (SqlCalendar.DateInfinity or SqlCalendar.DateNegativeInfinity)),
                    SqlTypeKind.Interval => Map<SqlInterval, bool>(args[0], type, static _ => true),
                    _ => Map<long, bool>(args[0], type, static t => t is not (SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity)),
                };
            case ScalarFunction.ClockTimestamp:
                return Rows(args, type, rowCount, static (_, _) => ClockMicros());
            case ScalarFunction.TimeOfDay:
                return Rows(args, type, rowCount, static (_, _) => TimeOfDayText(ClockMicros()));
            case ScalarFunction.TimeZoneName:
                return TimeZoneConvert(args, type, static (a, i) => PgTimeZone.Resolve(a.As<string>()[i]));
            case ScalarFunction.TimeZoneInterval:
                return TimeZoneConvert(args, type, static (a, i) => PgTimeZone.FromInterval(a.As<SqlInterval>()[i]));
            case ScalarFunction.PgTypeOf:
                return ColumnVector.Repeat(type, ((BoundConstant)call.Arguments[1]).Value, rowCount);
            case ScalarFunction.NumNulls or ScalarFunction.NumNonNulls:
                return CountNulls(args, rowCount, call.Function == ScalarFunction.NumNulls);
            case ScalarFunction.PgBackendPid:
                return ColumnVector.Repeat(type, BackendPid(), rowCount);
            case ScalarFunction.PgPostmasterStartTime:
                return ColumnVector.Repeat(type, ProcessStartMicros.Value, rowCount);
            default:
                return null;
        }
    }

    /// <summary>Evaluates a strict function row by row: NULL in any argument gives NULL.</summary>
    private static ColumnVector Rows<T>(ColumnVector[] args, SqlType type, int rowCount, Func<ColumnVector[], int, T> function)
    {
        var result = ColumnVector.Allocate(type, rowCount);
        var values = result.As<T>();
        for (var i = 0; i < rowCount; i++)
        {
            if (AnyNull(args, i))
            {
                result.SetNull(i);
            }
            else
            {
                values[i] = function(args, i);
            }
        }

        return result;
    }

    private static bool AnyNull(ColumnVector[] args, int row)
    {
        foreach (var arg in args)
        {
            if (arg.IsNull(row))
            {
                return true;
            }
        }

        return false;
    }

    private static int Int(ColumnVector column, int row) => column.As<int>()[row];

    private static long MakeTimestamp(ColumnVector[] a, int i) =>
        SqlDateTimeFunctions.MakeTimestamp(Int(a[0], i), Int(a[1], i), Int(a[2], i), Int(a[3], i), Int(a[4], i), a[5].As<double>()[i]);

    /// <summary>timestamp to timestamptz reads the value as the zone's local time; timestamptz to timestamp gives the zone's local time.</summary>
    private static ColumnVector TimeZoneConvert(ColumnVector[] args, SqlType type, Func<ColumnVector, int, PgTimeZone> zoneOf)
    {
        var toUtc = type.Kind == SqlTypeKind.TimestampTz;
        var values = args[1].As<long>();
        PgTimeZone? zone = null;
        object? zoneKey = null;
        return Rows(args, type, args[1].Length, (a, i) =>
        {
            // Most calls name one zone for every row, so it is resolved once.
            var key = a[0].Values.GetValue(i);
            if (zone is null || !Equals(key, zoneKey))
            {
                zone = zoneOf(a[0], i);
                zoneKey = key;
            }

            try
            {
                return toUtc ? zone.ToUtc(values[i]) : zone.ToLocal(values[i]);
            }
            catch (OverflowException)
            {
                SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "timestamp out of range");
                return 0L;
            }
        });
    }

    private static ColumnVector CountNulls(ColumnVector[] args, int rowCount, bool nulls)
    {
        var result = ColumnVector.Allocate(SqlType.Int4, rowCount);
        var values = result.As<int>();
        for (var i = 0; i < rowCount; i++)
        {
            var count = 0;
            foreach (var arg in args)
            {
                if (arg.IsNull(i) == nulls)
                {
                    count++;
                }
            }

            values[i] = count;
        }

        return result;
    }

    private static long ClockMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>timeofday()'s text, as C's <c>%a %b %d %H:%M:%S.usec %Y %Z</c> in the session zone (UTC).</summary>
    private static string TimeOfDayText(long micros)
    {
        var at = DateTime.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
        return at.ToString("ddd MMM dd HH:mm:ss", CultureInfo.InvariantCulture)
            + "." + (micros % SqlCalendar.MicrosPerSecond).ToString("000000", CultureInfo.InvariantCulture)
            + at.ToString(" yyyy", CultureInfo.InvariantCulture) + " UTC";
    }

    /// <summary>The process id the wire protocol sent in BackendKeyData; outside a network session, the server's own.</summary>
    private int BackendPid() =>
        _context.Settings?.Get(Sessions.SessionSettings.BackendPidSetting) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : Environment.ProcessId;
}
