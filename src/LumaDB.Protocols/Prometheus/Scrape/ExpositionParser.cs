using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LumaDB.Protocols.Prometheus.RemoteWrite;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>
/// Parses Prometheus text format and OpenMetrics scrape bodies line by line into an <see cref="IExpositionSink"/>.
/// Hand-written because no maintained .NET parser for these formats exists. Reuses its scratch buffers
/// between lines and calls, so a steady scrape loop allocates nothing per sample.
/// </summary>
public sealed class ExpositionParser
{
    private byte[] _scratch = new byte[1024];
    private int _scratchLength;
    private LabelRef[] _labels = new LabelRef[16];
    private int _labelCount;

    /// <summary>Picks the format from a scrape response's Content-Type.</summary>
    public static ExpositionFormat FormatOf(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? ExpositionFormat.OpenMetrics
            : ExpositionFormat.PrometheusText;

    /// <summary>Parses a whole body. Returns false with a message naming the line on the first error.</summary>
    public bool TryParse<TSink>(ReadOnlySpan<byte> body, ExpositionFormat format, ref TSink sink, out int samples, out string? error)
        where TSink : IExpositionSink
    {
        samples = 0;
        error = null;
        var lineNumber = 0;
        var sawEof = false;
        while (!body.IsEmpty)
        {
            lineNumber++;
            var newline = body.IndexOf((byte)'\n');
            var line = newline < 0 ? body : body[..newline];
            body = newline < 0 ? default : body[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == '\r' && format == ExpositionFormat.PrometheusText)
            {
                line = line[..^1];
            }

            if (sawEof)
            {
                return Fail(out error, lineNumber, "content after # EOF");
            }

            if (line.IsEmpty || IsBlank(line))
            {
                if (format == ExpositionFormat.OpenMetrics)
                {
                    return Fail(out error, lineNumber, "empty lines are not allowed in OpenMetrics");
                }

                continue;
            }

            if (line[0] == '#')
            {
                if (format == ExpositionFormat.OpenMetrics && line.SequenceEqual("# EOF"u8))
                {
                    sawEof = true;
                    continue;
                }

                if (!TryParseComment(line, format, ref sink, out var problem))
                {
                    return Fail(out error, lineNumber, problem!);
                }

                continue;
            }

            if (!TryParseSample(line, format, ref sink, out var sampleProblem))
            {
                return Fail(out error, lineNumber, sampleProblem!);
            }

            samples++;
        }

        if (format == ExpositionFormat.OpenMetrics && !sawEof)
        {
            return Fail(out error, lineNumber, "OpenMetrics body does not end with # EOF");
        }

        return true;
    }

    private bool TryParseComment<TSink>(ReadOnlySpan<byte> line, ExpositionFormat format, ref TSink sink, out string? problem)
        where TSink : IExpositionSink
    {
        problem = null;
        var rest = line[1..].TrimStart(" \t"u8);
        var keyword = TakeWord(ref rest);
        var isHelp = keyword.SequenceEqual("HELP"u8);
        var isType = keyword.SequenceEqual("TYPE"u8);
        var isUnit = keyword.SequenceEqual("UNIT"u8) && format == ExpositionFormat.OpenMetrics;
        if (!isHelp && !isType && !isUnit)
        {
            // Any other comment is free text in the Prometheus format.
            return format == ExpositionFormat.PrometheusText || Problem(out problem, "unknown comment; expected HELP, TYPE, UNIT or EOF");
        }

        rest = rest.TrimStart(" \t"u8);
        _scratchLength = 0;
        if (!TryReadName(ref rest, out var familyOffset, out var familyLength, out problem))
        {
            return false;
        }

        if (!rest.IsEmpty && rest[0] != ' ' && rest[0] != '\t')
        {
            return Problem(out problem, "expected a space after the metric family name");
        }

        rest = rest.IsEmpty ? rest : rest[1..];
        var family = _scratch.AsSpan(familyOffset, familyLength);
        if (isType)
        {
            var typeWord = rest.Trim(" \t"u8);
            MetricType? type = typeWord switch
            {
                _ when typeWord.SequenceEqual("counter"u8) => MetricType.Counter,
                _ when typeWord.SequenceEqual("gauge"u8) => MetricType.Gauge,
                _ when typeWord.SequenceEqual("histogram"u8) => MetricType.Histogram,
                _ when typeWord.SequenceEqual("gaugehistogram"u8) => MetricType.GaugeHistogram,
                _ when typeWord.SequenceEqual("summary"u8) => MetricType.Summary,
                _ when typeWord.SequenceEqual("info"u8) => MetricType.Info,
                _ when typeWord.SequenceEqual("stateset"u8) => MetricType.StateSet,
                _ when typeWord.SequenceEqual("untyped"u8) || typeWord.SequenceEqual("unknown"u8) => MetricType.Unknown,
                _ => null,
            };
            if (type is null)
            {
                return Problem(out problem, $"unknown metric type \"{Encoding.UTF8.GetString(typeWord)}\"");
            }

            sink.Type(family, type.Value);
            return true;
        }

        // HELP text escapes \\ and \n (OpenMetrics also \"); unescape into scratch after the family name.
        var textOffset = _scratchLength;
        if (!TryUnescape(rest, format == ExpositionFormat.OpenMetrics, out problem))
        {
            return false;
        }

        var text = _scratch.AsSpan(textOffset, _scratchLength - textOffset);
        family = _scratch.AsSpan(familyOffset, familyLength);
        if (isHelp)
        {
            sink.Help(family, text);
        }
        else
        {
            sink.Unit(family, text);
        }

        return true;
    }

    private bool TryParseSample<TSink>(ReadOnlySpan<byte> line, ExpositionFormat format, ref TSink sink, out string? problem)
        where TSink : IExpositionSink
    {
        _scratchLength = 0;
        _labelCount = 0;
        var rest = line;
        var nameOffset = 0;
        var nameLength = 0;
        if (rest[0] != '{')
        {
            if (!TryReadName(ref rest, out nameOffset, out nameLength, out problem))
            {
                return false;
            }
        }

        if (!rest.IsEmpty && rest[0] == '{')
        {
            rest = rest[1..];
            if (!TryReadLabels(ref rest, allowQuotedName: nameLength == 0, ref nameOffset, ref nameLength, out problem))
            {
                return false;
            }
        }

        if (nameLength == 0)
        {
            return Problem(out problem, "sample has no metric name");
        }

        AddLabel(new LabelRef(AppendScratch("__name__"u8), 8, nameOffset, nameLength));
        var labels = _labels.AsSpan(0, _labelCount);
        LabelRef.SortByName(_scratch, labels);
        for (var i = 1; i < labels.Length; i++)
        {
            if (labels[i].Name(_scratch).SequenceEqual(labels[i - 1].Name(_scratch)))
            {
                return Problem(out problem, $"duplicate label name \"{Encoding.UTF8.GetString(labels[i].Name(_scratch))}\"");
            }
        }

        if (rest.IsEmpty || (rest[0] != ' ' && rest[0] != '\t'))
        {
            return Problem(out problem, "expected a space before the value");
        }

        rest = rest.TrimStart(" \t"u8);
        var exemplarAt = format == ExpositionFormat.OpenMetrics ? rest.IndexOf(" # "u8) : -1;
        var exemplar = exemplarAt >= 0 ? rest[(exemplarAt + 3)..] : default;
        if (exemplarAt >= 0)
        {
            rest = rest[..exemplarAt];
        }

        if (!TryReadValueAndTimestamp(rest, format, out var value, out var timestamp, out problem))
        {
            return false;
        }

        sink.Sample(_scratch, labels, value, timestamp);
        if (exemplarAt >= 0)
        {
            return TryParseExemplar(exemplar, format, ref sink, out problem);
        }

        problem = null;
        return true;
    }

    private bool TryParseExemplar<TSink>(ReadOnlySpan<byte> text, ExpositionFormat format, ref TSink sink, out string? problem)
        where TSink : IExpositionSink
    {
        if (text.IsEmpty || text[0] != '{')
        {
            return Problem(out problem, "exemplar must start with a label set");
        }

        _labelCount = 0;
        var rest = text[1..];
        int unusedOffset = 0, unusedLength = 0;
        if (!TryReadLabels(ref rest, allowQuotedName: false, ref unusedOffset, ref unusedLength, out problem))
        {
            return false;
        }

        rest = rest.TrimStart(" \t"u8);
        if (!TryReadValueAndTimestamp(rest, format, out var value, out var timestamp, out problem))
        {
            return false;
        }

        var labels = _labels.AsSpan(0, _labelCount);
        LabelRef.SortByName(_scratch, labels);
        sink.Exemplar(_scratch, labels, value, timestamp);
        return true;
    }

    private bool TryReadLabels(ref ReadOnlySpan<byte> rest, bool allowQuotedName, ref int nameOffset, ref int nameLength, out string? problem)
    {
        problem = null;
        while (true)
        {
            rest = rest.TrimStart(" \t"u8);
            if (rest.IsEmpty)
            {
                return Problem(out problem, "unterminated label set");
            }

            if (rest[0] == '}')
            {
                rest = rest[1..];
                return true;
            }

            if (!TryReadName(ref rest, out var labelOffset, out var labelLength, out problem))
            {
                return false;
            }

            rest = rest.TrimStart(" \t"u8);
            if (allowQuotedName && !rest.IsEmpty && (rest[0] == ',' || rest[0] == '}') && nameLength == 0)
            {
                // {"metric.name", ...}: a quoted metric name standing alone inside the braces.
                nameOffset = labelOffset;
                nameLength = labelLength;
            }
            else
            {
                if (rest.IsEmpty || rest[0] != '=')
                {
                    return Problem(out problem, "expected = after a label name");
                }

                rest = rest[1..].TrimStart(" \t"u8);
                if (rest.IsEmpty || rest[0] != '"')
                {
                    return Problem(out problem, "expected a quoted label value");
                }

                if (!TryReadQuoted(ref rest, out var valueOffset, out var valueLength, out problem))
                {
                    return false;
                }

                if (valueLength > 0)
                {
                    AddLabel(new LabelRef(labelOffset, labelLength, valueOffset, valueLength));
                }
            }

            rest = rest.TrimStart(" \t"u8);
            if (!rest.IsEmpty && rest[0] == ',')
            {
                rest = rest[1..];
            }
            else if (rest.IsEmpty || rest[0] != '}')
            {
                return Problem(out problem, "expected , or } in a label set");
            }
        }
    }

    /// <summary>Reads a bare name ([a-zA-Z_:][a-zA-Z0-9_:]*) or a quoted UTF-8 name into scratch.</summary>
    private bool TryReadName(ref ReadOnlySpan<byte> rest, out int offset, out int length, out string? problem)
    {
        problem = null;
        if (!rest.IsEmpty && rest[0] == '"')
        {
            return TryReadQuoted(ref rest, out offset, out length, out problem) && (length > 0 || Problem(out problem, "empty quoted name"));
        }

        var end = 0;
        while (end < rest.Length && IsNameChar(rest[end], end == 0))
        {
            end++;
        }

        offset = 0;
        length = 0;
        if (end == 0)
        {
            return Problem(out problem, "expected a metric or label name");
        }

        offset = AppendScratch(rest[..end]);
        length = end;
        rest = rest[end..];
        return true;
    }

    private bool TryReadQuoted(ref ReadOnlySpan<byte> rest, out int offset, out int length, out string? problem)
    {
        offset = _scratchLength;
        length = 0;
        var i = 1;
        while (i < rest.Length && rest[i] != '"')
        {
            i += rest[i] == '\\' ? 2 : 1;
        }

        if (i >= rest.Length)
        {
            return Problem(out problem, "unterminated quoted string");
        }

        if (!TryUnescape(rest[1..i], allowQuote: true, out problem))
        {
            return false;
        }

        length = _scratchLength - offset;
        rest = rest[(i + 1)..];
        return true;
    }

    private bool TryUnescape(ReadOnlySpan<byte> text, bool allowQuote, out string? problem)
    {
        problem = null;
        EnsureScratch(text.Length);
        var start = _scratchLength;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                b = next switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'\\' => (byte)'\\',
                    (byte)'"' when allowQuote => (byte)'"',
                    _ => 0,
                };
                if (b == 0)
                {
                    // Unknown escapes are kept literally, as Prometheus does.
                    _scratch[_scratchLength++] = (byte)'\\';
                    b = next;
                }
            }

