using System.Globalization;

namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>Reads the trace API's query parameters: durations like <c>250ms</c> and times as RFC 3339 or Unix seconds.</summary>
public static class TraceApiQuery
{
    /// <summary>A duration (<c>1.5s</c>, <c>250ms</c>, <c>100us</c>, <c>2m</c>, <c>1h</c>, <c>500ns</c>; a bare number is milliseconds) in nanoseconds.</summary>
    public static bool TryParseDurationNanos(string text, out long nanos)
    {
        nanos = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(span[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        double? scale = span[end..] switch
        {
            "" or "ms" => 1e6,
            "ns" => 1,
            "us" or "µs" => 1e3,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => null,
        };
        if (scale is null || number * scale.Value > long.MaxValue)
        {
            return false;
        }

        nanos = (long)(number * scale.Value);
        return true;
    }

    /// <summary>An instant as RFC 3339 or as (fractional) Unix seconds, in microseconds since the Unix epoch.</summary>
    public static bool TryParseTimeMicros(string text, out long micros)
    {
        micros = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || Math.Abs(seconds) > 9e12)
            {
                return false;
            }

            micros = (long)Math.Round(seconds * 1e6);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            micros = (instant.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
            return true;
        }

        return false;
    }
}
