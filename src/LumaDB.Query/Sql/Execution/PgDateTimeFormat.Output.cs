using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>to_char for timestamp, timestamptz and interval.</summary>
internal sealed partial class PgDateTimeFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>to_char(timestamp|timestamptz): null for infinity, as PostgreSQL returns.</summary>
    public string? FormatTimestamp(long micros, bool withZone)
    {
        if (micros is SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity)
        {
            return null;
        }

        var days = SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay);
        var time = micros - (days * SqlInterval.MicrosPerDay);
        var (y, m, d) = SqlCalendar.CivilFromDays(days);
        var parts = new Parts(y, m, d, time / SqlInterval.MicrosPerHour, time / 60_000_000L % 60, time / SqlCalendar.MicrosPerSecond % 60,
            time % SqlCalendar.MicrosPerSecond, IsInterval: false, withZone);
        return Format(parts);
    }

    /// <summary>to_char(interval): years and months from the month count, hours may exceed 24, fields keep their sign.</summary>
    public string? FormatInterval(SqlInterval value)
    {
        var micros = value.Microseconds;
        var parts = new Parts(value.Months / 12, value.Months % 12, value.Days, micros / SqlInterval.MicrosPerHour, micros / 60_000_000L % 60,
            micros / SqlCalendar.MicrosPerSecond % 60, micros % SqlCalendar.MicrosPerSecond, IsInterval: true, HasZone: false);
        return Format(parts);
    }

    private string? Format(Parts p)
    {
        if (_empty)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var node in _nodes)
        {
            if (node.Field == Field.Literal)
            {
                sb.Append(node.Text);
                continue;
            }

            if (p.IsInterval && node.Field is Field.AdBc or Field.AdBcDots or Field.MonthName or Field.MonthAbbrev or Field.DayName or Field.DayAbbrev
                or Field.DayOfWeek or Field.IsoDayOfWeek or Field.ZoneName or Field.Offset or Field.OffsetHours or Field.OffsetMinutes)
            {
                throw new SqlException(SqlState.InvalidDatetimeFormat, "invalid format specification for an interval value", "Intervals are not tied to specific calendar dates.");
            }

            var start = sb.Length;
            var numeric = AppendField(sb, node, p);
            if (numeric && node.Suffix != Suffix.None && sb.Length > start)
            {
                sb.Append(Ordinal(sb, start, node.Suffix == Suffix.Upper));
            }
        }

        return sb.ToString();
    }

    /// <summary>Appends one pattern's value; returns whether it is a number (which a TH suffix may follow).</summary>
    private static bool AppendField(StringBuilder sb, Node node, Parts p)
    {
        var fm = node.FillMode;

        // Displayed years count BC years from 1; intervals keep their plain year count.
        var year = p.IsInterval ? p.Year : p.Year <= 0 ? 1 - p.Year : p.Year;
        switch (node.Field)
        {
            case Field.Fx:
                return false;
            case Field.Hour12:
                AppendNumber(sb, p.Hour % 12 == 0 ? 12 : p.Hour % 12, 2, fm);
                return true;
            case Field.Hour24:
                AppendNumber(sb, p.Hour, 2, fm);
                return true;
            case Field.Minute:
                AppendNumber(sb, p.Minute, 2, fm);
                return true;
            case Field.Second:
                AppendNumber(sb, p.Second, 2, fm);
                return true;
            case Field.Millisecond:
                AppendNumber(sb, p.Micro / 1000, 3, fm);
                return true;
            case Field.Microsecond:
                AppendNumber(sb, p.Micro, 6, fm);
                return true;
            case >= Field.Ff1 and <= Field.Ff6:
                var digits = node.Field - Field.Ff1 + 1;
                AppendNumber(sb, p.Micro / Pow10(6 - digits), digits, fm);
                return true;
            case Field.SecondsOfDay:
                sb.Append(((p.Hour * 3600) + (p.Minute * 60) + p.Second).ToString(Invariant));
                return true;
            case Field.AmPm:
                sb.Append(Cased(p.Hour >= 12 ? "PM" : "AM", node.Casing));
                return false;
            case Field.AmPmDots:
                sb.Append(Cased(p.Hour >= 12 ? "P.M." : "A.M.", node.Casing));
                return false;
            case Field.YearComma:
                sb.Append((year / 1000).ToString(Invariant)).Append(',').Append(Math.Abs(year % 1000).ToString("000", Invariant));
                return true;
            case Field.Year4:
                AppendNumber(sb, year, 4, fm);
                return true;
            case Field.Year3:
                AppendNumber(sb, year % 1000, 3, fm);
                return true;
            case Field.Year2:
                AppendNumber(sb, year % 100, 2, fm);
                return true;
            case Field.Year1:
                AppendNumber(sb, year % 10, 1, fm);
                return true;
            case >= Field.IsoYear4 and <= Field.IsoYear1:
                var isoYear = IsoWeekDate(JulianDays(p)).Year;
                isoYear = p.IsInterval ? isoYear : isoYear <= 0 ? 1 - isoYear : isoYear;
                var width = 4 - (node.Field - Field.IsoYear4);
                AppendNumber(sb, width == 4 ? isoYear : isoYear % Pow10(width), width, fm);
                return true;
            case Field.AdBc:
                sb.Append(Cased(p.Year <= 0 ? "BC" : "AD", node.Casing));
                return false;
            case Field.AdBcDots:
                sb.Append(Cased(p.Year <= 0 ? "B.C." : "A.D.", node.Casing));
                return false;
            case Field.MonthName:
                AppendName(sb, MonthNames[p.Month - 1], node.Casing, fm);
                return false;
            case Field.MonthAbbrev:
                sb.Append(Cased(MonthNames[p.Month - 1][..3], node.Casing));
                return false;
            case Field.Month:
                AppendNumber(sb, p.Month, 2, fm);
                return true;
            case Field.DayName:
                AppendName(sb, DayNames[DayOfWeek(p)], node.Casing, fm);
                return false;
            case Field.DayAbbrev:
                sb.Append(Cased(DayNames[DayOfWeek(p)][..3], node.Casing));
                return false;
            case Field.DayOfYear:
                AppendNumber(sb, DayOfYear(p), 3, fm);
                return true;
            case Field.IsoDayOfYear:
                var iso = IsoWeekDate(JulianDays(p));
                AppendNumber(sb, ((iso.Week - 1) * 7) + iso.WeekDay, 3, fm);
                return true;
            case Field.Day:
                // Unlike the other fields, a negative interval day count keeps width 2 including its sign.
                AppendNumber(sb, p.Day, p.Day < 0 ? 1 : 2, fm);
                return true;
            case Field.DayOfWeek:
                sb.Append((DayOfWeek(p) + 1).ToString(Invariant));
                return true;
            case Field.IsoDayOfWeek:
                var dow = DayOfWeek(p);
                sb.Append((dow == 0 ? 7 : dow).ToString(Invariant));
                return true;
            case Field.WeekOfMonth:
                sb.Append((((p.Day - 1) / 7) + 1).ToString(Invariant));
                return true;
            case Field.WeekOfYear:
                AppendNumber(sb, ((DayOfYear(p) - 1) / 7) + 1, 2, fm);
                return true;
            case Field.IsoWeek:
                AppendNumber(sb, IsoWeekDate(JulianDays(p)).Week, 2, fm);
                return true;
            case Field.Century:
                var century = p.IsInterval ? p.Year / 100 : p.Year > 0 ? (p.Year + 99) / 100 : -((99 - (p.Year - 1)) / 100);
                AppendNumber(sb, century, 2, fm);
                return true;
            case Field.Julian:
                sb.Append((JulianDays(p) + JulianEpochOffset).ToString(Invariant));
                return true;
            case Field.Quarter:
                if (p.Month != 0)
                {
                    sb.Append((((p.Month - 1) / 3) + 1).ToString(Invariant));
                }

                return true;
            case Field.RomanMonth:
                if (p.Month != 0)
                {
                    var roman = RomanMonths[Math.Abs(p.Month) - 1];
                    roman = node.Casing == Casing.Lower ? roman.ToLowerInvariant() : roman;
                    sb.Append(fm ? roman : roman.PadRight(4));
                }

                return false;
            case Field.ZoneName:
                // The session zone is UTC: timestamptz text output is always in UTC here.
                if (p.HasZone)
                {
                    sb.Append(node.Casing == Casing.Lower ? "utc" : "UTC");
                }

                return false;
            case Field.OffsetHours:
            case Field.Offset:
                sb.Append("+00");
                return false;
            case Field.OffsetMinutes:
                sb.Append("00");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Days from 1970-01-01 of the parts' date; an interval's out-of-range day count simply runs on.</summary>
    private static long JulianDays(Parts p)
    {
        var months = (p.Year * 12) + p.Month - 1;
        var year = SqlCalendar.FloorDiv(months, 12);
        var month = (int)(months - (year * 12)) + 1;
        return SqlCalendar.DaysFromCivil(year, month, 1) + p.Day - 1;
    }

    private const long JulianEpochOffset = 2440588;

    private static int DayOfWeek(Parts p) => (int)(((JulianDays(p) % 7) + 11) % 7);

    private static long DayOfYear(Parts p) => p.IsInterval
        ? (((p.Year * 12) + p.Month) * 30) + p.Day
        : JulianDays(p) - SqlCalendar.DaysFromCivil(p.Year, 1, 1) + 1;

    /// <summary>ISO 8601 week-numbering year, week (1-53) and weekday (1 = Monday) of a day number.</summary>
    internal static (long Year, long Week, int WeekDay) IsoWeekDate(long days)
    {
        var weekDay = (int)(((days % 7) + 10) % 7) + 1;
        var thursday = days - weekDay + 4;
        var (year, _, _) = SqlCalendar.CivilFromDays(thursday);
        var week = ((thursday - SqlCalendar.DaysFromCivil(year, 1, 1)) / 7) + 1;
        return (year, week, weekDay);
    }

    /// <summary>Day number of the Monday of ISO week 1 of <paramref name="isoYear"/>.</summary>
    internal static long IsoYearStart(long isoYear)
    {
        var jan4 = SqlCalendar.DaysFromCivil(isoYear, 1, 4);
        var weekDay = (int)(((jan4 % 7) + 10) % 7) + 1;
        return jan4 - weekDay + 1;
    }

    private static long Pow10(int n)
    {
        var r = 1L;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }

    /// <summary>Zero-padded to <paramref name="width"/> digits after any minus sign; FM drops the padding.</summary>
    private static void AppendNumber(StringBuilder sb, long value, int width, bool fillMode)
    {
        if (value < 0)
        {
            sb.Append('-');
        }

        var digits = value < 0 ? (-value).ToString(Invariant) : value.ToString(Invariant);
        if (!fillMode)
        {
            sb.Append('0', Math.Max(0, width - digits.Length));
        }

        sb.Append(digits);
    }

    private static void AppendName(StringBuilder sb, string name, Casing casing, bool fillMode)
    {
        var text = Cased(name, casing);
        sb.Append(fillMode ? text : text.PadRight(9));
    }

    private static string Cased(string text, Casing casing) => casing switch
    {
        Casing.Upper => text.ToUpperInvariant(),
        Casing.Lower => text.ToLowerInvariant(),
        _ => text,
    };

    /// <summary>The English ordinal suffix of the number just written (st, nd, rd, th; 11-13 take th).</summary>
    private static string Ordinal(StringBuilder sb, int start, bool upper)
    {
        var last = sb[^1];
        var tens = sb.Length - start >= 2 ? sb[^2] : '0';
        var suffix = tens == '1' ? "th" : last switch
        {
            '1' => "st",
            '2' => "nd",
            '3' => "rd",
            _ => "th",
        };
        return upper ? suffix.ToUpperInvariant() : suffix;
    }

    private readonly record struct Parts(long Year, int Month, long Day, long Hour, long Minute, long Second, long Micro, bool IsInterval, bool HasZone);
}
