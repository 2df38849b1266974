using System.Text;

namespace LumaDB.Query.Sql.Types;

/// <summary>date, time, timestamp and timestamptz input and output (ISO style; session zone UTC).</summary>
public static partial class SqlText
{
    /// <summary>Formats a date: <c>2024-01-15</c>, <c>0044-03-15 BC</c>, <c>infinity</c>.</summary>
    public static string FormatDate(int days)
    {
        if (days == SqlCalendar.DateInfinity)
        {
            return "infinity";
        }

        if (days == SqlCalendar.DateNegativeInfinity)
        {
            return "-infinity";
        }

        var sb = new StringBuilder(16);
        var (y, m, d) = SqlCalendar.CivilFromDays(days);
        AppendDate(sb, y, m, d);
        if (y <= 0)
        {
            sb.Append(" BC");
        }

        return sb.ToString();
    }

    /// <summary>Formats a time of day: <c>04:05:06.789</c>.</summary>
    public static string FormatTime(long micros)
    {
        var sb = new StringBuilder(16);
        AppendTime(sb, micros, allowLongHours: false);
        return sb.ToString();
    }

    /// <summary>Formats a timestamp: <c>2024-01-15 10:20:30.5</c>, with <c>+00</c> for timestamptz.</summary>
    public static string FormatTimestamp(long micros, bool withZone)
    {
        if (micros == SqlCalendar.TimestampInfinity)
        {
            return "infinity";
        }

        if (micros == SqlCalendar.TimestampNegativeInfinity)
        {
            return "-infinity";
        }

        var days = SqlCalendar.FloorDiv(micros, SqlInterval.MicrosPerDay);
        var time = micros - (days * SqlInterval.MicrosPerDay);
        var (y, m, d) = SqlCalendar.CivilFromDays(days);
        var sb = new StringBuilder(32);
        AppendDate(sb, y, m, d);
        sb.Append(' ');
        AppendTime(sb, time, allowLongHours: false);
        if (withZone)
        {
            sb.Append("+00");
        }

        if (y <= 0)
        {
            sb.Append(" BC");
        }

        return sb.ToString();
    }

    private static void AppendDate(StringBuilder sb, long year, int month, int day)
    {
        // Astronomical year 0 is 1 BC.
        var displayYear = year <= 0 ? 1 - year : year;
        sb.Append(displayYear.ToString("0000", Invariant)).Append('-')
          .Append(month.ToString("00", Invariant)).Append('-')
          .Append(day.ToString("00", Invariant));
    }

    private static void AppendTime(StringBuilder sb, long micros, bool allowLongHours)
    {
        var hours = micros / SqlInterval.MicrosPerHour;
        var rest = micros % SqlInterval.MicrosPerHour;
        var minutes = rest / 60_000_000L;
        rest %= 60_000_000L;
        var seconds = rest / SqlCalendar.MicrosPerSecond;
        var fraction = rest % SqlCalendar.MicrosPerSecond;
        _ = allowLongHours;
        sb.Append(hours.ToString("00", Invariant)).Append(':')
          .Append(minutes.ToString("00", Invariant)).Append(':')
          .Append(seconds.ToString("00", Invariant));
        if (fraction != 0)
        {
            sb.Append('.').Append(fraction.ToString("000000", Invariant).TrimEnd('0'));
        }
    }

    private static int ParseDate(string text)
    {
        var s = text.Trim();
        if (s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return SqlCalendar.DateInfinity;
        }

        if (s.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
        {
            return SqlCalendar.DateNegativeInfinity;
        }

        if (s.Equals("epoch", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var bc = StripBc(ref s);
        var pos = 0;
        if (!TryReadDate(s, ref pos, bc, out var days, out var fieldError) || pos != s.Length)
        {
            if (fieldError)
            {
                SqlErrors.FieldOutOfRange(text);
            }

            SqlErrors.InvalidInput(SqlType.Date, text);
        }

        return (int)days;
    }

    private static bool StripBc(ref string s)
    {
        if (s.EndsWith(" BC", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^3].TrimEnd();
            return true;
        }

        if (s.EndsWith(" AD", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^3].TrimEnd();
        }

        return false;
    }

    private static bool TryReadNumber(string s, ref int pos, int maxDigits, out long value)
    {
        value = 0;
        var start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]) && pos - start < maxDigits)
        {
            value = (value * 10) + (s[pos] - '0');
            pos++;
        }

        return pos > start;
    }

    private static bool TryReadDate(string s, ref int pos, bool bc, out long days, out bool fieldError)
    {
        days = 0;
        fieldError = false;
        if (!TryReadNumber(s, ref pos, 9, out var year) || pos >= s.Length || s[pos] != '-')
        {
            return false;
        }

        pos++;
        if (!TryReadNumber(s, ref pos, 2, out var month) || pos >= s.Length || s[pos] != '-')
        {
            return false;
        }

        pos++;
        if (!TryReadNumber(s, ref pos, 2, out var day))
        {
            return false;
        }

        if (bc)
        {
            if (year == 0)
            {
                fieldError = true;
                return false;
            }

            year = 1 - year;
        }

        if (month is < 1 or > 12 || day < 1 || day > SqlCalendar.DaysInMonth(year, (int)month))
        {
            fieldError = true;
            return false;
        }

        days = SqlCalendar.DaysFromCivil(year, (int)month, (int)day);
        return true;
    }

