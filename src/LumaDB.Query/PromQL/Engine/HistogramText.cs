using System.Globalization;
using System.Text;
using LumaDB.Engine.Metrics;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// A native histogram as Prometheus prints it where a histogram becomes text (count_values):
/// <c>{count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (1,2]:2}</c>, empty buckets left out.
/// </summary>
internal static class HistogramText
{
    public static string Format(FloatHistogram h)
    {
        var sb = new StringBuilder("{count:");
        sb.Append(G(h.Count)).Append(", sum:").Append(G(h.Sum));
        foreach (var b in h.AllBuckets())
        {
            if (b.Count == 0)
            {
                continue;
            }

            // Negative buckets include their lower bound, positive ones their upper bound, the zero bucket both.
            var zero = !h.UsesCustomBuckets && b.Lower == -h.ZeroThreshold && b.Upper == h.ZeroThreshold;
            var negative = !h.UsesCustomBuckets && !zero && b.Upper <= 0;
            sb.Append(", ").Append(zero || negative ? '[' : '(');
            sb.Append(G(b.Lower)).Append(',').Append(G(b.Upper));
            sb.Append(zero || !negative ? ']' : ')').Append(':').Append(G(b.Count));
        }

        return sb.Append('}').ToString();
    }

    /// <summary>Go's <c>%g</c>: shortest round-trip digits, exponent form when the exponent is below -4 or at least 6.</summary>
    public static string G(double v)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "+Inf" : "-Inf";
        }

        if (v == 0)
        {
            return double.IsNegative(v) ? "-0" : "0";
        }

        // Shortest digits and the decimal exponent of the first digit.
        var shortest = Math.Abs(v).ToString("R", CultureInfo.InvariantCulture);
        var digits = new StringBuilder();
        int exp;
        var e = shortest.IndexOfAny(['E', 'e']);
        var mant = e < 0 ? shortest : shortest[..e];
        var pow = e < 0 ? 0 : int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mant.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mant : mant[..dot];
        var frac = dot < 0 ? "" : mant[(dot + 1)..];
        var all = (intPart + frac).TrimStart('0');
        var leadingZeros = (intPart + frac).Length - all.Length;
        exp = intPart.Length - 1 - leadingZeros + pow;
        digits.Append(all.TrimEnd('0'));
        var d = digits.ToString();
        var sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 6)
        {
            var m = d.Length > 1 ? d[0] + "." + d[1..] : d;
            return sign + m + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        if (exp < 0)
        {
            return sign + "0." + new string('0', -exp - 1) + d;
        }

        return d.Length <= exp + 1 ? sign + d + new string('0', exp + 1 - d.Length) : sign + d[..(exp + 1)] + "." + d[(exp + 1)..];
    }
}
