using System.Globalization;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Testing;

/// <summary>
/// Parses series lines of test scripts: <c>name{l="v"} 1 2+3x4 _ stale {{...}}</c> and start-timestamp
/// sequences, expanding the <c>a+bxN</c> notation.
/// </summary>
public static class SeriesValueParser
{
    /// <summary>Splits a line into the series part and the rest (values), respecting quotes inside braces.</summary>
    public static (string Series, string Values) SplitSeries(string line)
    {
        var pos = 0;
        while (pos < line.Length && !char.IsWhiteSpace(line[pos]) && line[pos] != '{')
        {
            pos++;
        }

        if (pos < line.Length && line[pos] == '{')
        {
            char quote = '\0';
            for (; pos < line.Length; pos++)
            {
                var c = line[pos];
                if (quote != '\0')
                {
                    if (c == '\\' && quote != '`')
                    {
                        pos++;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '"' or '\'' or '`')
                {
                    quote = c;
                }
                else if (c == '}')
                {
                    pos++;
                    break;
                }
            }

            // A suffix glued to the braces, such as "@st", stays with the series.
            while (pos < line.Length && !char.IsWhiteSpace(line[pos]))
            {
                pos++;
            }
        }

        return (line[..pos], line[pos..].Trim());
    }

    /// <summary>Parses <c>name{a="b", "c"="d"}</c> into labels, the name as <c>__name__</c>.</summary>
    public static List<KeyValuePair<string, string>> ParseLabels(string series)
    {
        var tokens = PromQLLexer.Tokenize(series);
        var labels = new List<KeyValuePair<string, string>>();
        var i = 0;
        Token Next() => tokens[Math.Min(i++, tokens.Count - 1)];
        Token Peek() => tokens[Math.Min(i, tokens.Count - 1)];
        if (Peek().Kind is not (TokenKind.LeftBrace or TokenKind.Eof or TokenKind.Error or TokenKind.String))
        {
            labels.Add(new("__name__", Next().Text));
        }

        if (Peek().Kind == TokenKind.LeftBrace)
        {
            Next();
            while (Peek().Kind != TokenKind.RightBrace)
            {
                var name = Next();
                if (name.Kind is not (TokenKind.Identifier or TokenKind.String))
                {
                    throw new FormatException($"bad label name in series {series}: {name.Describe()}");
                }

                var nameText = name.Kind == TokenKind.String ? GoText.Unquote(name.Text)! : name.Text;
                if (name.Kind == TokenKind.String && Peek().Kind != TokenKind.Assign)
                {
                    labels.Add(new("__name__", nameText));
                }
                else
                {
                    if (Next().Kind != TokenKind.Assign || Peek().Kind != TokenKind.String)
                    {
                        throw new FormatException("expected label=\"value\" in series " + series);
                    }

                    labels.Add(new(nameText, GoText.Unquote(Next().Text) ?? throw new FormatException("bad string in " + series)));
                }

                if (Peek().Kind == TokenKind.Comma)
                {
                    Next();
                }
                else if (Peek().Kind != TokenKind.RightBrace)
                {
                    throw new FormatException($"unexpected {Peek().Describe()} in series {series}");
                }
            }

            Next();
        }

        if (Peek().Kind != TokenKind.Eof)
        {
            throw new FormatException($"unexpected {Peek().Describe()} in series {series}");
        }

        return labels;
    }

    /// <summary>Expands a value sequence into slots.</summary>
    public static List<SampleValue> ParseValues(string text)
    {
        var values = new List<SampleValue>();
        foreach (var item in SplitItems(text))
        {
            ExpandItem(item, values);
        }

        return values;
    }

    /// <summary>
    /// Parses one float as the test language allows: numbers, Inf/NaN with signs, or a duration in seconds.
    /// Hexadecimal is not a number here: as in Prometheus, <c>0x8</c> means "0, repeated 8 more times".
    /// </summary>
    public static bool TryParseValue(string text, out double value)
    {
        value = 0;
        if (text.Contains('x', StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (PromQLParser.TryParseNumber(text, out value))
        {
            return true;
        }

        var negative = text.StartsWith('-');
        var body = negative || text.StartsWith('+') ? text[1..] : text;
        if (PromDuration.TryParse(body, out var d, out _))
        {
            value = negative ? -d.TotalSeconds : d.TotalSeconds;
            return true;
        }

        return false;
    }

    /// <summary>Expands a start-timestamp sequence (<c>_ _x3 -30s 1mx2 -1m-1mx2</c>).</summary>
    public static List<TimeSpan?> ParseStartTimestamps(string text)
    {
        var result = new List<TimeSpan?>();
        foreach (var item in SplitItems(text))
        {
            foreach (var v in ParseValues(item))
            {
                result.Add(v.Kind == SampleKind.Omitted ? null : PromDuration.FromSeconds(v.Value));
            }
        }

        return result;
    }

    private static IEnumerable<string> SplitItems(string text)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]))
            {
                pos++;
                continue;
            }

