using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Logs.V1;
using LumaDB.Protocols.Otlp.Trace.V1;
using LumaDB.Server.Tests.Infrastructure;
using Npgsql;

namespace LumaDB.Server.Tests.Otlp;

/// <summary>
/// Raw OTLP over the sockets of a running luma: request bodies built from the OTLP message types (or broken on
/// purpose), posted with HttpClient or sent as the bytes of a gRPC Export call, and row counts read back by SQL.
/// </summary>
internal static class OtlpWire
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static readonly Method<byte[], byte[]> TraceExport = new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Bytes, Bytes);

    public static readonly Method<byte[], byte[]> LogsExport = new(MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export", Bytes, Bytes);

    public static readonly Method<byte[], byte[]> MetricsExport = new(MethodType.Unary, "opentelemetry.proto.collector.metrics.v1.MetricsService", "Export", Bytes, Bytes);

    private static long _ids = DateTime.UtcNow.Ticks;

    /// <summary>A fresh, valid id of <paramref name="length"/> bytes.</summary>
    public static byte[] Id(int length)
    {
        var id = new byte[length];
        BitConverter.TryWriteBytes(id, Interlocked.Increment(ref _ids));
        id[^1] = 0x5a;
        return id;
    }

    public static Span NewSpan(string name, byte[]? traceId = null, byte[]? spanId = null) => new()
    {
        TraceId = ByteString.CopyFrom(traceId ?? Id(16)),
        SpanId = ByteString.CopyFrom(spanId ?? Id(8)),
        Name = name,
        Kind = Span.Types.SpanKind.Server,
        StartTimeUnixNano = 1_764_028_800_000_000_000,
        EndTimeUnixNano = 1_764_028_800_250_000_000,
        Attributes = { new KeyValue { Key = "http.route", Value = new AnyValue { StringValue = "/cart" } } },
    };

    public static ExportTraceServiceRequest Traces(string service, params Span[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "tests" } };
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans { Resource = new Protocols.Otlp.Resource.V1.Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        resource.ScopeSpans.Add(scope);
        return new ExportTraceServiceRequest { ResourceSpans = { resource } };
    }

    public static ExportTraceServiceRequest Traces(string service, int count) =>
        Traces(service, Enumerable.Range(0, count).Select(i => NewSpan("span " + i)).ToArray());

    public static ExportLogsServiceRequest Logs(string service, params LogRecord[] records)
    {
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "tests" } };
        scope.LogRecords.AddRange(records);
        var resource = new ResourceLogs { Resource = new Protocols.Otlp.Resource.V1.Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        resource.ScopeLogs.Add(scope);
        return new ExportLogsServiceRequest { ResourceLogs = { resource } };
    }

    public static LogRecord Log(string body, byte[]? traceId = null) => new()
    {
        TimeUnixNano = (ulong)((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100),
        SeverityNumber = SeverityNumber.Info,
        Body = new AnyValue { StringValue = body },
        TraceId = traceId is null ? ByteString.Empty : ByteString.CopyFrom(traceId),
    };

    public static async Task<HttpResponseMessage> PostAsync(LumaProcess luma, string signal, byte[] body, string contentType = "application/x-protobuf", string? encoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return await luma.Http.PostAsync(new Uri($"http://127.0.0.1:{luma.Ports.OtlpHttp}/v1/{signal}"), content);
    }

    public static GrpcChannel Channel(LumaProcess luma) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{luma.Ports.OtlpGrpc}", new GrpcChannelOptions { MaxSendMessageSize = null });

    public static async Task<byte[]> ExportAsync(GrpcChannel channel, Method<byte[], byte[]> method, byte[] body) =>
        await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)), body);

    public static async Task<long> CountAsync(LumaProcess luma, string table, string service)
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={luma.Ports.Postgres};Username=luma;Database=luma;Timeout=10;Pooling=false;Server Compatibility Mode=NoTypeLoading");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE service_name = '{service}'", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
