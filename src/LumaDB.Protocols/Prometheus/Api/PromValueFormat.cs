using System.Globalization;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// Formats numbers exactly as the Prometheus HTTP API does: sample values as the shortest decimal that
/// round-trips, never in exponent form (Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>), and timestamps as
/// seconds with up to millisecond precision.
/// </summary>
public static class PromValueFormat
{
    /// <summary>A sample value: "+Inf", "-Inf", "NaN" or a plain decimal.</summary>
    public static string Value(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? shortest : ExpandExponent(shortest, e);
    }

    /// <summary>Writes the timestamp (milliseconds) as Prometheus's JSON number of seconds.</summary>
    public static double Seconds(long milliseconds) => milliseconds / 1000.0;

    private static string ExpandExponent(string text, int e)
    {
        var negative = text[0] == '-';
        var mantissa = text[(negative ? 1 : 0)..e];
        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;
        string result;
        if (pointAt <= 0)
        {
            result = "0." + new string('0', -pointAt) + digits;
        }
        else if (pointAt >= digits.Length)
        {
            result = digits + new string('0', pointAt - digits.Length);
        }
        else
        {
            result = digits[..pointAt] + "." + digits[pointAt..];
        }

        return negative ? "-" + result : result;
    }
}
