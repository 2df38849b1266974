namespace LumaDB.Query.Sql.Types;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on day numbers counted from 1970-01-01 (Arrow's date32 epoch),
/// with astronomical years (year 0 is 1 BC), so BC dates need no special case.
/// </summary>
public static class SqlCalendar
{
    /// <summary>Microseconds in a second.</summary>
    public const long MicrosPerSecond = 1_000_000L;

    /// <summary>The stored value of date <c>infinity</c>.</summary>
    public const int DateInfinity = int.MaxValue;

    /// <summary>The stored value of date <c>-infinity</c>.</summary>
    public const int DateNegativeInfinity = int.MinValue;

    /// <summary>The stored value of timestamp <c>infinity</c>.</summary>
    public const long TimestampInfinity = long.MaxValue;

    /// <summary>The stored value of timestamp <c>-infinity</c>.</summary>
    public const long TimestampNegativeInfinity = long.MinValue;

    /// <summary>Day number of a civil date; a 400-year cycle has exactly 146097 days, which makes this closed-form.</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        var y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var shiftedMonth = month > 2 ? month - 3 : month + 9;
        var dayOfYear = (((153 * shiftedMonth) + 2) / 5) + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    /// <summary>Civil date of a day number.</summary>
    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        var z = days + 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var dayOfEra = z - (era * 146097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var mp = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }

    /// <summary>Days in a month of a (astronomical) year.</summary>
    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Gregorian leap-year rule.</summary>
    public static bool IsLeapYear(long year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    /// <summary>Floor division, since day and time splits of negative microseconds must round down.</summary>
    public static long FloorDiv(long value, long divisor)
    {
        var q = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? q - 1 : q;
    }

    /// <summary>Adds months to a day number, clamping the day to the target month's end as PostgreSQL does.</summary>
    public static long AddMonths(long days, int months)
    {
        var (y, m, d) = CivilFromDays(days);
        var total = (y * 12) + (m - 1) + months;
        var ny = FloorDiv(total, 12);
        var nm = (int)(total - (ny * 12)) + 1;
        return DaysFromCivil(ny, nm, Math.Min(d, DaysInMonth(ny, nm)));
    }

    /// <summary>Adds an interval to a timestamp in microseconds: months first, then days, then time, as PostgreSQL does.</summary>
    public static long AddInterval(long timestampMicros, SqlInterval interval)
    {
        if (timestampMicros is TimestampInfinity or TimestampNegativeInfinity)
        {
            return timestampMicros;
        }

        var days = FloorDiv(timestampMicros, SqlInterval.MicrosPerDay);
        var time = timestampMicros - (days * SqlInterval.MicrosPerDay);
        if (interval.Months != 0)
        {
            days = AddMonths(days, interval.Months);
        }

        days += interval.Days;
        return checked((days * SqlInterval.MicrosPerDay) + time + interval.Microseconds);
    }
}
