using System.Globalization;
using System.Text;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// Prometheus duration strings: integer-and-unit pairs from largest to smallest unit
/// (<c>y w d h m s ms</c>, d = 24h, w = 7d, y = 365d), e.g. <c>1h30m</c>; a bare <c>0</c> is zero.
/// </summary>
public static class PromDuration
{
    private static readonly (string Unit, long Millis)[] Units =
    [
        ("y", 365L * 24 * 3600 * 1000),
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000),
        ("ms", 1),
    ];

    /// <summary>Parses a duration; on failure <paramref name="error"/> holds Prometheus's message.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (text.Length == 0)
        {
            error = "empty duration string";
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        long totalMs = 0;
        var pos = 0;
        var nextUnit = 0;
        while (pos < text.Length)
        {
            var start = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }

            if (pos == start)
            {
                break;
            }

            var unitIndex = -1;
            for (var u = nextUnit; u < Units.Length; u++)
            {
                var unit = Units[u].Unit;
                if (string.CompareOrdinal(text, pos, unit, 0, unit.Length) != 0)
                {
                    continue;
                }

                // "m" must not swallow the "m" of "ms".
                if (unit == "m" && pos + 1 < text.Length && text[pos + 1] == 's')
                {
                    continue;
                }

                unitIndex = u;
                break;
            }

            if (unitIndex < 0)
            {
                break;
            }

            if (!long.TryParse(text.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = "duration out of range";
                return false;
            }

            try
            {
                totalMs = checked(totalMs + checked(n * Units[unitIndex].Millis));
            }
            catch (OverflowException)
            {
                error = "duration out of range";
                return false;
            }

            pos += Units[unitIndex].Unit.Length;
            nextUnit = unitIndex + 1;
        }

        if (pos != text.Length || nextUnit == 0)
        {
            error = "not a valid duration string: " + GoText.Quote(text);
            return false;
        }

        // Go's time.Duration is int64 nanoseconds.
        if (totalMs > long.MaxValue / 1_000_000)
        {
            error = "duration out of range";
            return false;
        }

        duration = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>Formats like Prometheus's <c>model.Duration</c>: <c>1h30m</c>, <c>90d</c>, <c>0s</c>; y and w only when exact.</summary>
    public static string Format(TimeSpan duration)
    {
        var ms = (long)Math.Round(duration.TotalMilliseconds);
        if (ms == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (ms < 0)
        {
            sb.Append('-');
            ms = -ms;
        }

        foreach (var (unit, mult) in Units)
        {
            var exactOnly = unit is "y" or "w";
            if (exactOnly && ms % mult != 0)
            {
                continue;
            }

            var v = ms / mult;
            if (v > 0)
            {
                sb.Append(v.ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms -= v * mult;
            }
        }

        return sb.ToString();
    }

    /// <summary>Converts float seconds to a duration, rounded to TimeSpan resolution (100 ns).</summary>
    public static TimeSpan FromSeconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