            _scratch[_scratchLength++] = b;
        }

        return Utf8.IsValid(_scratch.AsSpan(start, _scratchLength - start)) || Problem(out problem, "text is not valid UTF-8");
    }

    private static bool TryReadValueAndTimestamp(ReadOnlySpan<byte> rest, ExpositionFormat format, out double value, out long? timestamp, out string? problem)
    {
        timestamp = null;
        problem = null;
        var valueText = TakeWord(ref rest);
        if (!TryParseFloat(valueText, out value))
        {
            return Problem(out problem, $"invalid value \"{Encoding.UTF8.GetString(valueText)}\"");
        }

        rest = rest.Trim(" \t"u8);
        if (rest.IsEmpty)
        {
            return true;
        }

        if (format == ExpositionFormat.PrometheusText)
        {
            if (!Utf8Parser.TryParse(rest, out long ms, out var consumed) || consumed != rest.Length)
            {
                return Problem(out problem, $"invalid timestamp \"{Encoding.UTF8.GetString(rest)}\"");
            }

            timestamp = ms;
            return true;
        }

        if (!TryParseFloat(rest, out var seconds) || !double.IsFinite(seconds))
        {
            return Problem(out problem, $"invalid timestamp \"{Encoding.UTF8.GetString(rest)}\"");
        }

        timestamp = (long)Math.Round(seconds * 1000);
        return true;
    }

    private static bool TryParseFloat(ReadOnlySpan<byte> text, out double value)
    {
        if (Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length)
        {
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "NaN"u8))
        {
            value = double.NaN;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "+Inf"u8) || Ascii.EqualsIgnoreCase(text, "Inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "-Inf"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        // Forms the UTF-8 parser does not take (a leading '+', say) go through the general parser.
        Span<char> chars = stackalloc char[64];
        return text.Length <= chars.Length
            && Ascii.ToUtf16(text, chars, out var written) == System.Buffers.OperationStatus.Done
            && double.TryParse(chars[..written], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static ReadOnlySpan<byte> TakeWord(ref ReadOnlySpan<byte> rest)
    {
        var end = rest.IndexOfAny(" \t"u8);
        var word = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[end..];
        return word;
    }

    private static bool IsNameChar(byte b, bool first) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)':' || (!first && b is >= (byte)'0' and <= (byte)'9');

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.TrimStart(" \t"u8).IsEmpty;

    private int AppendScratch(ReadOnlySpan<byte> bytes)
    {
        EnsureScratch(bytes.Length);
        var offset = _scratchLength;
        bytes.CopyTo(_scratch.AsSpan(offset));
        _scratchLength += bytes.Length;
        return offset;
    }

    private void EnsureScratch(int more)
    {
        if (_scratchLength + more > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + more));
        }
    }

    private void AddLabel(LabelRef label)
    {
        if (_labelCount == _labels.Length)
        {
            Array.Resize(ref _labels, _labels.Length * 2);
        }

        _labels[_labelCount++] = label;
    }

    private static bool Problem(out string? problem, string message)
    {
        problem = message;
        return false;
    }

    private static bool Fail(out string? error, int line, string message)
    {
        error = $"line {line}: {message}";
        return false;
    }
}
