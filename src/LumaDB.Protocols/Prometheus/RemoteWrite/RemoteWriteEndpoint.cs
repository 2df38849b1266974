using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Limits of the remote write endpoint.</summary>
public sealed class RemoteWriteLimits
{
    /// <summary>Largest compressed body accepted.</summary>
    public long MaxRequestBytes { get; init; } = 32L << 20;

    /// <summary>Largest decompressed body accepted.</summary>
    public int MaxDecompressedBytes { get; init; } = 128 << 20;
}

/// <summary>
/// <c>POST /api/v1/write</c>: reads the snappy body within its limits, negotiates the protocol version, validates
/// the whole request, then hands it to the store. Answers as the remote write specs require: 204 on success
/// (with the 2.0 written-count headers), 400 for anything malformed (senders never retry it), 413 for a body over
/// the limit, 415 for an unsupported type or encoding, and the store's 429/503 when it is overloaded.
/// </summary>
public sealed partial class RemoteWriteEndpoint(IRemoteWriteReceiver receiver, RemoteWriteLimits limits, ILogger<RemoteWriteEndpoint> logger)
{
    private readonly ObjectPool<RemoteWriteDecoder> _decoders = new DefaultObjectPool<RemoteWriteDecoder>(new DefaultPooledObjectPolicy<RemoteWriteDecoder>());

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!RemoteWriteContent.TryNegotiate(request.ContentType, request.Headers.ContentEncoding, out var version, out var negotiationError))
        {
            await RespondAsync(context, StatusCodes.Status415UnsupportedMediaType, negotiationError!);
            return;
        }

        if (request.ContentLength > limits.MaxRequestBytes)
        {
            await RespondAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body of {request.ContentLength} bytes exceeds the limit of {limits.MaxRequestBytes} bytes");
            return;
        }

        var (compressed, compressedLength) = await ReadBodyAsync(context);
        if (compressed is null)
        {
            await RespondAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body exceeds the limit of {limits.MaxRequestBytes} bytes");
            return;
        }

        byte[]? body = null;
        var decoder = _decoders.Get();
        try
        {
            if (!RemoteWriteContent.TryDecompress(compressed.AsSpan(0, compressedLength), limits.MaxDecompressedBytes, out body, out var length, out var snappyError))
            {
                await RespondAsync(context, StatusCodes.Status400BadRequest, snappyError!);
                return;
            }

            if (!receiver.DecodesBeforeApplying && !decoder.TryValidate(body.AsSpan(0, length), version, out _, out var error))
            {
                LogRejected(error!);
                await RespondAsync(context, StatusCodes.Status400BadRequest, error!);
                return;
            }

            RemoteWriteCounts written;
            try
            {
                written = await receiver.ApplyAsync(body.AsMemory(0, length), version, decoder, context.RequestAborted);
            }
            catch (RemoteWriteRejectedException e)
            {
                LogRejected(e.Message);
                if (version == RemoteWriteVersion.V2 && e.Written is { } partial)
                {
                    SetWrittenHeaders(context, partial);
                }

                await RespondAsync(context, e.StatusCode, e.Message);
                return;
            }

            if (version == RemoteWriteVersion.V2)
            {
                SetWrittenHeaders(context, written);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        finally
        {
            _decoders.Return(decoder);
            ArrayPool<byte>.Shared.Return(compressed);
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
    }

    /// <summary>Reads the body into a pooled buffer; null when it exceeds the limit.</summary>
    private async Task<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpContext context)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limits.MaxRequestBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(context.Request.ContentLength ?? 64 * 1024, 1024), limits.MaxRequestBytes));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= limits.MaxRequestBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, 0);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limits.MaxRequestBytes));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch (BadHttpRequestException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0);
        }
    }

    private static void SetWrittenHeaders(HttpContext context, RemoteWriteCounts written)
    {
        var headers = context.Response.Headers;
        headers["X-Prometheus-Remote-Write-Samples-Written"] = written.Samples.ToString(CultureInfo.InvariantCulture);
        headers["X-Prometheus-Remote-Write-Histograms-Written"] = written.Histograms.ToString(CultureInfo.InvariantCulture);
        headers["X-Prometheus-Remote-Write-Exemplars-Written"] = written.Exemplars.ToString(CultureInfo.InvariantCulture);
    }

    private static Task RespondAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Remote write request rejected: {Reason}")]
    private partial void LogRejected(string reason);
}
