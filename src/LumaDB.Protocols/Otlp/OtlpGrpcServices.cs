using Google.Protobuf;
using Grpc.Core;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Metrics.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// What the three OTLP export services share: the Export method taking the request as its encoded bytes (so a
/// message that does not parse is answered INVALID_ARGUMENT like any other malformed request; a generated parser
/// failing inside the framework would answer UNKNOWN), the refusals as the gRPC statuses OTLP senders act on, and
/// the partial-success response.
/// </summary>
internal static class OtlpGrpcExport
{
    /// <summary>The unary Export method of <paramref name="service"/>.</summary>
    public static Method<OtlpPayload, TResponse> Method<TResponse>(string service, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse> =>
        new(MethodType.Unary, service, "Export", OtlpPayload.Marshaller, Marshallers.Create(r => r.ToByteArray(), parser.ParseFrom));

    /// <summary>Runs <paramref name="export"/> on the request bytes and answers with <paramref name="respond"/>.</summary>
    /// <param name="request">The encoded request; returned to its pool when done.</param>
    /// <param name="context">The call.</param>
    /// <param name="export">Stores the request.</param>
    /// <param name="respond">The response for a result; called with a partial success only when items were refused.</param>
    public static async Task<TResponse> RunAsync<TResponse>(
        OtlpPayload request,
        ServerCallContext context,
        Func<ReadOnlyMemory<byte>, CancellationToken, Task<OtlpExportResult>> export,
        Func<OtlpExportResult, TResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        using (request)
        {
            OtlpExportResult result;
            try
            {
                result = await export(request.Body, context.CancellationToken).ConfigureAwait(false);
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

            return respond(result);
        }
    }

    /// <summary>True when the response carries a partial success (items refused or a message).</summary>
    public static bool IsPartial(OtlpExportResult result) => result.Rejected > 0 || result.ErrorMessage is not null;
}

/// <summary><c>opentelemetry.proto.collector.trace.v1.TraceService</c>; the request is decoded straight into rows.</summary>
/// <remarks>Not sealed: the gRPC host binds an Export method only when it is virtual and declared by the type naming BindService.</remarks>
[BindServiceMethod(typeof(OtlpTraceGrpcService), nameof(BindService))]
public class OtlpTraceGrpcService(OtlpReceiver receiver)
{
    private static readonly Method<OtlpPayload, ExportTraceServiceResponse> ExportMethod =
        OtlpGrpcExport.Method("opentelemetry.proto.collector.trace.v1.TraceService", ExportTraceServiceResponse.Parser);

    /// <summary>Registers the Export method (called by the gRPC host with a null service when it discovers methods).</summary>
    public static void BindService(ServiceBinderBase binder, OtlpTraceGrpcService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(ExportMethod, service is null ? null : service.Export);
    }

    /// <summary>Stores the spans of one export request.</summary>
    public virtual Task<ExportTraceServiceResponse> Export(OtlpPayload request, ServerCallContext context) =>
        OtlpGrpcExport.RunAsync(request, context, receiver.ExportTracesAsync, static r => OtlpGrpcExport.IsPartial(r)
            ? new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = r.Rejected, ErrorMessage = r.ErrorMessage ?? "" } }
            : new ExportTraceServiceResponse());
}

/// <summary><c>opentelemetry.proto.collector.logs.v1.LogsService</c>; the request is decoded straight into rows.</summary>
/// <remarks>Not sealed, for the same reason as <see cref="OtlpTraceGrpcService"/>.</remarks>
[BindServiceMethod(typeof(OtlpLogsGrpcService), nameof(BindService))]
public class OtlpLogsGrpcService(OtlpReceiver receiver)
{
    private static readonly Method<OtlpPayload, ExportLogsServiceResponse> ExportMethod =
        OtlpGrpcExport.Method("opentelemetry.proto.collector.logs.v1.LogsService", ExportLogsServiceResponse.Parser);

    /// <summary>Registers the Export method (called by the gRPC host with a null service when it discovers methods).</summary>
    public static void BindService(ServiceBinderBase binder, OtlpLogsGrpcService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(ExportMethod, service is null ? null : service.Export);
    }

    /// <summary>Stores the records of one export request.</summary>
    public virtual Task<ExportLogsServiceResponse> Export(OtlpPayload request, ServerCallContext context) =>
        OtlpGrpcExport.RunAsync(request, context, receiver.ExportLogsAsync, static r => OtlpGrpcExport.IsPartial(r)
            ? new ExportLogsServiceResponse { PartialSuccess = new() { RejectedLogRecords = r.Rejected, ErrorMessage = r.ErrorMessage ?? "" } }
            : new ExportLogsServiceResponse());
}

/// <summary><c>opentelemetry.proto.collector.metrics.v1.MetricsService</c>; the request is parsed by the receiver.</summary>
/// <remarks>Not sealed, for the same reason as <see cref="OtlpTraceGrpcService"/>.</remarks>
[BindServiceMethod(typeof(OtlpMetricsGrpcService), nameof(BindService))]
public class OtlpMetricsGrpcService(OtlpReceiver receiver)
{
    private static readonly Method<OtlpPayload, ExportMetricsServiceResponse> ExportMethod =
        OtlpGrpcExport.Method("opentelemetry.proto.collector.metrics.v1.MetricsService", ExportMetricsServiceResponse.Parser);

    /// <summary>Registers the Export method (called by the gRPC host with a null service when it discovers methods).</summary>
    public static void BindService(ServiceBinderBase binder, OtlpMetricsGrpcService? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(ExportMethod, service is null ? null : service.Export);
    }

    /// <summary>Stores the data points of one export request.</summary>
    public virtual Task<ExportMetricsServiceResponse> Export(OtlpPayload request, ServerCallContext context) =>
        OtlpGrpcExport.RunAsync(request, context, receiver.ExportMetricsAsync, static r => OtlpGrpcExport.IsPartial(r)
            ? new ExportMetricsServiceResponse { PartialSuccess = new() { RejectedDataPoints = r.Rejected, ErrorMessage = r.ErrorMessage ?? "" } }
            : new ExportMetricsServiceResponse());
}
