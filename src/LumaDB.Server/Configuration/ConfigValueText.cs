using System.Globalization;
using System.Net;

namespace LumaDB.Server.Configuration;

/// <summary>Reads configuration values from text (environment variables, <c>--set</c>) and writes them back.</summary>
public static class ConfigValueText
{
    /// <summary>
    /// Converts text to the key's value type and checks its bounds.
    /// Returns null and sets <paramref name="problem"/> when the text does not fit.
    /// </summary>
    public static object? TryParse(ConfigKey key, string text, out string? problem)
    {
        problem = null;
        switch (key.Kind)
        {
            case ConfigValueKind.Integer:
                if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    problem = $"\"{text}\" is not an integer";
                    return null;
                }

                return CheckRange(key, number, number.ToString(CultureInfo.InvariantCulture), out problem) ? number : null;

            case ConfigValueKind.Boolean:
                if (text is "true" or "false")
                {
                    return text == "true";
                }

                problem = $"\"{text}\" is not true or false";
                return null;

            case ConfigValueKind.String:
                return text;

            case ConfigValueKind.Enum:
                var word = text.ToLowerInvariant();
                if (key.AllowedValues.Contains(word))
                {
                    return word;
                }

                problem = $"\"{text}\" is not an accepted value";
                return null;

            case ConfigValueKind.Duration:
                if (!TryParseDuration(text, out var duration))
                {
                    problem = $"\"{text}\" is not a duration";
                    return null;
                }

                return CheckRange(key, (long)duration.TotalMilliseconds, FormatDuration((long)duration.TotalMilliseconds), out problem) ? duration : null;

            case ConfigValueKind.Size:
                if (!TryParseSize(text, out var size))
                {
                    problem = $"\"{text}\" is not a size";
                    return null;
                }

                return CheckRange(key, size, FormatSize(size), out problem) ? size : null;

            case ConfigValueKind.Address:
                if (text.Length == 0 && key.AllowEmpty)
                {
                    return text;
                }

                if (IPAddress.TryParse(text, out _))
                {
                    return text;
                }

                problem = $"\"{text}\" is not an IP address";
                return null;

            default:
                problem = "unsupported value type";
                return null;
        }
    }

    private static bool CheckRange(ConfigKey key, long value, string shown, out string? problem)
    {
        problem = null;
        if (key.Minimum is { } min && value < min || key.Maximum is { } max && value > max)
        {
            problem = $"{shown} is out of range";
            return false;
        }

        return true;
    }

    /// <summary>Parses Go-style durations: a sequence of number+unit pairs (ms, s, m, h, d), e.g. <c>1h30m</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        if (span.SequenceEqual("0"))
        {
            return true;
        }

        double totalMs = 0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            span = span[digits..];
            var unitLength = 0;
            while (unitLength < span.Length && char.IsAsciiLetter(span[unitLength]))
            {
                unitLength++;
            }

            double unitMs = span[..unitLength] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                "w" => 7 * 86_400_000.0,
                _ => -1,
            };
            if (unitMs < 0)
            {
                return false;
            }

            totalMs += amount * unitMs;
            span = span[unitLength..];
        }

        if (totalMs > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>Writes a duration in the shortest exact form, e.g. <c>90s</c> becomes <c>1m30s</c>.</summary>
    public static string FormatDuration(long milliseconds)
    {
        if (milliseconds == 0)
        {
            return "0s";
        }

        var parts = new System.Text.StringBuilder();
        var rest = milliseconds;
        foreach (var (unit, ms) in DurationUnits)
        {
            if (rest >= ms)
            {
                parts.Append(CultureInfo.InvariantCulture, $"{rest / ms}{unit}");
                rest %= ms;
            }
        }

        return parts.ToString();
    }

    private static readonly (string Unit, long Ms)[] DurationUnits = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)];

    private static readonly (string Unit, long Bytes)[] SizeUnits =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1),
    ];

    /// <summary>Parses sizes like <c>64MiB</c>, <c>1.5GB</c> or a plain byte count.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
        {
            digits++;
        }

        if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var unit = span[digits..].Trim();
        long multiplier = 1;
        if (!unit.IsEmpty)
        {
            multiplier = 0;
            foreach (var (name, size) in SizeUnits)
            {
                if (unit.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    multiplier = size;
                    break;
                }
            }

            if (multiplier == 0)
            {
                return false;
            }
        }

        var total = amount * multiplier;
        if (total > long.MaxValue)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Writes a size in binary units when exact (<c>64MiB</c>), else in bytes.</summary>
    public static string FormatSize(long bytes)
    {
        foreach (var (unit, size) in SizeUnits.AsSpan(0, 4))
        {
            if (bytes >= size && bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    /// <summary>Writes a value as a TOML literal.</summary>
    public static string ToToml(ConfigKey key, object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l when key.Kind == ConfigValueKind.Size => Quote(FormatSize(l)),
        long l => l.ToString(CultureInfo.InvariantCulture),
        TimeSpan t => Quote(FormatDuration((long)t.TotalMilliseconds)),
        string s => Quote(s),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>Quotes a TOML basic string.</summary>
    public static string Quote(string s)
    {
        var escaped = s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return '"' + escaped + '"';
    }
}
