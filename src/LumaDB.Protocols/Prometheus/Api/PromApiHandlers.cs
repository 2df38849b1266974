using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;
using Microsoft.AspNetCore.Http;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// The API's request handlers. Each one reads and checks its parameters, does all its work, and only then writes
/// the answer, so an error is always a complete Prometheus error envelope and never a half-written result.
/// </summary>
internal sealed partial class PromApiHandlers(IMetricSource source, PromApiOptions options, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task QueryAsync(HttpContext context) => RespondAsync(context, Query);

    public Task QueryRangeAsync(HttpContext context) => RespondAsync(context, (request, aborted) => QueryRange(context, request, aborted));

    private Action<Utf8JsonWriter> Query(PromApiRequest request, CancellationToken aborted)
    {
        var at = TimeParam(request, "time", NowMs);
        var query = request.Get("query");
        var expr = ParseQuery(query);
        var engine = Engine(request);
        var result = Execute(request, token => engine.Instant(expr, at, token), aborted);
        return json => WriteResult(json, result, at, query);
    }

    private Action<Utf8JsonWriter> QueryRange(HttpContext context, PromApiRequest request, CancellationToken aborted)
    {
        var start = RequiredTime(request, "start");
        var end = RequiredTime(request, "end");
        if (end < start)
        {
            throw PromApiException.InvalidParam("end", "end timestamp must not be before start time");
        }

        var stepText = request.Get("step");
        if (!PromApiParams.TryParseDuration(stepText, out var step, out var stepError))
        {
            throw PromApiException.InvalidParam("step", stepError);
        }

        if (step <= 0)
        {
            throw PromApiException.InvalidParam("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }

        // For safety, limit the number of returned points per timeseries, as Prometheus does.
        if ((end - start) / step > options.MaxPointsPerSeries)
        {
            throw new PromApiException(PromErrorType.BadData, string.Create(CultureInfo.InvariantCulture, $"exceeded maximum resolution of {options.MaxPointsPerSeries:N0} points per timeseries. Try decreasing the query resolution (?step=XX)"));
        }

        var query = request.Get("query");
        var expr = ParseQuery(query);
        if (expr.Type is not (PromQLValueType.Scalar or PromQLValueType.Vector))
        {
            throw PromApiException.InvalidParam("query", $"invalid expression type \"{expr.Type.Documented()}\" for range query, must be Scalar or instant Vector");
        }

        // Where the time went, for dashboards' and benchmarks' eyes: fetching series against evaluating them.
        var started = Stopwatch.GetTimestamp();
        var timed = new TimedMetricSource(source);
        var engine = Engine(request, timed);
        var result = Execute(request, token => engine.Range(expr, start, end, step, token), aborted);
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var fetch = timed.Elapsed.TotalMilliseconds;
        context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"fetch;dur={fetch:F1}, eval;dur={total - fetch:F1}");
        return json => WriteResult(json, result, end, query);
    }

    // Prometheus caps the notes it returns so a query raising many cannot bloat the response.
    private static void WriteResult(Utf8JsonWriter json, QueryResult result, long timeMs, string? query)
    {
        if (result.Annotations.Count == 0)
        {
            PromApiWriter.WriteQueryResult(json, result, timeMs);
            return;
        }

        var text = query ?? "";
        PromApiWriter.WriteQueryResult(json, result, timeMs,
            Cap(result.AnnotationTexts(QueryAnnotationKind.Warning, text), "warning"),
            Cap(result.AnnotationTexts(QueryAnnotationKind.Info, text), "info"));
    }

    private static IReadOnlyList<string>? Cap(IReadOnlyList<string> notes, string kind)
    {
        const int MaxNotes = 10;
        if (notes.Count == 0)
        {
            return null;
        }

        if (notes.Count <= MaxNotes)
        {
            return notes;
        }

        var capped = notes.Take(MaxNotes).ToList();
        capped.Add(string.Create(CultureInfo.InvariantCulture, $"{notes.Count - MaxNotes} more {kind} annotations omitted"));
        return capped;
    }

    private PromQLEngine Engine(PromApiRequest request, IMetricSource? over = null)
    {
        var lookback = options.LookbackDeltaMs;
        var text = request.Get("lookback_delta");
        if (text.Length > 0)
        {
            if (!PromApiParams.TryParseDuration(text, out lookback, out var error))
            {
                throw PromApiException.InvalidParam("lookback_delta", error);
            }

            if (lookback <= 0)
            {
                lookback = options.LookbackDeltaMs;
            }
        }

        return new PromQLEngine(over ?? source, new PromQLEngineOptions { LookbackDeltaMs = lookback, MaxSamples = options.MaxSamples });
    }

    // Runs a query under the configured timeout (or the request's shorter one) and maps failures to API errors.
    private QueryResult Execute(PromApiRequest request, Func<CancellationToken, QueryResult> run, CancellationToken aborted)
    {
        var timeout = options.QueryTimeout;
        var text = request.Get("timeout");
        if (text.Length > 0)
        {
            if (!PromApiParams.TryParseDuration(text, out var ms, out var error))
            {
                throw PromApiException.InvalidParam("timeout", error);
            }

            if (ms > 0 && TimeSpan.FromMilliseconds(ms) < timeout)
            {
                timeout = TimeSpan.FromMilliseconds(ms);
            }
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, aborted);
        try
        {
            return run(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new PromApiException(PromErrorType.Timeout, "query timed out in expression evaluation");
        }
        catch (OperationCanceledException)
        {
            throw new PromApiException(PromErrorType.Canceled, "query was canceled in expression evaluation");
        }
        catch (PromQLTooManySamplesException e)
        {
            throw new PromApiException(PromErrorType.Execution, e.Message);
        }
        catch (PromQLEvaluationException e)
        {
            throw new PromApiException(PromErrorType.Execution, e.Message);
        }
    }

    private static Expr ParseQuery(string query)
    {
        var parsed = PromQLParser.TryParse(query);
        if (!parsed.Success)
        {
            throw PromApiException.InvalidParam("query", FirstError(parsed));
        }

        return parsed.Expression!;
    }

    // Prometheus stops at the first error it meets; the parser may have collected more.
    private static string FirstError(ParseResult parsed) => parsed.ErrorMessage ?? "parse error";

    private static long TimeParam(PromApiRequest request, string name, long defaultMs)
    {
        var text = request.Get(name);
        if (text.Length == 0)
        {
            return defaultMs;
        }

        return PromApiParams.TryParseTime(text, out var ms, out var error)
            ? ms
            : throw PromApiException.InvalidParam(name, $"Invalid time value for '{name}': {error}");
    }

    private static long RequiredTime(PromApiRequest request, string name) =>
        PromApiParams.TryParseTime(request.Get(name), out var ms, out var error) ? ms : throw PromApiException.InvalidParam(name, error);

    private static async Task RespondAsync(HttpContext context, Func<PromApiRequest, CancellationToken, Action<Utf8JsonWriter>> handle)
    {
        Action<Utf8JsonWriter> write;
        var status = StatusCodes.Status200OK;
        try
        {
            var request = await PromApiRequest.ReadAsync(context);
            write = handle(request, context.RequestAborted);
        }
        catch (PromApiException e)
        {
            status = PromErrorTypes.StatusCode(e.Type);
            write = json => PromApiWriter.WriteError(json, e.Type, e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            // An unreadable form body.
            status = StatusCodes.Status400BadRequest;
            write = json => PromApiWriter.WriteError(json, PromErrorType.BadData, e.Message);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var json = PromApiWriter.CreateWriter(context.Response.BodyWriter))
        {
            write(json);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
