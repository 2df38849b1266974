using System.Globalization;
using System.Text.Json;
using LumaDB.Engine.Telemetry;

namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>Builds the trace API's views of a trace's spans: the tree and the one-line summary.</summary>
public static class TraceTree
{
    /// <summary>The spans as a tree; a span whose parent is not stored becomes a root, so nothing is hidden.</summary>
    public static TraceResponse Build(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var ordered = spans.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId, StringComparer.Ordinal).ToList();
        var nodes = new Dictionary<string, TraceSpanNode>(StringComparer.Ordinal);
        foreach (var span in ordered)
        {
            nodes[span.SpanId] = Node(span);
        }

        var roots = new List<TraceSpanNode>();
        foreach (var span in ordered)
        {
            var node = nodes[span.SpanId];
            if (span.ParentSpanId is { } parentId && parentId != span.SpanId && nodes.TryGetValue(parentId, out var parent))
            {
                parent.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        var (start, duration) = Extent(spans);
        return new TraceResponse
        {
            TraceId = traceId,
            SpanCount = spans.Count,
            Services = Services(spans),
            StartTimeUnixNano = start.ToString(CultureInfo.InvariantCulture),
            DurationNanos = duration,
            Roots = roots,
        };
    }

    /// <summary>One line about the trace: its root, start, duration, size and services.</summary>
    public static TraceSummary Summarize(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var root = spans.Where(s => s.ParentSpanId is null).OrderBy(s => s.StartTimeUnixNano).FirstOrDefault()
            ?? spans.OrderBy(s => s.StartTimeUnixNano).First();
        var (start, duration) = Extent(spans);
        return new TraceSummary
        {
            TraceId = traceId,
            RootServiceName = root.ServiceName,
            RootSpanName = root.Name,
            StartTimeUnixNano = start.ToString(CultureInfo.InvariantCulture),
            DurationNanos = duration,
            SpanCount = spans.Count,
            Services = Services(spans),
        };
    }

    private static (long Start, long Duration) Extent(IReadOnlyList<SpanRecord> spans)
    {
        var start = spans.Min(s => s.StartTimeUnixNano);
        var end = spans.Max(s => s.EndTimeUnixNano);
        return (start, Math.Max(0, end - start));
    }

    private static List<string> Services(IReadOnlyList<SpanRecord> spans) =>
        [.. spans.Select(s => s.ServiceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static TraceSpanNode Node(SpanRecord span) => new()
    {
        TraceId = span.TraceId,
        SpanId = span.SpanId,
        ParentSpanId = span.ParentSpanId,
        Name = span.Name,
        Kind = span.Kind,
        ServiceName = span.ServiceName,
        StartTimeUnixNano = span.StartTimeUnixNano.ToString(CultureInfo.InvariantCulture),
        EndTimeUnixNano = span.EndTimeUnixNano.ToString(CultureInfo.InvariantCulture),
        StartTime = DateTimeOffset.UnixEpoch.AddTicks(span.StartTimeUnixNano / 100).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        DurationNanos = span.DurationNanos,
        StatusCode = span.StatusCode,
        StatusMessage = span.StatusMessage,
        TraceState = span.TraceState,
        ScopeName = span.ScopeName,
        ScopeVersion = span.ScopeVersion,
        Attributes = Json(span.Attributes),
        ResourceAttributes = Json(span.ResourceAttributes),
        Events = Json(span.Events),
        Links = Json(span.Links),
    };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
