using System.Globalization;
using System.Text;

namespace LumaDB.Query.Sql.Types;

/// <summary>interval input and output (IntervalStyle postgres).</summary>
public static partial class SqlText
{
    /// <summary>Formats an interval: <c>1 year 2 mons 3 days 04:05:06.789</c>, <c>-1 days +01:00:00</c>, <c>00:00:00</c>.</summary>
    public static string FormatInterval(SqlInterval value)
    {
        var sb = new StringBuilder(40);
        var isBefore = false;
        var isZero = true;
        AddPart(value.Months / 12, "year");
        AddPart(value.Months % 12, "mon");
        AddPart(value.Days, "day");
        var time = value.Microseconds;
        if (isZero || time != 0)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            // A positive time after a negative field gets an explicit '+', so the text reads back the same.
            sb.Append(time < 0 ? "-" : isBefore ? "+" : string.Empty);
            var magnitude = time == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(time);
            var hours = magnitude / (ulong)SqlInterval.MicrosPerHour;
            var rest = magnitude % (ulong)SqlInterval.MicrosPerHour;
            sb.Append(hours.ToString("00", Invariant)).Append(':')
              .Append((rest / 60_000_000UL).ToString("00", Invariant)).Append(':');
            rest %= 60_000_000UL;
            sb.Append((rest / 1_000_000UL).ToString("00", Invariant));
            var fraction = rest % 1_000_000UL;
            if (fraction != 0)
            {
                sb.Append('.').Append(fraction.ToString("000000", Invariant).TrimEnd('0'));
            }
        }

        return sb.ToString();

        void AddPart(int amount, string unit)
        {
            if (amount == 0)
            {
                return;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            if (isBefore && amount > 0)
            {
                sb.Append('+');
            }

            sb.Append(amount.ToString(Invariant)).Append(' ').Append(unit);
            if (amount != 1)
            {
                sb.Append('s');
            }

            isBefore = amount < 0;
            isZero = false;
        }
    }

    private static SqlInterval ParseInterval(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.StartsWith('@'))
        {
            s = s[1..].TrimStart();
        }

        var ago = false;
        if (s.EndsWith(" ago", StringComparison.Ordinal) || s == "ago")
        {
            ago = true;
            s = s[..^3].TrimEnd();
        }

        if (s.Length == 0)
        {
            SqlErrors.InvalidInput(SqlType.Interval, text);
        }

        // Fractions spill downward as PostgreSQL does: a month is 30 days, a day 24 hours.
        decimal months = 0;
        decimal days = 0;
        decimal micros = 0;
        var tokens = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Contains(':'))
            {
                micros += ParseClock(token, text);
                continue;
            }

            var numberEnd = 0;
            while (numberEnd < token.Length && (char.IsAsciiDigit(token[numberEnd]) || token[numberEnd] is '.' or '-' or '+'))
            {
                numberEnd++;
            }

            if (numberEnd == 0 || !decimal.TryParse(token.AsSpan(0, numberEnd), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, Invariant, out var amount))
            {
                SqlErrors.InvalidInput(SqlType.Interval, text);
                return default;
            }

            var unit = token[numberEnd..];
            if (unit.Length == 0 && i + 1 < tokens.Length && !tokens[i + 1].Contains(':') && !char.IsAsciiDigit(tokens[i + 1][0]) && tokens[i + 1][0] is not ('-' or '+'))
            {
                unit = tokens[++i];
            }

            switch (unit)
            {
                case "millennium" or "millennia" or "millenniums" or "mil" or "mils":
                    months += amount * 12000;
                    break;
                case "century" or "centuries" or "c" or "cent":
                    months += amount * 1200;
                    break;
                case "decade" or "decades" or "dec" or "decs":
                    months += amount * 120;
                    break;
                case "year" or "years" or "y" or "yr" or "yrs":
                    months += amount * 12;
                    break;
                case "month" or "months" or "mon" or "mons":
                    months += amount;
                    break;
                case "week" or "weeks" or "w":
                    days += amount * 7;
                    break;
                case "day" or "days" or "d":
                    days += amount;
                    break;
                case "hour" or "hours" or "h" or "hr" or "hrs":
                    micros += amount * SqlInterval.MicrosPerHour;
                    break;
                case "minute" or "minutes" or "m" or "min" or "mins":
                    micros += amount * 60_000_000L;
                    break;
                case "" or "second" or "seconds" or "s" or "sec" or "secs":
                    micros += amount * SqlCalendar.MicrosPerSecond;
                    break;
                case "millisecond" or "milliseconds" or "ms" or "msec" or "msecs":
                    micros += amount * 1000;
                    break;
                case "microsecond" or "microseconds" or "us" or "usec" or "usecs":
                    micros += amount;
                    break;
                default:
                    SqlErrors.InvalidInput(SqlType.Interval, text);
                    break;
            }
        }

        var wholeMonths = decimal.Truncate(months);
        days += (months - wholeMonths) * 30;
        var wholeDays = decimal.Truncate(days);
        micros += (days - wholeDays) * SqlInterval.MicrosPerDay;
        if (ago)
        {
            wholeMonths = -wholeMonths;
            wholeDays = -wholeDays;
            micros = -micros;
        }

        if (Math.Abs(wholeMonths) > int.MaxValue || Math.Abs(wholeDays) > int.MaxValue || Math.Abs(micros) > long.MaxValue)
        {
            SqlErrors.Throw(SqlState.DatetimeFieldOverflow, $"interval field value out of range: \"{text}\"");
        }

        return new SqlInterval((int)wholeMonths, (int)wholeDays, (long)decimal.Round(micros, MidpointRounding.AwayFromZero));
    }

    private static decimal ParseClock(string token, string text)
    {
        var negative = token.StartsWith('-');
        var body = token.TrimStart('-', '+');
        var parts = body.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            SqlErrors.InvalidInput(SqlType.Interval, text);
        }

        if (!long.TryParse(parts[0], NumberStyles.None, Invariant, out var hours)
            || !long.TryParse(parts[1], NumberStyles.None, Invariant, out var minutes))
        {
            SqlErrors.InvalidInput(SqlType.Interval, text);
            return 0;
        }

        decimal seconds = 0;
        if (parts.Length == 3 && !decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, Invariant, out seconds))
        {
            SqlErrors.InvalidInput(SqlType.Interval, text);
        }

        if (minutes > 59 || seconds >= 60)
        {
            SqlErrors.FieldOutOfRange(text);
        }

        var micros = (((hours * 60) + minutes) * 60_000_000m) + (seconds * 1_000_000m);
        return negative ? -micros : micros;
    }
}
