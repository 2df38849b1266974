using System.Globalization;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>to_date and to_timestamp: reads the fields a template names out of a string.</summary>
internal sealed partial class PgDateTimeFormat
{
    private const string FixedWidthHint = "If your source string is not fixed-width, try using the \"FM\" modifier.";

    /// <summary>to_timestamp(text, text): microseconds since the epoch (UTC; a TZH/TZM offset is applied).</summary>
    public long ParseTimestamp(string input)
    {
        var f = Read(input);
        return (ResolveDate(f, input) * SqlInterval.MicrosPerDay) + ResolveTime(f, input) - (f.OffsetSeconds * SqlCalendar.MicrosPerSecond);
    }

    /// <summary>to_date(text, text): the date; time fields are read and checked but not kept.</summary>
    public int ParseDate(string input)
    {
        var f = Read(input);
        var days = ResolveDate(f, input);
        return (int)days;
    }

    private Fields Read(string input)
    {
        var f = new Fields();
        var pos = 0;
        var fx = false;
        for (var n = 0; n < _nodes.Length; n++)
        {
            var node = _nodes[n];
            if (node.Field == Field.Fx)
            {
                fx = true;
                continue;
            }

            if (node.Field == Field.Literal)
            {
                SkipLiteral(node, input, ref pos, fx);
                continue;
            }

            if (pos >= input.Length)
            {
                break;
            }

            if (!fx)
            {
                while (pos < input.Length && char.IsWhiteSpace(input[pos]))
                {
                    pos++;
                }
            }

            var fixedWidth = !node.FillMode && n + 1 < _nodes.Length && _nodes[n + 1].Field is not (Field.Literal or Field.Fx);
            ReadField(node, input, ref pos, fixedWidth, f);
            if (node.Suffix != Suffix.None)
            {
                pos = Math.Min(input.Length, pos + 2);
            }
        }

        return f;
    }

    private static void SkipLiteral(Node node, string input, ref int pos, bool fx)
    {
        if (node.Quoted)
        {
            pos = Math.Min(input.Length, pos + node.Text.Length);
            return;
        }

        foreach (var c in node.Text)
        {
            if (pos >= input.Length)
            {
                return;
            }

            if (fx)
            {
                pos++;
            }
            else if (char.IsWhiteSpace(c) && char.IsWhiteSpace(input[pos]))
            {
                while (pos < input.Length && char.IsWhiteSpace(input[pos]))
                {
                    pos++;
                }
            }
            else if (char.IsLetterOrDigit(c) || !char.IsLetterOrDigit(input[pos]))
            {
                // A template separator matches one separator of the input, or none when the input has a letter or digit there.
                pos++;
            }
        }
    }

    private static void ReadField(Node node, string input, ref int pos, bool fixedWidth, Fields f)
    {
        switch (node.Field)
        {
            case Field.MonthName:
                Set(f, Slot.Month, ReadName(node, input, ref pos, MonthNames, 0) + 1, node);
                return;
            case Field.MonthAbbrev:
                Set(f, Slot.Month, ReadName(node, input, ref pos, MonthNames, 3) + 1, node);
                return;
            case Field.DayName:
                ReadName(node, input, ref pos, DayNames, 0);
                return;
            case Field.DayAbbrev:
                ReadName(node, input, ref pos, DayNames, 3);
                return;
            case Field.RomanMonth:
                var at = pos;
                var roman = RomanMonths.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Length)
                    .FirstOrDefault(x => at + x.r.Length <= input.Length && string.Compare(input, at, x.r, 0, x.r.Length, StringComparison.OrdinalIgnoreCase) == 0);
                if (roman.r is null)
                {
                    throw NoMatch(node, input, pos);
                }

                pos += roman.r.Length;
                Set(f, Slot.Month, roman.i + 1, node);
                return;
            case Field.AmPm or Field.AmPmDots:
                Set(f, Slot.Pm, MatchOne(node, input, ref pos, node.Field == Field.AmPm ? ["AM", "PM"] : ["A.M.", "P.M."]), node);
                return;
            case Field.AdBc or Field.AdBcDots:
                Set(f, Slot.Bc, MatchOne(node, input, ref pos, node.Field == Field.AdBc ? ["AD", "BC"] : ["A.D.", "B.C."]), node);
                return;
            case Field.ZoneName or Field.Offset:
                throw new SqlException(SqlState.FeatureNotSupported, $"formatting field \"{node.Keyword}\" is only supported in to_char");
        }