            var start = pos;
            // Histogram literals contain spaces; skip over every {{...}} inside the item.
            while (pos < text.Length && !char.IsWhiteSpace(text[pos]))
            {
                if (string.CompareOrdinal(text, pos, "{{", 0, 2) == 0)
                {
                    var close = text.IndexOf("}}", pos, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        throw new FormatException("unclosed histogram literal: " + text[start..]);
                    }

                    pos = close + 2;
                    continue;
                }

                pos++;
            }

            yield return text[start..pos];
        }
    }

    private static void ExpandItem(string item, List<SampleValue> values)
    {
        if (item.StartsWith("{{", StringComparison.Ordinal))
        {
            ExpandHistogramItem(item, values);
            return;
        }

        switch (item)
        {
            case "_":
                values.Add(SampleValue.Omitted);
                return;
            case "stale":
                values.Add(SampleValue.Stale);
                return;
        }

        if (TryParseValue(item, out var single))
        {
            values.Add(SampleValue.Float(single));
            return;
        }

        var x = item.LastIndexOf('x');
        if (x <= 0 || !int.TryParse(item.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new FormatException("bad series value: " + item);
        }

        var head = item[..x];
        if (head == "_")
        {
            // "_xN" is N empty slots, unlike "axN" which is N+1 values.
            for (var i = 0; i < n; i++)
            {
                values.Add(SampleValue.Omitted);
            }

            return;
        }

        var (start, step) = SplitStartAndStep(head, item);
        for (var i = 0; i <= n; i++)
        {
            values.Add(SampleValue.Float(start + (i * step)));
        }
    }

    private static (double Start, double Step) SplitStartAndStep(string head, string item)
    {
        if (TryParseValue(head, out var only))
        {
            return (only, 0);
        }

        // The sign of the step is the first + or - after the start that is not an exponent sign.
        for (var i = 1; i < head.Length; i++)
        {
            if (head[i] is '+' or '-' && head[i - 1] is not ('e' or 'E'))
            {
                if (TryParseValue(head[..i], out var a) && TryParseValue(head[(i + 1)..], out var b))
                {
                    return (a, head[i] == '-' ? -b : b);
                }
            }
        }

        throw new FormatException("bad series value: " + item);
    }

    private static void ExpandHistogramItem(string item, List<SampleValue> values)
    {
        var close = item.IndexOf("}}", StringComparison.Ordinal) + 2;
        var first = HistogramLiteral.Parse(item[..close]);
        var rest = item[close..];
        if (rest.Length == 0)
        {
            values.Add(new SampleValue(SampleKind.Histogram, 0, first));
            return;
        }

        if (rest[0] == 'x' && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var copies))
        {
            for (var i = 0; i <= copies; i++)
            {
                values.Add(new SampleValue(SampleKind.Histogram, 0, first));
            }

            return;
        }

        if (rest[0] is '+' or '-' && rest.AsSpan(1).StartsWith("{{"))
        {
            var sign = rest[0] == '-' ? -1 : 1;
            var close2 = rest.IndexOf("}}", StringComparison.Ordinal) + 2;
            var increment = HistogramLiteral.Parse(rest[1..close2]);
            var tail = rest[close2..];
            if (tail.Length > 1 && tail[0] == 'x' && int.TryParse(tail.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                for (var i = 0; i <= n; i++)
                {
                    values.Add(new SampleValue(SampleKind.Histogram, 0, first, increment, sign * i));
                }

                return;
            }
        }

        throw new FormatException("bad histogram series value: " + item);
    }
}
