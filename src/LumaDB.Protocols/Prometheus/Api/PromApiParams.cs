using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// Parses the API's timestamps and durations exactly as Prometheus does: a timestamp is unix seconds as a float
/// (rounded to the millisecond) or RFC 3339; a duration is float seconds or a Prometheus duration like <c>5m</c>.
/// </summary>
public static partial class PromApiParams
{
    /// <summary>Prometheus's lowest timestamp (ms), the default start of metadata queries.</summary>
    public const long MinTimeMs = -9223309901257974000;

    /// <summary>Prometheus's highest timestamp (ms), the default end of metadata queries.</summary>
    public const long MaxTimeMs = 9223309901257974999;

    // What Prometheus's MinTime and MaxTime print as; clients echo them back.
    private const string MinTimeText = "-292273086-05-16T16:47:06Z";
    private const string MaxTimeText = "292277025-08-18T07:12:54.999999999Z";

    /// <summary>Parses a timestamp to ms; on failure <paramref name="error"/> is Prometheus's message.</summary>
    public static bool TryParseTime(string text, out long ms, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (TryParseFloat(text, out var seconds))
        {
            // Whole seconds and the fraction rounded to the millisecond, as Go's math.Modf and math.Round do.
            var whole = Math.Truncate(seconds);
            var fraction = Math.Round((seconds - whole) * 1000, MidpointRounding.AwayFromZero);
            if (Math.Abs(whole) < 9.2e15)
            {
                ms = ((long)whole * 1000) + (long)fraction;
                return true;
            }
        }
        else if (TryParseRfc3339(text, out ms))
        {
            return true;
        }
        else if (text == MinTimeText)
        {
            ms = MinTimeMs;
            return true;
        }
        else if (text == MaxTimeText)
        {
            ms = MaxTimeMs;
            return true;
        }

        ms = 0;
        error = $"cannot parse {GoText.Quote(text)} to a valid timestamp";
        return false;
    }

    /// <summary>Parses a duration to ms; on failure <paramref name="error"/> is Prometheus's message.</summary>
    public static bool TryParseDuration(string text, out long ms, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (TryParseFloat(text, out var seconds))
        {
            var nanos = seconds * 1e9;
            if (nanos > long.MaxValue || nanos < long.MinValue)
            {
                ms = 0;
                error = $"cannot parse {GoText.Quote(text)} to a valid duration. It overflows int64";
                return false;
            }

            // Go keeps nanoseconds; the engine works in milliseconds.
            ms = (long)nanos / 1_000_000;
            return true;
        }

        if (PromDuration.TryParse(text, out var duration, out _))
        {
            ms = (long)duration.TotalMilliseconds;
            return true;
        }

        ms = 0;
        error = $"cannot parse {GoText.Quote(text)} to a valid duration";
        return false;
    }

    // Go's strconv.ParseFloat: decimal or exponent forms, "inf"/"nan" spelled out; no thousands separators or spaces.
    private static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return double.IsFinite(value);
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static bool TryParseRfc3339(string text, out long ms)
    {
        ms = 0;
        var m = Rfc3339().Match(text);
        if (!m.Success)
        {
            return false;
        }

        int Part(int group) => int.Parse(m.Groups[group].ValueSpan, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute, second) = (Part(1), Part(2), Part(3), Part(4), Part(5), Part(6));
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }

        var offsetMinutes = 0;
        var zone = m.Groups[8].Value;
        if (zone != "Z")
        {
            var h = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var mm = int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture);
            if (h > 23 || mm > 59)
            {
                return false;
            }

            offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((h * 60) + mm);
        }

        var utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddMinutes(-offsetMinutes);
        var fraction = m.Groups[7].Success ? m.Groups[7].Value.PadRight(9, '0') : "000000000";
        ms = new DateTimeOffset(utc).ToUnixTimeMilliseconds() + (int.Parse(fraction.AsSpan(0, 3), CultureInfo.InvariantCulture));
        return true;
    }
}
