using System.Net;
using Google.Protobuf;
using Grpc.Core;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Otlp;

/// <summary>
/// With one OTLP request allowed in flight, concurrent exports are partly refused with 429 and Retry-After (HTTP)
/// or UNAVAILABLE (gRPC); refused requests store nothing, the accepted ones store everything, and the server
/// takes the next export as usual.
/// </summary>
public sealed class OtlpOverloadTests
{
    [Fact]
    public async Task Exports_beyond_the_in_flight_limit_get_429_with_retry_after_or_unavailable_and_store_nothing()
    {
        await using var luma = await LumaProcess.StartReadyAsync(["--set", "otlp.max_concurrent_requests=1"]);
        var service = "overload-" + Guid.NewGuid().ToString("N")[..8];
        const int SpansPerRequest = 2000;
        int accepted = 0, throttled = 0, unavailable = 0;
        using var channel = OtlpWire.Channel(luma);

        // Rounds of simultaneous exports until both kinds of refusal were seen (the first round nearly always does it).
        for (var round = 0; round < 10 && (throttled == 0 || unavailable == 0); round++)
        {
            var bodies = Enumerable.Range(0, 12).Select(_ => OtlpWire.Traces(service, SpansPerRequest).ToByteArray()).ToArray();
            var results = await Task.WhenAll(bodies.Select(async (body, i) =>
            {
                if (i % 2 == 0)
                {
                    using var response = await OtlpWire.PostAsync(luma, "traces", body);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
                        return "throttled";
                    }

                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return "accepted";
                }

                try
                {
                    await OtlpWire.ExportAsync(channel, OtlpWire.TraceExport, body);
                    return "accepted";
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    return "unavailable";
                }
            }));
            accepted += results.Count(r => r == "accepted");
            throttled += results.Count(r => r == "throttled");
            unavailable += results.Count(r => r == "unavailable");
        }

        Assert.True(throttled > 0, "no export was refused with 429");
        Assert.True(unavailable > 0, "no export was refused with UNAVAILABLE");
        Assert.Equal((long)accepted * SpansPerRequest, await OtlpWire.CountAsync(luma, "otel_traces", service));

        using var after = await OtlpWire.PostAsync(luma, "traces", OtlpWire.Traces(service, 1).ToByteArray());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(((long)accepted * SpansPerRequest) + 1, await OtlpWire.CountAsync(luma, "otel_traces", service));
    }
}
