using System.Text;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// A parsed date/time template of to_char, to_date and to_timestamp (PostgreSQL's "Data Type Formatting Functions"):
/// parsed once, then applied to every row of a batch.
/// </summary>
internal sealed partial class PgDateTimeFormat
{
    private static readonly string[] MonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] RomanMonths = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

    // Keywords in match order: at one position the longest spelling wins, so longer ones come first.
    private static readonly (string Text, Field Field, Casing Casing)[] Keywords =
    [
        ("A.D.", Field.AdBcDots, Casing.Upper), ("a.d.", Field.AdBcDots, Casing.Lower), ("A.M.", Field.AmPmDots, Casing.Upper), ("a.m.", Field.AmPmDots, Casing.Lower),
        ("AD", Field.AdBc, Casing.Upper), ("ad", Field.AdBc, Casing.Lower), ("AM", Field.AmPm, Casing.Upper), ("am", Field.AmPm, Casing.Lower),
        ("B.C.", Field.AdBcDots, Casing.Upper), ("b.c.", Field.AdBcDots, Casing.Lower), ("BC", Field.AdBc, Casing.Upper), ("bc", Field.AdBc, Casing.Lower),
        ("CC", Field.Century, Casing.Upper), ("cc", Field.Century, Casing.Upper),
        ("DAY", Field.DayName, Casing.Upper), ("Day", Field.DayName, Casing.Capital), ("day", Field.DayName, Casing.Lower),
        ("DDD", Field.DayOfYear, Casing.Upper), ("ddd", Field.DayOfYear, Casing.Upper), ("DD", Field.Day, Casing.Upper), ("dd", Field.Day, Casing.Upper),
        ("DY", Field.DayAbbrev, Casing.Upper), ("Dy", Field.DayAbbrev, Casing.Capital), ("dy", Field.DayAbbrev, Casing.Lower),
        ("D", Field.DayOfWeek, Casing.Upper), ("d", Field.DayOfWeek, Casing.Upper),
        ("FF1", Field.Ff1, Casing.Upper), ("FF2", Field.Ff2, Casing.Upper), ("FF3", Field.Ff3, Casing.Upper), ("FF4", Field.Ff4, Casing.Upper),
        ("FF5", Field.Ff5, Casing.Upper), ("FF6", Field.Ff6, Casing.Upper), ("ff1", Field.Ff1, Casing.Upper), ("ff2", Field.Ff2, Casing.Upper),
        ("ff3", Field.Ff3, Casing.Upper), ("ff4", Field.Ff4, Casing.Upper), ("ff5", Field.Ff5, Casing.Upper), ("ff6", Field.Ff6, Casing.Upper),
        ("FX", Field.Fx, Casing.Upper), ("fx", Field.Fx, Casing.Upper),
        ("HH24", Field.Hour24, Casing.Upper), ("hh24", Field.Hour24, Casing.Upper), ("HH12", Field.Hour12, Casing.Upper), ("hh12", Field.Hour12, Casing.Upper),
        ("HH", Field.Hour12, Casing.Upper), ("hh", Field.Hour12, Casing.Upper),
        ("IDDD", Field.IsoDayOfYear, Casing.Upper), ("iddd", Field.IsoDayOfYear, Casing.Upper), ("ID", Field.IsoDayOfWeek, Casing.Upper), ("id", Field.IsoDayOfWeek, Casing.Upper),
        ("IW", Field.IsoWeek, Casing.Upper), ("iw", Field.IsoWeek, Casing.Upper),
        ("IYYY", Field.IsoYear4, Casing.Upper), ("iyyy", Field.IsoYear4, Casing.Upper), ("IYY", Field.IsoYear3, Casing.Upper), ("iyy", Field.IsoYear3, Casing.Upper),
        ("IY", Field.IsoYear2, Casing.Upper), ("iy", Field.IsoYear2, Casing.Upper), ("I", Field.IsoYear1, Casing.Upper), ("i", Field.IsoYear1, Casing.Upper),
        ("J", Field.Julian, Casing.Upper), ("j", Field.Julian, Casing.Upper),
        ("MI", Field.Minute, Casing.Upper), ("mi", Field.Minute, Casing.Upper), ("MM", Field.Month, Casing.Upper), ("mm", Field.Month, Casing.Upper),
        ("MONTH", Field.MonthName, Casing.Upper), ("Month", Field.MonthName, Casing.Capital), ("month", Field.MonthName, Casing.Lower),
        ("MON", Field.MonthAbbrev, Casing.Upper), ("Mon", Field.MonthAbbrev, Casing.Capital), ("mon", Field.MonthAbbrev, Casing.Lower),
        ("MS", Field.Millisecond, Casing.Upper), ("ms", Field.Millisecond, Casing.Upper),
        ("OF", Field.Offset, Casing.Upper), ("of", Field.Offset, Casing.Upper),
        ("P.M.", Field.AmPmDots, Casing.Upper), ("p.m.", Field.AmPmDots, Casing.Lower), ("PM", Field.AmPm, Casing.Upper), ("pm", Field.AmPm, Casing.Lower),
        ("Q", Field.Quarter, Casing.Upper), ("q", Field.Quarter, Casing.Upper),
        ("RM", Field.RomanMonth, Casing.Upper), ("rm", Field.RomanMonth, Casing.Lower),
        ("SSSSS", Field.SecondsOfDay, Casing.Upper), ("sssss", Field.SecondsOfDay, Casing.Upper), ("SSSS", Field.SecondsOfDay, Casing.Upper), ("ssss", Field.SecondsOfDay, Casing.Upper),
        ("SS", Field.Second, Casing.Upper), ("ss", Field.Second, Casing.Upper),
        ("TZH", Field.OffsetHours, Casing.Upper), ("tzh", Field.OffsetHours, Casing.Upper), ("TZM", Field.OffsetMinutes, Casing.Upper), ("tzm", Field.OffsetMinutes, Casing.Upper),
        ("TZ", Field.ZoneName, Casing.Upper), ("tz", Field.ZoneName, Casing.Lower),
        ("US", Field.Microsecond, Casing.Upper), ("us", Field.Microsecond, Casing.Upper),
        ("WW", Field.WeekOfYear, Casing.Upper), ("ww", Field.WeekOfYear, Casing.Upper), ("W", Field.WeekOfMonth, Casing.Upper), ("w", Field.WeekOfMonth, Casing.Upper),
        ("Y,YYY", Field.YearComma, Casing.Upper), ("y,yyy", Field.YearComma, Casing.Upper), ("YYYY", Field.Year4, Casing.Upper), ("yyyy", Field.Year4, Casing.Upper),
        ("YYY", Field.Year3, Casing.Upper), ("yyy", Field.Year3, Casing.Upper), ("YY", Field.Year2, Casing.Upper), ("yy", Field.Year2, Casing.Upper),
        ("Y", Field.Year1, Casing.Upper), ("y", Field.Year1, Casing.Upper),
    ];

    private readonly Node[] _nodes;

    private readonly bool _empty;

    private PgDateTimeFormat(Node[] nodes, bool empty)
    {
        _nodes = nodes;
        _empty = empty;
    }

    private enum Field
    {
        Literal,
        Fx,
        Hour12,
        Hour24,
        Minute,
        Second,
        Millisecond,
        Microsecond,
        Ff1,
        Ff2,
        Ff3,
        Ff4,
        Ff5,
        Ff6,
        SecondsOfDay,
        AmPm,
        AmPmDots,
        YearComma,
        Year4,
        Year3,
        Year2,
        Year1,
        IsoYear4,
        IsoYear3,
        IsoYear2,
        IsoYear1,
        AdBc,
        AdBcDots,
        MonthName,
        MonthAbbrev,
        Month,
        DayName,
        DayAbbrev,
        DayOfYear,
        IsoDayOfYear,
        Day,
        DayOfWeek,
        IsoDayOfWeek,
        WeekOfMonth,
        WeekOfYear,
        IsoWeek,
        Century,
        Julian,
        Quarter,
        RomanMonth,
        ZoneName,
        OffsetHours,
        OffsetMinutes,
        Offset,
    }

    private enum Casing
    {
        Upper,
        Capital,
        Lower,
    }

    /// <summary>Parses a template; never fails, as PostgreSQL copies whatever is not a pattern.</summary>
    public static PgDateTimeFormat Parse(string template)
    {
        var nodes = new List<Node>();
        var literal = new StringBuilder();
        var pos = 0;
        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                nodes.Add(new Node(Field.Literal, Casing.Upper, false, Suffix.None, literal.ToString(), "", false));
                literal.Clear();
            }
        }

        while (pos < template.Length)
        {
            var fillMode = false;
            var start = pos;

            // FM (fill mode) and TM (translation mode; names are English anyway) prefix the next pattern.
            while (pos + 1 < template.Length && (string.CompareOrdinal(template, pos, "FM", 0, 2) == 0 || string.CompareOrdinal(template, pos, "fm", 0, 2) == 0
                || string.CompareOrdinal(template, pos, "TM", 0, 2) == 0 || string.CompareOrdinal(template, pos, "tm", 0, 2) == 0))
            {
                fillMode |= char.ToUpperInvariant(template[pos]) == 'F';
                pos += 2;
            }

            var keyword = MatchKeyword(template, pos);
            if (keyword is { } k)
            {
                FlushLiteral();
                pos += k.Text.Length;
                var suffix = Suffix.None;
                if (pos + 1 < template.Length && template[pos] is 'T' or 't' && template[pos + 1] == (template[pos] == 'T' ? 'H' : 'h'))
                {
                    suffix = template[pos] == 'T' ? Suffix.Upper : Suffix.Lower;
                    pos += 2;
                }
                else if (pos + 1 < template.Length && ((template[pos] == 'S' && template[pos + 1] == 'P') || (template[pos] == 's' && template[pos + 1] == 'p')))
                {
                    pos += 2;
                }

                nodes.Add(new Node(k.Field, k.Casing, fillMode, suffix, "", k.Text, false));
                continue;
            }

            if (pos > start)
            {
                // A bare FM/TM prefix with no pattern after it is consumed silently.
                continue;
            }

            var c = template[pos];
            if (c == '"')
            {
                // Quoted text: copied as is; inside it a backslash escapes the next character.
                FlushLiteral();
                pos++;
                var quoted = new StringBuilder();
                while (pos < template.Length && template[pos] != '"')
                {
                    if (template[pos] == '\\' && pos + 1 < template.Length)
                    {
                        pos++;
                    }

                    quoted.Append(template[pos++]);
                }

                pos++;
                nodes.Add(new Node(Field.Literal, Casing.Upper, false, Suffix.None, quoted.ToString(), "", true));
                continue;
            }

            if (c == '\\' && pos + 1 < template.Length && template[pos + 1] == '"')
            {
                literal.Append('"');
                pos += 2;
                continue;
            }

            literal.Append(c);
            pos++;
        }

        FlushLiteral();
        return new PgDateTimeFormat([.. nodes], template.Length == 0);
    }

    private static (string Text, Field Field, Casing Casing)? MatchKeyword(string template, int pos)
    {
        if (pos >= template.Length)
        {
            return null;
        }

        (string Text, Field Field, Casing Casing)? best = null;
        foreach (var keyword in Keywords)
        {
            if (keyword.Text[0] == template[pos] && string.CompareOrdinal(template, pos, keyword.Text, 0, keyword.Text.Length) == 0
                && (best is null || keyword.Text.Length > best.Value.Text.Length))
            {
                best = keyword;
            }
        }

        return best;
    }

    private enum Suffix
    {
        None,
        Upper,
        Lower,
    }

    private sealed record Node(Field Field, Casing Casing, bool FillMode, Suffix Suffix, string Text, string Keyword, bool Quoted);
}