    private static bool TryReadTime(string s, ref int pos, out long micros, out bool fieldError)
    {
        micros = 0;
        fieldError = false;
        if (!TryReadNumber(s, ref pos, 2, out var hour) || pos >= s.Length || s[pos] != ':')
        {
            return false;
        }

        pos++;
        if (!TryReadNumber(s, ref pos, 2, out var minute))
        {
            return false;
        }

        long second = 0;
        long fraction = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            pos++;
            if (!TryReadNumber(s, ref pos, 2, out second))
            {
                return false;
            }

            if (pos < s.Length && s[pos] == '.')
            {
                pos++;
                fraction = ReadFraction(s, ref pos);
            }
        }

        // 24:00:00 is allowed, as in PostgreSQL.
        if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute > 0 || second > 0 || fraction > 0)))
        {
            fieldError = true;
            return false;
        }

        micros = (((hour * 60) + minute) * 60 * SqlCalendar.MicrosPerSecond) + (second * SqlCalendar.MicrosPerSecond) + fraction;
        return true;
    }

    /// <summary>Reads fraction digits as microseconds, rounding half up beyond six digits.</summary>
    private static long ReadFraction(string s, ref int pos)
    {
        long micros = 0;
        var digits = 0;
        var roundUp = false;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            if (digits < 6)
            {
                micros = (micros * 10) + (s[pos] - '0');
            }
            else if (digits == 6)
            {
                roundUp = s[pos] >= '5';
            }

            digits++;
            pos++;
        }

        for (; digits < 6; digits++)
        {
            micros *= 10;
        }

        return roundUp ? micros + 1 : micros;
    }

    private static long ParseTime(string text)
    {
        var s = text.Trim();
        var pos = 0;
        if (!TryReadTime(s, ref pos, out var micros, out var fieldError) || pos != s.Length)
        {
            if (fieldError)
            {
                SqlErrors.FieldOutOfRange(text);
            }

            SqlErrors.InvalidInput(SqlType.Time, text);
        }

        return micros;
    }

    private static long ParseTimestamp(string text, SqlType type)
    {
        var s = text.Trim();
        if (s.Equals("infinity", StringComparison.OrdinalIgnoreCase) || s.Equals("+infinity", StringComparison.OrdinalIgnoreCase))
        {
            return SqlCalendar.TimestampInfinity;
        }

        if (s.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
        {
            return SqlCalendar.TimestampNegativeInfinity;
        }

        if (s.Equals("epoch", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var bc = StripBc(ref s);
        var pos = 0;
        var fieldError = false;
        if (!TryReadDate(s, ref pos, bc, out var days, out fieldError))
        {
            Fail();
        }

        long time = 0;
        if (pos < s.Length && (s[pos] == ' ' || s[pos] == 'T' || s[pos] == 't'))
        {
            pos++;
            while (pos < s.Length && s[pos] == ' ')
            {
                pos++;
            }

            if (!TryReadTime(s, ref pos, out time, out fieldError))
            {
                Fail();
            }
        }

        long offsetSeconds = 0;
        while (pos < s.Length && s[pos] == ' ')
        {
            pos++;
        }

        if (pos < s.Length)
        {
            var zone = s[pos..];
            if (zone is "Z" or "z" || zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) || zone.Equals("GMT", StringComparison.OrdinalIgnoreCase))
            {
                pos = s.Length;
            }
            else if (zone[0] is '+' or '-')
            {
                var sign = zone[0] == '-' ? -1 : 1;
                pos++;
                if (!TryReadNumber(s, ref pos, 2, out var oh))
                {
                    Fail();
                }

                long om = 0;
                if (pos < s.Length && s[pos] == ':')
                {
                    pos++;
                }

                if (pos < s.Length)
                {
                    TryReadNumber(s, ref pos, 2, out om);
                }

                if (oh > 15 || om > 59)
                {
                    SqlErrors.Throw(SqlState.InvalidDatetimeFormat, $"time zone displacement out of range: \"{text}\"");
                }

                offsetSeconds = sign * ((oh * 3600) + (om * 60));
            }
            else
            {
                Fail();
            }
        }

        if (pos != s.Length)
        {
            Fail();
        }

        // timestamp without time zone ignores a written zone, as PostgreSQL does.
        if (type.Kind == SqlTypeKind.Timestamp)
        {
            offsetSeconds = 0;
        }

        return (days * SqlInterval.MicrosPerDay) + time - (offsetSeconds * SqlCalendar.MicrosPerSecond);

        void Fail()
        {
            if (fieldError)
            {
                SqlErrors.FieldOutOfRange(text);
            }

            SqlErrors.InvalidInput(type, text);
        }
    }
}
