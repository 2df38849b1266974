using System.Text;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Snappier;
using static LumaDB.Protocols.Tests.Prometheus.RemoteWriteEncoder;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class RemoteWriteEndpointTests
{
    /// <summary>Counts what reaches the store, or refuses like a store at its series limit.</summary>
    private sealed class CountingReceiver(int? refuseWith = null) : IRemoteWriteReceiver
    {
        public int Requests { get; private set; }

        public ValueTask<RemoteWriteCounts> ApplyAsync(ReadOnlyMemory<byte> body, RemoteWriteVersion version, RemoteWriteDecoder decoder, CancellationToken cancellationToken)
        {
            if (refuseWith is { } status)
            {
                throw new RemoteWriteRejectedException(status, "active series limit of 10 reached");
            }

            Requests++;
            decoder.TryValidate(body.Span, version, out var counts, out _);
            return ValueTask.FromResult(counts);
        }
    }

    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> PostAsync(CountingReceiver receiver, byte[] body, string? contentType = "application/x-protobuf", string? encoding = "snappy", RemoteWriteLimits? limits = null)
    {
        var endpoint = new RemoteWriteEndpoint(receiver, limits ?? new RemoteWriteLimits(), NullLogger<RemoteWriteEndpoint>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        if (encoding is not null)
        {
            context.Request.Headers.ContentEncoding = encoding;
        }

        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        var response = new MemoryStream();
        context.Response.Body = response;

        await endpoint.HandleAsync(context);

        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()), context.Response.Headers);
    }

    private static byte[] ValidV1() => Snappy.CompressToArray(V1([new Series([("__name__", "up"), ("job", "a")], [(1, 1), (2, 2)])]));

    [Fact]
    public async Task A_valid_request_is_applied_and_answered_204()
    {
        var receiver = new CountingReceiver();

        var (status, _, _) = await PostAsync(receiver, ValidV1());

        Assert.Equal(204, status);
        Assert.Equal(1, receiver.Requests);
    }

    [Fact]
    public async Task A_v2_request_is_answered_with_written_counts()
    {
        var receiver = new CountingReceiver();
        var body = Snappy.CompressToArray(V2(["", "__name__", "up"], [(new uint[] { 1, 2 }, [(1, 1), (2, 1), (3, 1)], null)]));

        var (status, _, headers) = await PostAsync(receiver, body, "application/x-protobuf;proto=io.prometheus.write.v2.Request");

        Assert.Equal(204, status);
        Assert.Equal("3", headers["X-Prometheus-Remote-Write-Samples-Written"].ToString());
        Assert.Equal("0", headers["X-Prometheus-Remote-Write-Histograms-Written"].ToString());
    }

    [Fact]
    public async Task A_malformed_protobuf_is_a_400_and_nothing_is_applied()
    {
        var receiver = new CountingReceiver();
        var raw = V1([new Series([("__name__", "up")], [(1, 1)])]);

        var (status, body, _) = await PostAsync(receiver, Snappy.CompressToArray(raw.AsSpan(0, raw.Length - 3).ToArray()));

        Assert.Equal(400, status);
        Assert.Contains("malformed", body, StringComparison.Ordinal);
        Assert.Equal(0, receiver.Requests);
    }

    [Fact]
    public async Task A_corrupt_snappy_frame_is_a_400()
    {
        var (status, body, _) = await PostAsync(new CountingReceiver(), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3]);

        Assert.Equal(400, status);
        Assert.Contains("snappy", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_labels_are_a_400_naming_the_problem()
    {
        var raw = Snappy.CompressToArray(V1([new Series([("__name__", "up"), ("a", "1"), ("a", "2")], [(1, 1)])]));

        var (status, body, _) = await PostAsync(new CountingReceiver(), raw);

        Assert.Equal(400, status);
        Assert.Contains("duplicate label name \"a\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_encoding_or_message_is_a_415()
    {
        Assert.Equal(415, (await PostAsync(new CountingReceiver(), ValidV1(), encoding: "gzip")).Status);
        Assert.Equal(415, (await PostAsync(new CountingReceiver(), ValidV1(), contentType: "application/x-protobuf;proto=other.Message")).Status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var (status, _, _) = await PostAsync(new CountingReceiver(), ValidV1(), limits: new RemoteWriteLimits { MaxRequestBytes = 8 });

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task A_decompressed_body_over_the_limit_is_a_400_before_decoding()
    {
        var (status, body, _) = await PostAsync(new CountingReceiver(), ValidV1(), limits: new RemoteWriteLimits { MaxDecompressedBytes = 10 });

        Assert.Equal(400, status);
        Assert.Contains("exceeds the limit", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_refusal_keeps_its_retryable_status()
    {
        var (status, body, _) = await PostAsync(new CountingReceiver(refuseWith: 429), ValidV1());

        Assert.Equal(429, status);
        Assert.Contains("active series limit", body, StringComparison.Ordinal);
    }
}