        var width = node.Field switch
        {
            Field.YearComma => 5,
            Field.Year4 or Field.IsoYear4 => 4,
            Field.Year3 or Field.IsoYear3 or Field.DayOfYear or Field.IsoDayOfYear or Field.Millisecond or Field.Ff3 => 3,
            Field.Year1 or Field.IsoYear1 or Field.DayOfWeek or Field.IsoDayOfWeek or Field.WeekOfMonth or Field.Quarter or Field.Ff1 => 1,
            Field.Microsecond or Field.Ff6 => 6,
            Field.Ff4 => 4,
            Field.Ff5 or Field.SecondsOfDay => 5,
            Field.Julian => 10,
            _ => 2,
        };
        var start = pos;
        var (value, digits) = ReadInteger(node, input, ref pos, width, fixedWidth);
        if (node.Field == Field.YearComma && pos < input.Length && input[pos] == ',')
        {
            pos++;
            var (rest, _) = ReadInteger(node, input, ref pos, 3, fixedWidth: false);
            value = (value * 1000) + rest;
        }

        switch (node.Field)
        {
            case Field.Year4 or Field.YearComma:
                Set(f, Slot.Year, value, node);
                break;
            case Field.Year3 or Field.Year2 or Field.Year1:
                var kind = 4 - (node.Field - Field.Year4);
                Set(f, Slot.Year, digits > kind ? value : PartialYear(value), node);
                break;
            case >= Field.IsoYear4 and <= Field.IsoYear1:
                var isoKind = 4 - (node.Field - Field.IsoYear4);
                Set(f, Slot.IsoYear, digits >= 4 || isoKind == 4 ? value : PartialYear(value), node);
                break;
            case Field.Month:
                Set(f, Slot.Month, value, node);
                break;
            case Field.Day:
                Set(f, Slot.Day, value, node);
                break;
            case Field.DayOfYear:
                Set(f, Slot.DayOfYear, value, node);
                break;
            case Field.IsoDayOfYear:
                Set(f, Slot.IsoDayOfYear, value, node);
                break;
            case Field.IsoWeek:
                Set(f, Slot.IsoWeek, value, node);
                break;
            case Field.IsoDayOfWeek:
                Set(f, Slot.IsoDay, value, node);
                break;
            case Field.Hour12:
                Set(f, Slot.Hour, value, node);
                f.TwelveHour = true;
                break;
            case Field.Hour24:
                Set(f, Slot.Hour, value, node);
                break;
            case Field.Minute:
                Set(f, Slot.Minute, value, node);
                break;
            case Field.Second:
                Set(f, Slot.Second, value, node);
                break;
            case Field.Millisecond:
                Set(f, Slot.Fraction, value < 0 || value > 999 ? -1 : value * Pow10(3 - digits) * 1000, node);
                break;
            case Field.Microsecond or (>= Field.Ff1 and <= Field.Ff6):
                Set(f, Slot.Fraction, value < 0 || value > 999_999 ? -1 : value * Pow10(6 - digits), node);
                break;
            case Field.SecondsOfDay:
                Set(f, Slot.SecondsOfDay, value, node);
                break;
            case Field.Century:
                Set(f, Slot.Century, value, node);
                break;
            case Field.Julian:
                Set(f, Slot.Julian, value, node);
                break;
            case Field.OffsetHours:
                f.OffsetSeconds += value * 3600;
                f.OffsetNegative = input[start] == '-';
                break;
            case Field.OffsetMinutes:
                f.OffsetSeconds += (f.OffsetNegative ? -value : value) * 60;
                break;
        }
    }

    /// <summary>YY, YYY and Y years land nearest 2020, as PostgreSQL places them.</summary>
    private static long PartialYear(long value) => value switch
    {
        < 70 => value + 2000,
        < 100 => value + 1900,
        < 520 => value + 2000,
        < 1000 => value + 1000,
        _ => value,
    };

    private static (long Value, int Digits) ReadInteger(Node node, string input, ref int pos, int width, bool fixedWidth)
    {
        var start = pos;
        var end = pos;
        if (end < input.Length && input[end] is '-' or '+')
        {
            end++;
        }

        var limit = fixedWidth ? Math.Min(input.Length, start + width) : input.Length;
        if (fixedWidth && input.Length - start < width)
        {
            throw new SqlException(SqlState.InvalidDatetimeFormat, $"source string too short for \"{node.Keyword}\" formatting field", FixedWidthHint,
                $"Field requires {width} characters, but only {input.Length - start} remain.");
        }

        var digitStart = end;
        while (end < limit && char.IsAsciiDigit(input[end]))
        {
            end++;
        }

        if (end == digitStart || !long.TryParse(input.AsSpan(start, end - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue || value < int.MinValue)
        {
            if (end > digitStart)
            {
                throw new SqlException(SqlState.NumericValueOutOfRange, $"value for \"{node.Keyword}\" in source string is out of range", null,
                    "Value must be in the range -2147483648 to 2147483647.");
            }

            throw new SqlException(SqlState.InvalidDatetimeFormat, $"invalid value \"{Shown(input, start, width)}\" for \"{node.Keyword}\"", null, "Value must be an integer.");
        }

        if (fixedWidth && end - start < width)
        {
            throw new SqlException(SqlState.InvalidDatetimeFormat, $"invalid value \"{Shown(input, start, width)}\" for \"{node.Keyword}\"", FixedWidthHint,
                $"Field requires {width} characters, but only {end - start} could be parsed.");
        }

        pos = end;
        return (value, end - digitStart);
    }

    private static string Shown(string input, int start, int width)
    {
        var end = start;
        while (end < input.Length && end - start < width && !char.IsWhiteSpace(input[end]))
        {
            end++;
        }

        return input[start..end];
    }

    private static int ReadName(Node node, string input, ref int pos, string[] names, int length)
    {
        for (var i = 0; i < names.Length; i++)
        {
            var name = length == 0 ? names[i] : names[i][..length];
            if (pos + name.Length <= input.Length && string.Compare(input, pos, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                pos += name.Length;
                return i;
            }
        }

        throw NoMatch(node, input, pos);
    }

    private static int MatchOne(Node node, string input, ref int pos, string[] options)
    {
        for (var i = 0; i < options.Length; i++)
        {
            if (pos + options[i].Length <= input.Length && string.Compare(input, pos, options[i], 0, options[i].Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                pos += options[i].Length;
                return i;
            }
        }

        throw NoMatch(node, input, pos);
    }

    private static SqlException NoMatch(Node node, string input, int pos) =>
        new(SqlState.InvalidDatetimeFormat, $"invalid value \"{Shown(input, pos, int.MaxValue)}\" for \"{node.Keyword}\"", null,
            "The given value did not match any of the allowed values for this field.");

    private static void Set(Fields f, Slot slot, long value, Node node)
    {
        var current = f.Values[(int)slot];
        if (current is { } existing && existing != value)
        {
            throw new SqlException(SqlState.InvalidDatetimeFormat, $"conflicting values for \"{node.Keyword}\" field in formatting string", null,
                "This value contradicts a previous setting for the same field type.");
        }

        f.Values[(int)slot] = value;
    }

    private static long ResolveDate(Fields f, string input)
    {
        long? Get(Slot s) => f.Values[(int)s];
        if (Get(Slot.Julian) is { } julian)
        {
            return julian - JulianEpochOffset;
        }

        var year = Get(Slot.Year);
        if (year is { } y)
        {
            // "44 BC" is astronomical -43, and "0 BC" is 1 BC; without BC a negative year also counts BC.
            year = Get(Slot.Bc) == 1 ? (y > 0 ? 1 - y : 0) : y < 0 ? y + 1 : y;
        }
        else if (Get(Slot.Century) is { } cc)
        {
            year = cc > 0 ? ((cc - 1) * 100) + 1 : (cc * 100) + 1;
        }

        if (Get(Slot.IsoYear) is { } isoYear && Get(Slot.Month) is null && Get(Slot.Day) is null)
        {
            var start = IsoYearStart(isoYear);
            if (Get(Slot.IsoDayOfYear) is { } isoDayOfYear)
            {
                return start + isoDayOfYear - 1;
            }

            return start + (((Get(Slot.IsoWeek) ?? 1) - 1) * 7) + (Get(Slot.IsoDay) ?? 1) - 1;
        }

        var astronomical = year ?? 0;
        if (Get(Slot.DayOfYear) is { } dayOfYear && Get(Slot.Month) is null && Get(Slot.Day) is null)
        {
            if (year is null)
            {
                throw new SqlException(SqlState.InvalidDatetimeFormat, "cannot calculate day of year without year information");
            }

            if (dayOfYear < 1 || dayOfYear > (SqlCalendar.IsLeapYear(astronomical) ? 366 : 365))
            {
                SqlErrors.FieldOutOfRange(input);
            }

            return SqlCalendar.DaysFromCivil(astronomical, 1, 1) + dayOfYear - 1;
        }

        var month = Get(Slot.Month) ?? 1;
        var day = Get(Slot.Day) ?? 1;
        if (month < 1 || month > 12 || day < 1 || day > SqlCalendar.DaysInMonth(astronomical, (int)month) || astronomical < -4712 || astronomical > 5874897)
        {
            SqlErrors.FieldOutOfRange(input);
        }

        return SqlCalendar.DaysFromCivil(astronomical, (int)month, (int)day);
    }

    private static long ResolveTime(Fields f, string input)
    {
        long? Get(Slot s) => f.Values[(int)s];
        var hour = Get(Slot.Hour) ?? 0;
        var minute = Get(Slot.Minute) ?? 0;
        var second = Get(Slot.Second) ?? 0;
        var fraction = Get(Slot.Fraction) ?? 0;
        if (Get(Slot.SecondsOfDay) is { } secondsOfDay)
        {
            hour = secondsOfDay / 3600;
            minute = secondsOfDay / 60 % 60;
            second = secondsOfDay % 60;
        }

        if (f.TwelveHour || Get(Slot.Pm) is not null)
        {
            if (Get(Slot.Hour) is { } h && (h < 1 || h > 12))
            {
                throw new SqlException(SqlState.InvalidDatetimeFormat, $"hour \"{h}\" is invalid for the 12-hour clock", "Use the 24-hour clock, or give an hour between 1 and 12.");
            }

            hour = hour == 12 ? 0 : hour;
            hour += Get(Slot.Pm) == 1 ? 12 : 0;
        }

        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || fraction < 0)
        {
            SqlErrors.FieldOutOfRange(input);
        }

        return (hour * SqlInterval.MicrosPerHour) + (minute * 60_000_000L) + (second * SqlCalendar.MicrosPerSecond) + fraction;
    }

    private enum Slot
    {
        Year,
        Bc,
        Century,
        Month,
        Day,
        DayOfYear,
        Julian,
        IsoYear,
        IsoWeek,
        IsoDay,
        IsoDayOfYear,
        Hour,
        Pm,
        Minute,
        Second,
        Fraction,
        SecondsOfDay,
        Count,
    }

    private sealed class Fields
    {
        public long?[] Values { get; } = new long?[(int)Slot.Count];

        public bool TwelveHour { get; set; }

        public long OffsetSeconds { get; set; }

        public bool OffsetNegative { get; set; }
    }
}
