using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c>, <c>/v1/logs</c> and <c>/v1/metrics</c> with protobuf or JSON bodies, plain or
/// gzip. Answers as the specification says: 200 with the export response (a partial success carries the
/// rejected count), 400 with a google.rpc.Status body for malformed data, 413 for a body over the limit, 415 for
/// an unknown content type or encoding, 429 or 503 with Retry-After when the server cannot take it now. The
/// answer is in the request's own format.
/// </summary>
public sealed partial class OtlpHttpEndpoint(OtlpReceiver receiver, ILogger<OtlpHttpEndpoint> logger)
{
    private const string ProtobufType = "application/x-protobuf";
    private const string JsonType = "application/json";

    /// <summary>Handles <c>POST /v1/traces</c>.</summary>
    public Task HandleTracesAsync(HttpContext context) => HandleAsync(
        context,
        // Protobuf bodies go to the decoder as they are; JSON is read into the messages and encoded for it.
        static body => body,
        static body => (ReadOnlyMemory<byte>)OtlpJsonReader.ReadTraces(body).ToByteArray(),
        receiver.ExportTracesAsync,
        "rejectedSpans");

    /// <summary>Handles <c>POST /v1/logs</c>.</summary>
    public Task HandleLogsAsync(HttpContext context) => HandleAsync(
        context,
        static body => body,
        static body => (ReadOnlyMemory<byte>)OtlpJsonReader.ReadLogs(body).ToByteArray(),
        receiver.ExportLogsAsync,
        "rejectedLogRecords");

    /// <summary>Handles <c>POST /v1/metrics</c>.</summary>
    public Task HandleMetricsAsync(HttpContext context) => HandleAsync(
        context,
        body => ExportMetricsServiceRequest.Parser.ParseFrom(body.Span),
        OtlpJsonReader.ReadMetrics,
        receiver.ExportMetricsAsync,
        "rejectedDataPoints");

    private async Task HandleAsync<TRequest>(
        HttpContext context,
        Func<ReadOnlyMemory<byte>, TRequest> parseProtobuf,
        Func<ReadOnlyMemory<byte>, TRequest> parseJson,
        Func<TRequest, CancellationToken, Task<OtlpExportResult>> export,
        string rejectedField)
    {
        var request = context.Request;
        var json = IsMediaType(request.ContentType, JsonType);
        if (!json && !IsMediaType(request.ContentType, ProtobufType))
        {
            await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status415UnsupportedMediaType, json: false,
                $"Content-Type must be {ProtobufType} or {JsonType}, got '{request.ContentType}'");
            return;
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status415UnsupportedMediaType, json, $"Content-Encoding must be gzip or none, got '{encoding}'");
            return;
        }

        var limit = receiver.Limits.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status413PayloadTooLarge, json, $"request body of {request.ContentLength} bytes exceeds the limit of {limit} bytes");
            return;
        }

        byte[]? body = null;
        try
        {
            int length;
            try
            {
                (body, length) = await ReadBodyAsync(context, gzip, limit);
            }
            catch (InvalidDataException e)
            {
                await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status400BadRequest, json, "invalid gzip body: " + e.Message);
                return;
            }

            if (body is null)
            {
                await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status413PayloadTooLarge, json, $"request body exceeds the limit of {limit} bytes");
                return;
            }

            OtlpExportResult result;
            try
            {
                var memory = body.AsMemory(0, length);
                var message = json ? parseJson(memory) : ParseProtobuf(parseProtobuf, memory);
                result = await export(message, context.RequestAborted);
            }
            catch (OtlpInvalidException e)
            {
                await OtlpHttpResponses.WriteStatusAsync(context, StatusCodes.Status400BadRequest, json, e.Message);
                return;
            }
            catch (OtlpUnavailableException e)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var status = e.Overloaded ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                await OtlpHttpResponses.WriteStatusAsync(context, status, json, e.Message);
                return;
            }

            await OtlpHttpResponses.WriteSuccessAsync(context, json, rejectedField, result);
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
    }

    private static TRequest ParseProtobuf<TRequest>(Func<ReadOnlyMemory<byte>, TRequest> parse, ReadOnlyMemory<byte> body)
    {
        try
        {
            return parse(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpInvalidException("invalid protobuf: " + e.Message, e);
        }
    }

    private static bool IsMediaType(string? contentType, string expected) =>
        contentType is not null
        && contentType.StartsWith(expected, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == expected.Length || contentType[expected.Length] is ';' or ' ');

    /// <summary>Reads (and un-gzips) the body into a pooled buffer; null when it is over the limit.</summary>
    private async Task<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpContext context, bool gzip, int limit)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var source = context.Request.Body;
        GZipStream? unzip = null;
        if (gzip)
        {
            unzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
            source = unzip;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(context.Request.ContentLength ?? 64 * 1024, 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, 0);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, 0);
                    }

                    return (buffer, length);
                }

                length += read;
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own body-size limit (a body without Content-Length grew past it).
            LogBodyRefused(e.Message);
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (unzip is not null)
            {
                await unzip.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "OTLP/HTTP body refused: {Reason}")]
    private partial void LogBodyRefused(string reason);
}
