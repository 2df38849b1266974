using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Telemetry;
using Microsoft.AspNetCore.Http;

namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>
/// The trace API on the REST listener: <c>GET /api/v1/traces/{traceId}</c> returns one trace with its spans as a
/// tree; <c>GET /api/v1/traces?service=&amp;name=&amp;minDuration=&amp;start=&amp;end=&amp;limit=</c> finds traces with a
/// span matching every given condition, most recent first.
/// </summary>
public sealed class TraceApiEndpoint(Database database, TelemetryStore store)
{
    /// <summary>The most traces one search returns.</summary>
    public const int MaxLimit = 1000;

    private const int DefaultLimit = 20;

    /// <summary>Handles <c>GET /api/v1/traces/{traceId}</c>.</summary>
    public async Task GetTraceAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var traceId = context.Request.RouteValues["traceId"] as string ?? "";
        if (!OtlpIds.IsHex(traceId, OtlpIds.TraceIdBytes))
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new TraceApiError($"trace id must be 32 hex digits, got '{traceId}'"), TraceApiJsonContext.Default.TraceApiError);
            return;
        }

        if (!database.IsReady)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new TraceApiError("storage is not ready yet"), TraceApiJsonContext.Default.TraceApiError);
            return;
        }

        traceId = traceId.ToLowerInvariant();
        var spans = await store.GetTraceAsync(traceId, context.RequestAborted);
        if (spans.Count == 0)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, new TraceApiError($"trace {traceId} not found"), TraceApiJsonContext.Default.TraceApiError);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, TraceTree.Build(traceId, spans), TraceApiJsonContext.Default.TraceResponse);
    }

    /// <summary>Handles <c>GET /api/v1/traces</c>.</summary>
    public async Task SearchAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        long? minDuration = null;
        long? start = null;
        long? end = null;
        var limit = DefaultLimit;
        string? error = null;
        if (query["minDuration"].ToString() is { Length: > 0 } durationText)
        {
            minDuration = TraceApiQuery.TryParseDurationNanos(durationText, out var nanos) ? nanos : null;
            error ??= minDuration is null ? $"minDuration '{durationText}' is not a duration such as 250ms or 1.5s" : null;
        }

        if (query["start"].ToString() is { Length: > 0 } startText)
        {
            start = TraceApiQuery.TryParseTimeMicros(startText, out var micros) ? micros : null;
            error ??= start is null ? $"start '{startText}' is not an RFC 3339 time or Unix seconds" : null;
        }

        if (query["end"].ToString() is { Length: > 0 } endText)
        {
            end = TraceApiQuery.TryParseTimeMicros(endText, out var micros) ? micros : null;
            error ??= end is null ? $"end '{endText}' is not an RFC 3339 time or Unix seconds" : null;
        }

        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
            {
                error ??= $"limit '{limitText}' must be an integer from 1 to {MaxLimit}";
            }
        }

        if (error is null && start is { } s && end is { } e && e < s)
        {
            error = "end is before start";
        }

        if (error is not null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new TraceApiError(error), TraceApiJsonContext.Default.TraceApiError);
            return;
        }

        if (!database.IsReady)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new TraceApiError("storage is not ready yet"), TraceApiJsonContext.Default.TraceApiError);
            return;
        }

        var search = new SpanSearch
        {
            ServiceName = NullIfEmpty(query["service"].ToString()),
            SpanName = NullIfEmpty(query["name"].ToString()),
            MinDurationNanos = minDuration,
            StartMicros = start,
            // end is inclusive for the caller; the scan's range is half-open.
            EndMicros = end + 1,
        };
        var newest = await store.FindTraceIdsAsync(search, limit, context.RequestAborted);
        var summaries = new List<TraceSummary>();
        foreach (var traceId in newest)
        {
            var spans = await store.GetTraceAsync(traceId, context.RequestAborted);
            if (spans.Count > 0)
            {
                summaries.Add(TraceTree.Summarize(traceId, spans));
            }
        }

        await WriteAsync(context, StatusCodes.Status200OK, new TraceSearchResponse { Traces = summaries }, TraceApiJsonContext.Default.TraceSearchResponse);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}
