using System.Text.RegularExpressions;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Testing;

/// <summary>
/// Reader for Prometheus's PromQL test-script language (<c>promqltest</c>): <c>load</c>, <c>load_with_nhcb</c>,
/// <c>clear</c> and the <c>eval</c> variants with their <c>expect</c> lines and expected results. A command's
/// block ends at a blank line; comment lines count as blank. Malformed input throws <see cref="FormatException"/>
/// naming the line.
/// </summary>
public sealed partial class PromQLTestScript
{
    private PromQLTestScript(string? name, IReadOnlyList<TestCommand> commands)
    {
        Name = name;
        Commands = commands;
    }

    /// <summary>The file name, if read from a file.</summary>
    public string? Name { get; }

    /// <summary>The commands in order.</summary>
    public IReadOnlyList<TestCommand> Commands { get; }

    /// <summary>All eval commands.</summary>
    public IEnumerable<EvalCommand> Evals => Commands.OfType<EvalCommand>();

    /// <summary>Reads a script file.</summary>
    public static PromQLTestScript Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses script text.</summary>
    public static PromQLTestScript Parse(string text, string? name = null)
    {
        var lines = text.Split('\n');
        var commands = new List<TestCommand>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = Clean(lines[i]);
            if (line.Length == 0)
            {
                i++;
                continue;
            }

            var lineNumber = i + 1;
            if (string.Equals(line, "clear", StringComparison.OrdinalIgnoreCase))
            {
                // clear takes no block: the next line may start another command directly.
                commands.Add(new ClearCommand(lineNumber));
                i++;
                continue;
            }

            var block = new List<(int Line, string Text)>();
            for (i++; i < lines.Length; i++)
            {
                var body = Clean(lines[i]);
                if (body.Length == 0)
                {
                    break;
                }

                block.Add((i + 1, body));
            }

            try
            {
                commands.Add(ParseCommand(lineNumber, line, block));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{name ?? "script"}:{lineNumber}: {e.Message}", e);
            }
        }

