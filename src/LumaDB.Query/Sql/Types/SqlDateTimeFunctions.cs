using System.Globalization;

namespace LumaDB.Query.Sql.Types;

/// <summary>
/// The calendar arithmetic of age(), the justify_* functions and the make_* constructors, on the engine's
/// value shapes (days and microseconds since 1970-01-01), with PostgreSQL's range checks and messages.
/// </summary>
public static class SqlDateTimeFunctions
{
    /// <summary>The first date PostgreSQL can store: 4714-11-24 BC.</summary>
    public static readonly long MinDate = SqlCalendar.DaysFromCivil(-4713, 11, 24);

    /// <summary>The last date PostgreSQL can store: 5874897-12-31.</summary>
    public static readonly long MaxDate = SqlCalendar.DaysFromCivil(5874897, 12, 31);

    /// <summary>
    /// PostgreSQL 15 decomposes <c>infinity</c> as if it were the finite timestamp its int64 maximum encodes
    /// (counted from 2000-01-01), so age() of an infinite timestamp gives a large finite interval; the same
    /// instant here, as days since 1970 and time of day.
    /// </summary>
    private static readonly (long Days, long Time) InfinityAsFinite =
        ((long.MaxValue / SqlInterval.MicrosPerDay) + 10957, long.MaxValue % SqlInterval.MicrosPerDay);

    /// <summary>age(a, b): the difference in years, months and days (then time), borrowing from the earlier date's month.</summary>
    public static SqlInterval Age(long a, long b)
    {
        var (days1, time1) = Split(a);
        var (days2, time2) = Split(b);
        var (y1, m1, d1) = SqlCalendar.CivilFromDays(days1);
        var (y2, m2, d2) = SqlCalendar.CivilFromDays(days2);
        var years = y1 - y2;
        long months = m1 - m2;
        long dayDiff = d1 - d2;
        var micros = time1 - time2;

        // Work on the positive difference; a negative one is negated back at the end.
        var negative = a < b;
        if (negative)
        {
            (years, months, dayDiff, micros) = (-years, -months, -dayDiff, -micros);
        }

        if (micros < 0)
        {
            micros += SqlInterval.MicrosPerDay;
            dayDiff--;
        }

        while (dayDiff < 0)
        {
            var (borrowYear, borrowMonth) = negative ? (y1, m1) : (y2, m2);
            dayDiff += SqlCalendar.DaysInMonth(borrowYear, borrowMonth);
            months--;
        }

        while (months < 0)
        {
            months += 12;
            years--;
        }

        if (negative)
        {
            (years, months, dayDiff, micros) = (-years, -months, -dayDiff, -micros);
        }

        var totalMonths = (years * 12) + months;
        if (totalMonths is > int.MaxValue or < int.MinValue)
        {
            IntervalOutOfRange();
        }

        return new SqlInterval((int)totalMonths, (int)dayDiff, micros);
    }

    /// <summary>justify_days: each 30 days become a month, with days and months given one sign.</summary>
    public static SqlInterval JustifyDays(SqlInterval value)
    {
        var months = (long)value.Months + (value.Days / 30);
        var days = value.Days % 30;
        if (months > 0 && days < 0)
        {
            days += 30;
            months--;
        }
        else if (months < 0 && days > 0)
        {
            days -= 30;
            months++;
        }

        return new SqlInterval(CheckedInt(months), days, value.Microseconds);
    }

    /// <summary>justify_hours: each 24 hours become a day, with days and time given one sign.</summary>
    public static SqlInterval JustifyHours(SqlInterval value)
    {
        var days = value.Days + (value.Microseconds / SqlInterval.MicrosPerDay);
        var time = value.Microseconds % SqlInterval.MicrosPerDay;
        GiveTimeTheSignOfDays(ref days, ref time);

        return new SqlInterval(value.Months, CheckedInt(days), time);
    }

    /// <summary>Moves a day into the time part when the two have opposite signs, so both carry the sign of the days.</summary>
    private static void GiveTimeTheSignOfDays(ref long days, ref long time)
    {
        if (days > 0 && time < 0)
        {
            time += SqlInterval.MicrosPerDay;
            days--;
        }
        else if (days < 0 && time > 0)
        {
            time -= SqlInterval.MicrosPerDay;
            days++;
        }
    }

