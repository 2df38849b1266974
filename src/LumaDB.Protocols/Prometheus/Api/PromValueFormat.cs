using System.Buffers.Text;
using System.Globalization;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// Formats numbers exactly as the Prometheus HTTP API does: sample values as the shortest decimal that
/// round-trips, never in exponent form (Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>), and timestamps as
/// seconds with up to millisecond precision.
/// </summary>
public static class PromValueFormat
{
    /// <summary>A sample value: "+Inf", "-Inf", "NaN" or a plain decimal.</summary>
    public static string Value(double value) => GoText.FormatFloat(value);

    /// <summary>Writes the timestamp (milliseconds) as Prometheus's JSON number of seconds.</summary>
    public static double Seconds(long milliseconds) => milliseconds / 1000.0;

    /// <summary>
    /// Writes a sample value as <see cref="Value"/> does, as UTF-8 into <paramref name="destination"/>; false when
    /// it needs the slow path (exponent form, or no room).
    /// </summary>
    public static bool TryFormatValue(double value, Span<byte> destination, out int written)
    {
        if (!double.IsFinite(value))
        {
            var text = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8;
            written = text.Length;
            return text.TryCopyTo(destination);
        }

        // .NET's shortest round-trip digits match Go's; only the exponent form differs, and that is rare in metrics.
        if (!value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        return destination[..written].IndexOfAny((byte)'E', (byte)'e') < 0;
    }

    /// <summary>Writes the timestamp (milliseconds) as seconds with up to three decimals, the JSON number Prometheus writes.</summary>
    public static bool TryFormatSeconds(long milliseconds, Span<byte> destination, out int written)
    {
        written = 0;
        if (milliseconds < 0 || !Utf8Formatter.TryFormat(milliseconds / 1000, destination, out written))
        {
            return false;
        }

        var fraction = (int)(milliseconds % 1000);
        if (fraction == 0)
        {
            return true;
        }

        if (destination.Length < written + 4)
        {
            return false;
        }

        destination[written++] = (byte)'.';
        destination[written++] = (byte)('0' + (fraction / 100));
        fraction %= 100;
        if (fraction != 0)
        {
            destination[written++] = (byte)('0' + (fraction / 10));
            fraction %= 10;
            if (fraction != 0)
            {
                destination[written++] = (byte)('0' + fraction);
            }
        }

        return true;
    }
}
