using System.Globalization;

namespace LumaDB.Query.PromQL.Testing;

/// <summary>
/// A native histogram written as <c>{{schema:0 sum:5 count:4 buckets:[1 2 1]}}</c> in a test script.
/// Bucket counts are absolute (not deltas); every key is optional.
/// </summary>
public sealed record HistogramLiteral(string Raw)
{
    /// <summary>Bucket schema; -53 means custom buckets.</summary>
    public int Schema { get; init; }

    /// <summary>Sum of observations.</summary>
    public double Sum { get; init; }

    /// <summary>Count of observations.</summary>
    public double Count { get; init; }

    /// <summary>Count in the zero bucket.</summary>
    public double ZeroCount { get; init; }

    /// <summary>Zero bucket half-width.</summary>
    public double ZeroThreshold { get; init; }

    /// <summary>Positive bucket counts, starting at index <see cref="Offset"/>.</summary>
    public IReadOnlyList<double> PositiveBuckets { get; init; } = [];

    /// <summary>Index of the first positive bucket.</summary>
    public int Offset { get; init; }

    /// <summary>Negative bucket counts, starting at index <see cref="NegativeOffset"/>.</summary>
    public IReadOnlyList<double> NegativeBuckets { get; init; } = [];

    /// <summary>Index of the first negative bucket.</summary>
    public int NegativeOffset { get; init; }

    /// <summary>unknown, reset, not_reset or gauge; null when not written (so not checked in expectations).</summary>
    public string? CounterResetHint { get; init; }

    /// <summary>Upper bounds of custom buckets (schema -53).</summary>
    public IReadOnlyList<double> CustomValues { get; init; } = [];

    /// <summary>Parses the text between and including <c>{{</c> and <c>}}</c>.</summary>
    public static HistogramLiteral Parse(string raw)
    {
        if (!raw.StartsWith("{{", StringComparison.Ordinal) || !raw.EndsWith("}}", StringComparison.Ordinal))
        {
            throw new FormatException("histogram literal must be enclosed in {{ }}: " + raw);
        }

        var body = raw[2..^2];
        var h = new HistogramLiteral(raw);
        var pos = 0;
        while (true)
        {
            while (pos < body.Length && char.IsWhiteSpace(body[pos]))
            {
                pos++;
            }

            if (pos >= body.Length)
            {
                return h;
            }

            var colon = body.IndexOf(':', pos);
            if (colon < 0)
            {
                throw new FormatException("expected key:value in histogram literal: " + raw);
            }

            var key = body[pos..colon];
            pos = colon + 1;
            string value;
            if (pos < body.Length && body[pos] == '[')
            {
                var close = body.IndexOf(']', pos);
                if (close < 0)
                {
                    throw new FormatException("unclosed [ in histogram literal: " + raw);
                }

                value = body[(pos + 1)..close];
                pos = close + 1;
            }
            else
            {
                var end = pos;
                while (end < body.Length && !char.IsWhiteSpace(body[end]))
                {
                    end++;
                }

                value = body[pos..end];
                pos = end;
            }

            h = key switch
            {
                "schema" => h with { Schema = int.Parse(value, CultureInfo.InvariantCulture) },
                "sum" => h with { Sum = Number(value) },
                "count" => h with { Count = Number(value) },
                "z_bucket" => h with { ZeroCount = Number(value) },
                "z_bucket_w" => h with { ZeroThreshold = Number(value) },
                "buckets" => h with { PositiveBuckets = List(value) },
                "offset" => h with { Offset = int.Parse(value, CultureInfo.InvariantCulture) },
                "n_buckets" => h with { NegativeBuckets = List(value) },
                "n_offset" => h with { NegativeOffset = int.Parse(value, CultureInfo.InvariantCulture) },
                "counter_reset_hint" => h with { CounterResetHint = value },
                "custom_values" => h with { CustomValues = List(value) },
                _ => throw new FormatException($"unknown histogram key {key}: {raw}"),
            };
        }
    }

    private static double Number(string text) =>
        SeriesValueParser.TryParseValue(text, out var v) ? v : throw new FormatException("bad number in histogram literal: " + text);

    private static double[] List(string text) =>
        text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();
}
