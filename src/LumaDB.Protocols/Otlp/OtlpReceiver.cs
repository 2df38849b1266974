using System.Collections.Concurrent;
using Google.Protobuf;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// What the OTLP gRPC services and HTTP endpoints share: admission (storage ready, in-flight limit), mapping of a
/// whole request before anything is stored (so a malformed request applies nothing), and the store calls.
/// </summary>
public sealed partial class OtlpReceiver(
    Database database,
    TelemetryStore telemetry,
    IOtlpMetricAppender metrics,
    OtlpLimits limits,
    TimeProvider time,
    ILogger<OtlpReceiver> logger)
{
    private readonly ConcurrentBag<OtlpTraceDecoder> _traceDecoders = [];
    private readonly ConcurrentBag<OtlpLogDecoder> _logDecoders = [];
    private int _inFlight;

    /// <summary>The receiver's limits.</summary>
    public OtlpLimits Limits => limits;

    /// <summary>Stores the spans of a trace export request.</summary>
    public Task<OtlpExportResult> ExportTracesAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExportTracesAsync(request.ToByteArray(), cancellationToken);
    }

    /// <summary>Stores the spans of an encoded trace export request, decoded straight into rows.</summary>
    public async Task<OtlpExportResult> ExportTracesAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        using var admission = Admit();
        var tables = await telemetry.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        if (!_traceDecoders.TryTake(out var decoder) || decoder.Layout != tables.Traces.Layout)
        {
            decoder = new OtlpTraceDecoder(tables.Traces.Layout);
        }

        try
        {
            Decode(decoder, static (d, body, _) => d.Decode(body.Span), request, 0);
            await telemetry.AppendAsync(decoder.Batch, cancellationToken).ConfigureAwait(false);
            return Done(decoder.Accepted, decoder.Rejected, decoder.ErrorMessage);
        }
        finally
        {
            decoder.Batch.Clear();
            _traceDecoders.Add(decoder);
        }
    }

    /// <summary>Stores the records of a logs export request.</summary>
    public Task<OtlpExportResult> ExportLogsAsync(ExportLogsServiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExportLogsAsync(request.ToByteArray(), cancellationToken);
    }

    /// <summary>Stores the records of an encoded logs export request, decoded straight into rows.</summary>
    public async Task<OtlpExportResult> ExportLogsAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        using var admission = Admit();
        var tables = await telemetry.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        if (!_logDecoders.TryTake(out var decoder) || decoder.Layout != tables.Logs.Layout)
        {
            decoder = new OtlpLogDecoder(tables.Logs.Layout, telemetry.ReserveLogIds);
        }

        try
        {
            Decode(decoder, static (d, body, now) => d.Decode(body.Span, now), request, NowUnixNano());
            await telemetry.AppendAsync(decoder.Batch, cancellationToken).ConfigureAwait(false);
            return Done(decoder.Accepted, 0, null);
        }
        finally
        {
            decoder.Batch.Clear();
            _logDecoders.Add(decoder);
        }
    }

    /// <summary>Parses an encoded metrics export request and stores it as <see cref="ExportMetricsAsync(ExportMetricsServiceRequest, CancellationToken)"/> does.</summary>
    /// <exception cref="OtlpInvalidException">The bytes are not a metrics export request.</exception>
    public Task<OtlpExportResult> ExportMetricsAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        ExportMetricsServiceRequest parsed;
        try
        {
            parsed = ExportMetricsServiceRequest.Parser.ParseFrom(request.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            LogRejected(e.Message);
            throw new OtlpInvalidException("invalid protobuf: " + e.Message, e);
        }

        return ExportMetricsAsync(parsed, cancellationToken);
    }

    /// <summary>Converts a metrics export request to Prometheus samples and appends them.</summary>
    public async Task<OtlpExportResult> ExportMetricsAsync(ExportMetricsServiceRequest request, CancellationToken cancellationToken)
    {
        using var admission = Admit();
        var batch = Map(() => OtlpMetricMapper.Map(request, NowUnixNano()));
        if (batch.Items.Count == 0)
        {
            return Done(0, batch.Rejected, batch.ErrorMessage);
        }

        var written = await metrics.AppendAsync(batch.Items, cancellationToken).ConfigureAwait(false);

        // Samples the store's out-of-order and duplicate rules refused are reported as rejected data points.
        var refused = written.Refused;
        var message = refused == 0 ? batch.ErrorMessage
            : $"{written.TooOld} sample(s) older than the out-of-order window and {written.Conflicts} with a different value at an existing timestamp were refused" + (batch.ErrorMessage is null ? "" : "; " + batch.ErrorMessage);
        return Done(batch.Items.Count - refused, batch.Rejected + refused, message);
    }

    private OtlpBatch<T> Map<T>(Func<OtlpBatch<T>> map)
    {
        try
        {
            return map();
        }
        catch (OtlpInvalidException e)
        {
            LogRejected(e.Message);
            throw;
        }
    }

    private void Decode<TDecoder>(TDecoder decoder, Action<TDecoder, ReadOnlyMemory<byte>, long> decode, ReadOnlyMemory<byte> request, long now)
    {
        try
        {
            decode(decoder, request, now);
        }
        catch (OtlpInvalidException e)
        {
            LogRejected(e.Message);
            throw;
        }
    }

    private OtlpExportResult Done(long accepted, long rejected, string? message)
    {
        if (rejected > 0)
        {
            LogPartial(rejected, message ?? "");
        }

        return new OtlpExportResult(accepted, rejected, message);
    }

    private long NowUnixNano() => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private Admission Admit()
    {
        if (!database.IsReady)
        {
            throw new OtlpUnavailableException("storage is not ready yet", overloaded: false, limits.RetryAfter);
        }

        if (Interlocked.Increment(ref _inFlight) > limits.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _inFlight);
            throw new OtlpUnavailableException($"more than {limits.MaxConcurrentRequests} OTLP requests in flight", overloaded: true, limits.RetryAfter);
        }

        return new Admission(this);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "OTLP request rejected: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "OTLP request partly rejected: {Rejected} item(s): {Reason}")]
    private partial void LogPartial(long rejected, string reason);

    /// <summary>Releases an in-flight slot.</summary>
    private readonly struct Admission(OtlpReceiver receiver) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref receiver._inFlight);
    }
}
