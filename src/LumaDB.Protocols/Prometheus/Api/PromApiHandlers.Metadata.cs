using System.Globalization;
using System.Text.Json;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;
using Microsoft.AspNetCore.Http;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>The series, label, metadata, exemplar and status endpoints.</summary>
internal sealed partial class PromApiHandlers
{
    private const string Truncated = "results truncated due to limit";

    private static readonly PromQLParserOptions SelectorOnly = PromQLParserOptions.Default with { CheckTypes = false };

    public Task SeriesAsync(HttpContext context) => RespondAsync(context, Series);

    public Task LabelsAsync(HttpContext context) => RespondAsync(context, Labels);

    public Task LabelValuesAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        return RespondAsync(context, (request, _) => LabelValues(request, name));
    }

    public Task MetadataAsync(HttpContext context) => RespondAsync(context, Metadata);

    public Task ExemplarsAsync(HttpContext context) => RespondAsync(context, Exemplars);

    public Task BuildInfoAsync(HttpContext context) => RespondAsync(context, (_, _) => BuildInfo);

    public Task RuntimeInfoAsync(HttpContext context) => RespondAsync(context, (_, _) => RuntimeInfo);

    private Action<Utf8JsonWriter> Series(PromApiRequest request, CancellationToken aborted)
    {
        var matches = request.GetAll("match[]");
        if (matches.Count == 0)
        {
            throw new PromApiException(PromErrorType.BadData, "no match[] parameter provided");
        }

        var limit = LimitParam(request, "limit");
        var (start, end) = Window(request);
        var sets = MatcherSets(matches, named: true);
        var series = source.Series(sets, start, end);
        var warnings = Limit(ref series, limit);
        return json => PromApiWriter.WriteSeriesList(json, series, warnings);
    }

    private Action<Utf8JsonWriter> Labels(PromApiRequest request, CancellationToken aborted)
    {
        var limit = LimitParam(request, "limit");
        var (start, end) = Window(request);
        var sets = MatcherSets(request.GetAll("match[]"), named: false);
        var names = source.LabelNames(sets, start, end);
        var warnings = Limit(ref names, limit);
        return json => PromApiWriter.WriteStringList(json, names, warnings);
    }

    private Action<Utf8JsonWriter> LabelValues(PromApiRequest request, string name)
    {
        // Names that are not valid UTF-8 identifiers may be sent escaped with the U__ prefix.
        if (name.StartsWith("U__", StringComparison.Ordinal))
        {
            name = UnescapeName(name);
        }

        if (name.Length == 0)
        {
            throw new PromApiException(PromErrorType.BadData, $"invalid label name: {GoText.Quote(name)}");
        }

        var limit = LimitParam(request, "limit");
        var (start, end) = Window(request);
        var sets = MatcherSets(request.GetAll("match[]"), named: false);
        var values = source.LabelValues(name, sets, start, end);
        var warnings = Limit(ref values, limit);
        return json => PromApiWriter.WriteStringList(json, values, warnings);
    }

    private Action<Utf8JsonWriter> Metadata(PromApiRequest request, CancellationToken aborted)
    {
        var limit = SignedParam(request, "limit");
        var perMetric = SignedParam(request, "limit_per_metric");
        var metric = request.Get("metric");
        var all = source.Metadata(metric.Length == 0 ? null : metric);
        var result = new List<KeyValuePair<string, IReadOnlyList<MetricMetadata>>>();
        foreach (var name in all.Keys.Order(StringComparer.Ordinal))
        {
            if (limit >= 0 && result.Count >= limit)
            {
                break;
            }

            var entries = all[name];
            result.Add(new(name, perMetric > 0 && entries.Count > perMetric ? [.. entries.Take(perMetric)] : entries));
        }

        return json => PromApiWriter.WriteMetadata(json, result);
    }

    private Action<Utf8JsonWriter> Exemplars(PromApiRequest request, CancellationToken aborted)
    {
        var (start, end) = (TimeParam(request, "start", PromApiParams.MinTimeMs), TimeParam(request, "end", PromApiParams.MaxTimeMs));
        if (end < start)
        {
            throw new PromApiException(PromErrorType.BadData, "end timestamp must not be before start timestamp");
        }

        var parsed = PromQLParser.TryParse(request.Get("query"));
        if (!parsed.Success)
        {
            throw new PromApiException(PromErrorType.BadData, FirstError(parsed));
        }

        var sets = new List<IReadOnlyList<SeriesMatcher>>();
        CollectSelectors(parsed.Expression!, sets);
        if (sets.Count == 0)
        {
            return static json =>
            {
                json.WriteStartObject();
                json.WriteString("status"u8, "success"u8);
                json.WriteNull("data"u8);
                json.WriteEndObject();
            };
        }

        var exemplars = source.Exemplars(sets, start, end);
        return json => PromApiWriter.WriteExemplars(json, exemplars);
    }

    private void BuildInfo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("version"u8, options.Version);
        json.WriteString("revision"u8, options.Revision);
        json.WriteString("branch"u8, "");
        json.WriteString("buildUser"u8, "");
        json.WriteString("buildDate"u8, "");
        json.WriteString("goVersion"u8, options.Runtime);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void RuntimeInfo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("startTime"u8, _started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("CWD"u8, Environment.CurrentDirectory);
        json.WriteBoolean("reloadConfigSuccess"u8, true);
        json.WriteString("lastConfigTime"u8, _started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteNumber("corruptionCount"u8, 0);
        json.WriteNumber("goroutineCount"u8, System.Threading.ThreadPool.ThreadCount);
        json.WriteNumber("GOMAXPROCS"u8, Environment.ProcessorCount);
        json.WriteNumber("GOMEMLIMIT"u8, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        json.WriteString("GOGC"u8, "");
        json.WriteString("GODEBUG"u8, "");
        json.WriteString("storageRetention"u8, options.StorageRetention);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static (long Start, long End) Window(PromApiRequest request) =>
        (TimeParam(request, "start", PromApiParams.MinTimeMs), TimeParam(request, "end", PromApiParams.MaxTimeMs));

    private static List<string>? Limit<T>(ref IReadOnlyList<T> items, int limit)
    {
        if (limit <= 0 || items.Count <= limit)
        {
            return null;
        }

        items = [.. items.Take(limit)];
        return [Truncated];
    }

    private static int LimitParam(PromApiRequest request, string name)
    {
        var text = request.Get(name);
        if (text.Length == 0)
        {
            return 0;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            throw PromApiException.InvalidParam(name, $"strconv.Atoi: parsing {GoText.Quote(text)}: invalid syntax");
        }

        return limit < 0 ? throw PromApiException.InvalidParam(name, "limit must be non-negative") : limit;
    }

    // Metadata limits: negative or absent means no limit.
    private static int SignedParam(PromApiRequest request, string name)
    {
        var text = request.Get(name);
        if (text.Length == 0)
        {
            return -1;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PromApiException(PromErrorType.BadData, $"strconv.Atoi: parsing {GoText.Quote(text)}: invalid syntax");
    }

    // Prometheus names the parameter in the series endpoint's matcher errors but not in the label endpoints'.
    private static List<IReadOnlyList<SeriesMatcher>> MatcherSets(IReadOnlyList<string> selectors, bool named)
    {
        PromApiException Invalid(string message) => named ? PromApiException.InvalidParam("match[]", message) : new PromApiException(PromErrorType.BadData, message);

        var sets = new List<IReadOnlyList<SeriesMatcher>>(selectors.Count);
        foreach (var text in selectors)
        {
            // A bare selector needs no type checks, and the empty-matchers rule is reported in match[]'s own words.
            var parsed = PromQLParser.TryParse(text, SelectorOnly);
            if (!parsed.Success)
            {
                throw Invalid(FirstError(parsed));
            }

            if (Unwrap(parsed.Expression!) is not VectorSelector selector)
            {
                throw Invalid($"1:1: parse error: unexpected expression; expected a series selector in {GoText.Quote(text)}");
            }

            if (selector.Matchers.All(m => m.Matches("")))
            {
                throw Invalid("match[] must contain at least one non-empty matcher");
            }

            sets.Add(SeriesMatchers.From(selector.Matchers));
        }

        return sets;
    }

    private static Expr Unwrap(Expr expr) => expr switch
    {
        ParenExpr p => Unwrap(p.Inner),
        StepInvariantExpr s => Unwrap(s.Inner),
        _ => expr,
    };

    private static void CollectSelectors(Expr expr, List<IReadOnlyList<SeriesMatcher>> sets)
    {
        if (expr is VectorSelector vs)
        {
            sets.Add(SeriesMatchers.From(vs.Matchers));
            return;
        }

        foreach (var child in expr.Children)
        {
            CollectSelectors(child, sets);
        }
    }

    // Prometheus's value-encoding escape: "U__" then the name with "_" as "__" and other characters as "_hex_".
    private static string UnescapeName(string escaped)
    {
        var s = escaped[3..];
        var result = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '_')
            {
                result.Append(s[i]);
                continue;
            }

            if (i + 1 < s.Length && s[i + 1] == '_')
            {
                result.Append('_');
                i++;
                continue;
            }

            var close = s.IndexOf('_', i + 1);
            if (close < 0 || !int.TryParse(s.AsSpan(i + 1, close - i - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > 0x10FFFF)
            {
                return escaped;
            }

            result.Append(char.ConvertFromUtf32(code));
            i = close;
        }

        return result.ToString();
    }
}
