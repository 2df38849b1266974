using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;

namespace LumaDB.Bench.Otlp;

/// <summary>Sends encoded export requests over OTLP/HTTP (protobuf) or OTLP/gRPC, as an SDK exporter would.</summary>
internal abstract class Exporter : IDisposable
{
    public abstract string Protocol { get; }

    /// <summary>Sends one request; returns null on success, else what went wrong.</summary>
    public abstract Task<string?> ExportAsync(bool traces, ReadOnlyMemory<byte> body);

    public abstract void Dispose();
}

/// <summary>POST /v1/traces and /v1/logs with application/x-protobuf bodies, one connection per exporter.</summary>
internal sealed class HttpExporter(string host, int port) : Exporter
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _traces = new($"http://{host}:{port}/v1/traces");
    private readonly Uri _logs = new($"http://{host}:{port}/v1/logs");

    public override string Protocol => "http";

    public override async Task<string?> ExportAsync(bool traces, ReadOnlyMemory<byte> body)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Protobuf;
        using var response = await _http.PostAsync(traces ? _traces : _logs, content);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            // A partial success would carry a body; a full success is empty.
            var answer = await response.Content.ReadAsByteArrayAsync();
            return answer.Length == 0 ? null : "partial success";
        }

        return $"HTTP {(int)response.StatusCode}";
    }

    public override void Dispose() => _http.Dispose();
}

/// <summary>The TraceService and LogsService Export calls with the already-encoded request as the message.</summary>
internal sealed class GrpcExporter : Exporter
{
    private static readonly Marshaller<Payload> Request = new(
        (body, context) =>
        {
            var length = body.Bytes.Length;
            context.SetPayloadLength(length);
            var target = context.GetBufferWriter();
            body.Bytes.Span.CopyTo(target.GetSpan(length));
            target.Advance(length);
            context.Complete();
        },
        _ => throw new NotSupportedException());

    private static readonly Marshaller<byte[]> Response = Marshallers.Create(b => b, b => b);
    private static readonly Method<Payload, byte[]> TraceExport =
        new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Request, Response);

    private static readonly Method<Payload, byte[]> LogsExport =
        new(MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export", Request, Response);

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;

    public GrpcExporter(string host, int port)
    {
        _channel = GrpcChannel.ForAddress($"http://{host}:{port}", new GrpcChannelOptions { MaxSendMessageSize = null });
        _invoker = _channel.CreateCallInvoker();
    }

    public override string Protocol => "grpc";

    public override async Task<string?> ExportAsync(bool traces, ReadOnlyMemory<byte> body)
    {
        try
        {
            var answer = await _invoker.AsyncUnaryCall(traces ? TraceExport : LogsExport, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), new Payload(body));
            return answer.Length == 0 ? null : "partial success";
        }
        catch (RpcException e)
        {
            return $"gRPC {e.StatusCode}";
        }
    }

    public override void Dispose() => _channel.Dispose();
}

/// <summary>An encoded request as a gRPC message (messages must be reference types).</summary>
internal sealed record Payload(ReadOnlyMemory<byte> Bytes);
