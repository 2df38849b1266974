using Google.Protobuf;
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

/// <summary>
/// <c>opentelemetry.proto.collector.trace.v1.TraceService</c>. The request arrives as its encoded bytes and is
/// decoded straight into rows, so a message that does not parse is answered INVALID_ARGUMENT like any other
/// malformed request (a generated parser failing inside the framework would answer UNKNOWN).
/// </summary>
/// <remarks>Not sealed: the gRPC host binds an Export method only when it is virtual and declared by the type naming BindService.</remarks>
[BindServiceMethod(typeof(OtlpTraceGrpcService), nameof(BindService))]
public class OtlpTraceGrpcService(OtlpReceiver receiver)
{
    private static readonly Method<OtlpPayload, ExportTraceServiceResponse> ExportMethod = new(
        MethodType.Unary,
        "opentelemetry.proto.collector.trace.v1.TraceService",
        "Export",
        OtlpPayload.Marshaller,
        Marshallers.Create(r => r.ToByteArray(), ExportTraceServiceResponse.Parser.ParseFrom));

    /// <summary>Registers the Export method (called by the gRPC host with a null service when it discovers methods).</summary>
    public static void BindService(ServiceBinderBase binder, OtlpTraceGrpcService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(ExportMethod, service is null ? null : service.Export);
    }

    /// <summary>Stores the spans of one export request.</summary>
    public virtual async Task<ExportTraceServiceResponse> Export(OtlpPayload request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        using (request)
        {
            var result = await OtlpGrpc.RunAsync(() => receiver.ExportTracesAsync(request.Body, context.CancellationToken)).ConfigureAwait(false);
            var response = new ExportTraceServiceResponse();
            if (result.Rejected > 0 || result.ErrorMessage is not null)
            {
                response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = result.Rejected, ErrorMessage = result.ErrorMessage ?? "" };
            }

            return response;
        }
    }
}

/// <summary><c>opentelemetry.proto.collector.logs.v1.LogsService</c>, taking the encoded request as the trace service does.</summary>
/// <remarks>Not sealed, for the same reason as <see cref="OtlpTraceGrpcService"/>.</remarks>
[BindServiceMethod(typeof(OtlpLogsGrpcService), nameof(BindService))]
public class OtlpLogsGrpcService(OtlpReceiver receiver)
{
    private static readonly Method<OtlpPayload, ExportLogsServiceResponse> ExportMethod = new(
        MethodType.Unary,
        "opentelemetry.proto.collector.logs.v1.LogsService",
        "Export",
        OtlpPayload.Marshaller,
        Marshallers.Create(r => r.ToByteArray(), ExportLogsServiceResponse.Parser.ParseFrom));

    /// <summary>Registers the Export method (called by the gRPC host with a null service when it discovers methods).</summary>
    public static void BindService(ServiceBinderBase binder, OtlpLogsGrpcService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(ExportMethod, service is null ? null : service.Export);
    }

    /// <summary>Stores the records of one export request.</summary>
    public virtual async Task<ExportLogsServiceResponse> Export(OtlpPayload request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        using (request)
        {
            var result = await OtlpGrpc.RunAsync(() => receiver.ExportLogsAsync(request.Body, context.CancellationToken)).ConfigureAwait(false);
            var response = new ExportLogsServiceResponse();
            if (result.Rejected > 0 || result.ErrorMessage is not null)
            {
                response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = result.Rejected, ErrorMessage = result.ErrorMessage ?? "" };
            }

            return response;
        }
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
