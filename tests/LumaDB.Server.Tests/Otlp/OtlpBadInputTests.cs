using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Otlp;

/// <summary>One luma with a 64 KiB OTLP request limit for the bad-input checks of this class.</summary>
public sealed class SmallLimitServerFixture : IAsyncLifetime
{
    public const int Limit = 64 * 1024;

    public LumaProcess Luma { get; private set; } = null!;

    public async Task InitializeAsync() => Luma = await LumaProcess.StartReadyAsync(["--set", $"otlp.max_request_size={Limit}"]);

    public async Task DisposeAsync() => await Luma.DisposeAsync();
}

/// <summary>
/// Malformed, oversize and mislabelled OTLP requests over real sockets: each gets the code the OTLP specification
/// gives, SQL then shows that nothing of it was stored, and a good export right after it is stored in full.
/// </summary>
public sealed class OtlpBadInputTests(SmallLimitServerFixture fixture) : IClassFixture<SmallLimitServerFixture>
{
    private LumaProcess Luma => fixture.Luma;

    private static string NewService() => "svc-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Nothing of the refused request is in otel_traces, and a following good export is stored whole.</summary>
    private async Task AssertNothingStoredThenGoodExportWorksAsync(string service, bool grpc = false)
    {
        Assert.Equal(0, await OtlpWire.CountAsync(Luma, "otel_traces", service));
        var good = OtlpWire.Traces(service, 3).ToByteArray();
        if (grpc)
        {
            using var channel = OtlpWire.Channel(Luma);
            Assert.Empty(await OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, good));
        }
        else
        {
            using var response = await OtlpWire.PostAsync(Luma, "traces", good);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, await OtlpWire.CountAsync(Luma, "otel_traces", service));
    }

    private static async Task<(int Code, string Message)> RpcStatusAsync(HttpResponseMessage response)
    {
        // google.rpc.Status: 1 code (varint), 2 message (string).
        var body = await response.Content.ReadAsByteArrayAsync();
        var input = new CodedInputStream(body);
        var (code, message) = (0, "");
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: code = input.ReadInt32(); break;
                case 2: message = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (code, message);
    }

    [Fact]
    public async Task Truncated_protobuf_is_400_invalid_argument_and_stores_nothing()
    {
        var service = NewService();
        var whole = OtlpWire.Traces(service, 5).ToByteArray();

        using var response = await OtlpWire.PostAsync(Luma, "traces", whole[..(whole.Length - 7)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var (code, message) = await RpcStatusAsync(response);
        Assert.Equal(3, code);
        Assert.Contains("protobuf", message, StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task Garbage_bytes_as_protobuf_are_400()
    {
        var garbage = Enumerable.Range(0, 300).Select(i => (byte)(0xFF - (i % 7))).ToArray();

        using var response = await OtlpWire.PostAsync(Luma, "logs", garbage);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, (await RpcStatusAsync(response)).Code);
        await AssertNothingStoredThenGoodExportWorksAsync(NewService());
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_json_status_and_stores_nothing()
    {
        var service = NewService();
        var json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service +
            "\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\"},{\"traceId\":";

        using var response = await OtlpWire.PostAsync(Luma, "traces", Encoding.UTF8.GetBytes(json), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, status.RootElement.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(status.RootElement.GetProperty("message").GetString()));
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task A_15_byte_trace_id_refuses_the_whole_request_over_http()
    {
        var service = NewService();
        var request = OtlpWire.Traces(service, OtlpWire.NewSpan("good"), OtlpWire.NewSpan("bad", traceId: OtlpWire.Id(15)), OtlpWire.NewSpan("good too"));

        using var response = await OtlpWire.PostAsync(Luma, "traces", request.ToByteArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("16 bytes", (await RpcStatusAsync(response)).Message, StringComparison.Ordinal);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task A_json_trace_id_of_the_wrong_length_is_400()
    {
        var service = NewService();
        var json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service +
            "\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc6\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\"}]}]}]}";

        using var response = await OtlpWire.PostAsync(Luma, "traces", Encoding.UTF8.GetBytes(json), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task A_log_record_with_a_short_trace_id_refuses_its_request()
    {
        var service = NewService();
        var request = OtlpWire.Logs(service, OtlpWire.Log("fine"), OtlpWire.Log("short id", OtlpWire.Id(15)));

        using var response = await OtlpWire.PostAsync(Luma, "logs", request.ToByteArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await OtlpWire.CountAsync(Luma, "otel_logs", service));
        using var good = await OtlpWire.PostAsync(Luma, "logs", OtlpWire.Logs(service, OtlpWire.Log("fine")).ToByteArray());
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(1, await OtlpWire.CountAsync(Luma, "otel_logs", service));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_resource_exhausted()
    {
        var service = NewService();
        var body = OtlpWire.Traces(service, 800).ToByteArray();
        Assert.True(body.Length > SmallLimitServerFixture.Limit);

        using var response = await OtlpWire.PostAsync(Luma, "traces", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(8, (await RpcStatusAsync(response)).Code);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_with_413_once_it_inflates_past_the_limit()
    {
        var service = NewService();

        // A valid request followed by megabytes of zeros: a few kilobytes compressed, far over the limit inflated.
        var request = OtlpWire.Traces(service, 3).ToByteArray();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(request);
            gzip.Write(new byte[16 << 20]);
        }

        Assert.True(compressed.Length < SmallLimitServerFixture.Limit);

        using var response = await OtlpWire.PostAsync(Luma, "traces", compressed.ToArray(), encoding: "gzip");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task A_body_labelled_gzip_that_is_not_gzip_is_400()
    {
        var service = NewService();

        using var response = await OtlpWire.PostAsync(Luma, "traces", OtlpWire.Traces(service, 2).ToByteArray(), encoding: "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData("application/x-protobuf", "br")]
    public async Task Another_content_type_or_encoding_is_415(string contentType, string? encoding)
    {
        var service = NewService();

        using var response = await OtlpWire.PostAsync(Luma, "traces", OtlpWire.Traces(service, 2).ToByteArray(), contentType, encoding);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service);
    }

    [Fact]
    public async Task Spans_with_all_zero_ids_are_rejected_alone_in_a_partial_success_over_http()
    {
        var service = NewService();
        var request = OtlpWire.Traces(service,
            OtlpWire.NewSpan("a"), OtlpWire.NewSpan("zero trace", traceId: new byte[16]), OtlpWire.NewSpan("b"), OtlpWire.NewSpan("zero span", spanId: new byte[8]));

        using var response = await OtlpWire.PostAsync(Luma, "traces", request.ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, answer.PartialSuccess.RejectedSpans);
        Assert.Contains("trace_id", answer.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, await OtlpWire.CountAsync(Luma, "otel_traces", service));
    }

    [Fact]
    public async Task Partial_success_over_json_names_rejected_spans()
    {
        var service = NewService();
        var json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service +
            "\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60d\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"a\"}," +
            "{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"eee19b7ec3c1b175\",\"name\":\"b\"}]}]}]}";

        using var response = await OtlpWire.PostAsync(Luma, "traces", Encoding.UTF8.GetBytes(json), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var partial = answer.RootElement.GetProperty("partialSuccess");
        Assert.Equal("1", partial.GetProperty("rejectedSpans").GetString());
        Assert.False(string.IsNullOrEmpty(partial.GetProperty("errorMessage").GetString()));
        Assert.Equal(1, await OtlpWire.CountAsync(Luma, "otel_traces", service));
    }

    [Fact]
    public async Task Malformed_grpc_messages_are_invalid_argument_and_store_nothing()
    {
        var service = NewService();
        var whole = OtlpWire.Traces(service, 5).ToByteArray();
        using var channel = OtlpWire.Channel(Luma);

        var truncated = await Assert.ThrowsAsync<RpcException>(() => OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, whole[..(whole.Length - 7)]));
        var garbage = await Assert.ThrowsAsync<RpcException>(() => OtlpWire.ExportAsync(channel, OtlpWire.LogsExport, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]));

        Assert.Equal(StatusCode.InvalidArgument, truncated.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, garbage.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service, grpc: true);
    }

    [Fact]
    public async Task A_malformed_grpc_metrics_message_is_invalid_argument_and_the_service_keeps_serving()
    {
        using var channel = OtlpWire.Channel(Luma);

        var garbage = await Assert.ThrowsAsync<RpcException>(() => OtlpWire.ExportAsync(channel, OtlpWire.MetricsExport, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]));
        var answer = await OtlpWire.ExportAsync(channel, OtlpWire.MetricsExport, []);

        Assert.Equal(StatusCode.InvalidArgument, garbage.StatusCode);
        Assert.StartsWith("invalid protobuf", garbage.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(answer);
    }

    [Fact]
    public async Task A_15_byte_trace_id_over_grpc_is_invalid_argument()
    {
        var service = NewService();
        var request = OtlpWire.Traces(service, OtlpWire.NewSpan("good"), OtlpWire.NewSpan("bad", traceId: OtlpWire.Id(15)));
        using var channel = OtlpWire.Channel(Luma);

        var error = await Assert.ThrowsAsync<RpcException>(() => OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, request.ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("16 bytes", error.Status.Detail, StringComparison.Ordinal);
        await AssertNothingStoredThenGoodExportWorksAsync(service, grpc: true);
    }

    [Fact]
    public async Task An_oversize_grpc_message_is_resource_exhausted()
    {
        var service = NewService();
        var body = OtlpWire.Traces(service, 800).ToByteArray();
        using var channel = OtlpWire.Channel(Luma);

        var error = await Assert.ThrowsAsync<RpcException>(() => OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, body));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await AssertNothingStoredThenGoodExportWorksAsync(service, grpc: true);
    }

    [Fact]
    public async Task Spans_with_all_zero_ids_are_rejected_alone_in_a_partial_success_over_grpc()
    {
        var service = NewService();
        var request = OtlpWire.Traces(service, OtlpWire.NewSpan("a"), OtlpWire.NewSpan("zero", traceId: new byte[16]));
        using var channel = OtlpWire.Channel(Luma);

        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, request.ToByteArray()));

        Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
        Assert.False(string.IsNullOrEmpty(answer.PartialSuccess.ErrorMessage));
        Assert.Equal(1, await OtlpWire.CountAsync(Luma, "otel_traces", service));
    }
}
