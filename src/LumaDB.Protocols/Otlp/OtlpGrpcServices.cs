using Grpc.Core;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>Runs an export and turns refusals into the gRPC statuses OTLP senders act on.</summary>
internal static class OtlpGrpc
{
    public static async Task<OtlpExportResult> RunAsync(Func<Task<OtlpExportResult>> export)
    {
        try
        {
            return await export().ConfigureAwait(false);
        }
        catch (OtlpInvalidException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (OtlpUnavailableException e)
        {
            // Unavailable is the code OTLP senders always retry, with their own backoff.
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }
}

/// <summary><c>opentelemetry.proto.collector.trace.v1.TraceService</c>.</summary>
public sealed class OtlpTraceGrpcService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    /// <inheritdoc />
    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await OtlpGrpc.RunAsync(() => receiver.ExportTracesAsync(request, context.CancellationToken)).ConfigureAwait(false);
        var response = new ExportTraceServiceResponse();
        if (result.Rejected > 0 || result.ErrorMessage is not null)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = result.Rejected, ErrorMessage = result.ErrorMessage ?? "" };
        }

        return response;
    }
}

/// <summary><c>opentelemetry.proto.collector.logs.v1.LogsService</c>.</summary>
public sealed class OtlpLogsGrpcService(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    /// <inheritdoc />
    public override async Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await OtlpGrpc.RunAsync(() => receiver.ExportLogsAsync(request, context.CancellationToken)).ConfigureAwait(false);
        var response = new ExportLogsServiceResponse();
        if (result.Rejected > 0 || result.ErrorMessage is not null)
        {
            response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = result.Rejected, ErrorMessage = result.ErrorMessage ?? "" };
        }

        return response;
    }
}

/// <summary><c>opentelemetry.proto.collector.metrics.v1.MetricsService</c>.</summary>
public sealed class OtlpMetricsGrpcService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    /// <inheritdoc />
    public override async Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await OtlpGrpc.RunAsync(() => receiver.ExportMetricsAsync(request, context.CancellationToken)).ConfigureAwait(false);
        var response = new ExportMetricsServiceResponse();
        if (result.Rejected > 0 || result.ErrorMessage is not null)
        {
            response.PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = result.Rejected, ErrorMessage = result.ErrorMessage ?? "" };
        }

        return response;
    }
}