        return new PromQLTestScript(name, commands);
    }

    // Comment lines are treated as blank, so they end the current block.
    private static string Clean(string line)
    {
        var trimmed = line.Trim();
        return trimmed.StartsWith('#') ? "" : trimmed;
    }

    private static TestCommand ParseCommand(int line, string header, List<(int Line, string Text)> block)
    {
        var word = header.Split([' ', '\t'], 2)[0].ToLowerInvariant();
        switch (word)
        {
            case "clear":
                return new ClearCommand(line);
            case "load" or "load_with_nhcb":
                return ParseLoad(line, header, word == "load_with_nhcb", block);
            case "eval" or "eval_fail" or "eval_warn" or "eval_info" or "eval_ordered":
                return ParseEval(line, header, word, block);
            default:
                throw new FormatException("unknown command " + word);
        }
    }

    private static LoadCommand ParseLoad(int line, string header, bool nhcb, List<(int Line, string Text)> block)
    {
        var parts = header.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new FormatException("expected load <interval>");
        }

        var interval = ParseTime(parts[1]);
        var series = new List<SeriesDescription>();
        List<TimeSpan?>? pendingStart = null;
        foreach (var (_, text) in block)
        {
            var (seriesText, rest) = SeriesValueParser.SplitSeries(text);
            if (seriesText.EndsWith("@st", StringComparison.Ordinal))
            {
                // A start-timestamp line describes the sample line that follows it.
                pendingStart = SeriesValueParser.ParseStartTimestamps(rest);
                continue;
            }

            var labels = SeriesValueParser.ParseLabels(seriesText);
            var values = SeriesValueParser.ParseValues(rest);
            series.Add(new SeriesDescription(seriesText, labels, values) { StartTimestampOffsets = pendingStart });
            pendingStart = null;
        }

        return new LoadCommand(line, interval, nhcb, series);
    }

    [GeneratedRegex(@"^instant\s+(?:at\s+(\S+)\s+)?(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangeVectorPattern();

    private static EvalCommand ParseEval(int line, string header, string variant, List<(int Line, string Text)> block)
    {
        var rest = header[variant.Length..].Trim();
        EvalCommand cmd;
        if (InstantPattern().Match(rest) is { Success: true } im)
        {
            var at = im.Groups[1].Success ? ParseTime(im.Groups[1].Value) : TimeSpan.Zero;
            cmd = new EvalCommand(line, EvalKind.Instant, im.Groups[2].Value.Trim()) { At = at };
        }
        else if (RangePattern().Match(rest) is { Success: true } rm)
        {
            cmd = new EvalCommand(line, EvalKind.Range, rm.Groups[4].Value.Trim())
            {
                Start = ParseTime(rm.Groups[1].Value),
                End = ParseTime(rm.Groups[2].Value),
                Step = ParseTime(rm.Groups[3].Value),
            };
        }
        else
        {
            throw new FormatException("invalid eval command: " + header);
        }

        cmd = variant switch
        {
            "eval_fail" => cmd with { Fail = new FailExpectation(null, null) },
            "eval_warn" => cmd with { Warnings = [new AnnotationExpectation(null, null)] },
            "eval_info" => cmd with { Infos = [new AnnotationExpectation(null, null)] },
            "eval_ordered" => cmd with { Ordered = true },
            _ => cmd,
        };
        cmd = cmd with { Variant = variant };
        return ApplyBlock(cmd, block);
    }

    private static EvalCommand ApplyBlock(EvalCommand cmd, List<(int Line, string Text)> block)
    {
        var warnings = new List<AnnotationExpectation>(cmd.Warnings);
        var infos = new List<AnnotationExpectation>(cmd.Infos);
        var series = new List<SeriesDescription>();
        var seriesLines = new List<int>();
        foreach (var (lineNumber, text) in block)
        {
            if (text.StartsWith("expected_fail_message ", StringComparison.Ordinal))
            {
                cmd = cmd with { Fail = new FailExpectation(text["expected_fail_message ".Length..].Trim(), null) };
            }
            else if (text.StartsWith("expected_fail_regexp ", StringComparison.Ordinal))
            {
                cmd = cmd with { Fail = new FailExpectation(null, text["expected_fail_regexp ".Length..].Trim()) };
            }
            else if (text.StartsWith("expect ", StringComparison.Ordinal))
            {
                cmd = ApplyExpect(cmd, text["expect ".Length..].Trim(), warnings, infos);
            }
            else if (SeriesValueParser.TryParseValue(text, out var scalar))
            {
                cmd = cmd with { ExpectedScalar = scalar };
            }
            else
            {
                var (seriesText, values) = SeriesValueParser.SplitSeries(text);
                series.Add(new SeriesDescription(seriesText, SeriesValueParser.ParseLabels(seriesText), SeriesValueParser.ParseValues(values)));
                seriesLines.Add(lineNumber);
            }
        }

        return cmd with { Warnings = warnings, Infos = infos, ExpectedSeries = series, ExpectedSeriesLines = seriesLines };
    }

    private static EvalCommand ApplyExpect(EvalCommand cmd, string text, List<AnnotationExpectation> warnings, List<AnnotationExpectation> infos)
    {
        var (kind, argument) = SplitWord(text);
        switch (kind)
        {
            case "fail":
                var (msg, regex) = ParseMessageOrRegex(argument);
                return cmd with { Fail = new FailExpectation(msg, regex) };
            case "warn":
                var (wm, wr) = ParseMessageOrRegex(argument);
                warnings.Add(new AnnotationExpectation(wm, wr));
                return cmd;
            case "info":
                var (im, ir) = ParseMessageOrRegex(argument);
                infos.Add(new AnnotationExpectation(im, ir));
                return cmd;
            case "no_warn":
                return cmd with { NoWarnings = true };
            case "no_info":
                return cmd with { NoInfos = true };
            case "ordered":
                return cmd with { Ordered = true };
            case "string":
                return cmd with { ExpectedString = GoText.Unquote(argument.Trim()) ?? throw new FormatException("bad string: " + argument) };
            case "range":
                var m = RangeVectorPattern().Match(argument);
                if (!m.Success)
                {
                    throw new FormatException("invalid expect range vector: " + text);
                }

                return cmd with { RangeVector = new RangeVectorExpectation(ParseTime(m.Groups[1].Value), ParseTime(m.Groups[2].Value), ParseTime(m.Groups[3].Value)) };
            default:
                throw new FormatException("unknown expect line: " + text);
        }
    }

    private static (string Word, string Remainder) SplitWord(string text)
    {
        var space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }

    private static (string? Message, string? Regex) ParseMessageOrRegex(string argument)
    {
        if (argument.Length == 0)
        {
            return (null, null);
        }

        if (argument.StartsWith("msg:", StringComparison.Ordinal))
        {
            return (argument[4..].Trim(), null);
        }

        if (argument.StartsWith("regex:", StringComparison.Ordinal))
        {
            return (null, argument[6..].Trim());
        }

        throw new FormatException("expected msg: or regex: after expectation, got " + argument);
    }

    /// <summary>A time or duration in a script: a Prometheus duration, optionally negative, or plain seconds.</summary>
    public static TimeSpan ParseTime(string text)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        if (PromDuration.TryParse(body, out var d, out _))
        {
            return negative ? -d : d;
        }

        if (PromQLParser.TryParseNumber(text, out var seconds) && double.IsFinite(seconds))
        {
            return PromDuration.FromSeconds(seconds);
        }

        throw new FormatException("invalid time or duration: " + text);
    }
}