    /// <summary>justify_interval: justify_hours then justify_days, with all three parts given one sign.</summary>
    public static SqlInterval JustifyInterval(SqlInterval value)
    {
        long months = value.Months;
        long days = value.Days;
        var time = value.Microseconds;

        // Folding days into months first, when time will not change their sign, keeps days from overflowing.
        if ((days > 0 && time > 0) || (days < 0 && time < 0))
        {
            months = CheckedInt(months + (days / 30));
            days %= 30;
        }

        days = CheckedInt(days + (time / SqlInterval.MicrosPerDay));
        time %= SqlInterval.MicrosPerDay;
        months = CheckedInt(months + (days / 30));
        days %= 30;
        if (months > 0 && (days < 0 || (days == 0 && time < 0)))
        {
            days += 30;
            months--;
        }
        else if (months < 0 && (days > 0 || (days == 0 && time > 0)))
        {
            days -= 30;
            months++;
        }

        GiveTimeTheSignOfDays(ref days, ref time);

        return new SqlInterval((int)months, (int)days, time);
    }

    /// <summary>make_date: a negative year is BC; year 0 and impossible days are field errors.</summary>
    public static int MakeDate(int year, int month, int day)
    {
        var days = CivilDays(year, month, day);
        if (days < MinDate || days > MaxDate)
        {
            var astronomical = year < 0 ? year + 1 : year;
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"date out of range: {FormatDateFields(astronomical, month, day)}");
        }

        return (int)days;
    }

    /// <summary>make_time: hours 0 to 24 (24 only as 24:00:00), minutes 0 to 59, seconds 0 to 60.</summary>
    public static long MakeTime(int hour, int minute, double seconds) => TimeOfDay(hour, minute, seconds);

    /// <summary>make_timestamp: make_date's date plus make_time's time, within the timestamp range.</summary>
    public static long MakeTimestamp(int year, int month, int day, int hour, int minute, double seconds)
    {
        var days = CivilDays(year, month, day);
        var time = TimeOfDay(hour, minute, seconds);
        var micros = (Int128)days * SqlInterval.MicrosPerDay + time;
        if (days < MinDate || micros >= long.MaxValue || micros <= long.MinValue)
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"timestamp out of range: {FormatDateFields(year, month, day)} {FormatTimeFields(hour, minute, seconds)}");
        }

        return (long)micros;
    }

    private static long CivilDays(int year, int month, int day)
    {
        // Year 0 does not exist; -1 is 1 BC, astronomical year 0.
        long astronomical = year < 0 ? year + 1L : year;
        if (year == 0 || month is < 1 or > 12 || day < 1 || day > SqlCalendar.DaysInMonth(astronomical, month))
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"date field value out of range: {FormatDateFields(year, month, day)}");
        }

        return SqlCalendar.DaysFromCivil(astronomical, month, day);
    }

    private static long TimeOfDay(int hour, int minute, double seconds)
    {
        if (hour < 0 || minute is < 0 or > 59 || double.IsNaN(seconds) || seconds < 0 || seconds > 60 || hour > 24 || (hour == 24 && (minute > 0 || seconds > 0)))
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"time field value out of range: {FormatTimeFields(hour, minute, seconds)}");
        }

        return (((hour * 60L) + minute) * 60L * SqlCalendar.MicrosPerSecond) + (long)Math.Round(seconds * SqlCalendar.MicrosPerSecond, MidpointRounding.ToEven);
    }

    private static (long Days, long Time) Split(long micros)
    {
        if (micros == SqlCalendar.TimestampInfinity)
        {
            return InfinityAsFinite;
        }

        if (micros == SqlCalendar.TimestampNegativeInfinity)
        {
            // Its int64 minimum lies before the first Julian day, which PostgreSQL refuses to decompose.
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "timestamp out of range");
        }

        var days = SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay);
        return (days, micros - (days * SqlInterval.MicrosPerDay));
    }

    private static int CheckedInt(long value)
    {
        if (value is > int.MaxValue or < int.MinValue)
        {
            IntervalOutOfRange();
        }

        return (int)value;
    }

    private static void IntervalOutOfRange() => SqlErrors.Throw(SqlState.DatetimeFieldOverflow, "interval out of range");

    /// <summary>The fields as C's <c>%d-%02d-%02d</c> prints them in PostgreSQL's messages.</summary>
    private static string FormatDateFields(long year, int month, int day) =>
        string.Create(CultureInfo.InvariantCulture, $"{year}-{Pad2(month)}-{Pad2(day)}");

    /// <summary>The fields as C's <c>%d:%02d:%02g</c> prints them in PostgreSQL's messages.</summary>
    private static string FormatTimeFields(int hour, int minute, double seconds)
    {
        string text;
        if (double.IsNaN(seconds))
        {
            text = "NaN";
        }
        else if (double.IsInfinity(seconds))
        {
            text = seconds > 0 ? "Infinity" : "-Infinity";
        }
        else
        {
            text = seconds.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e');
            if (text.Length < 2)
            {
                text = "0" + text;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{hour}:{Pad2(minute)}:{text}");
    }

    private static string Pad2(int value) => value is >= 0 and < 10
        ? "0" + value.ToString(CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);
}
