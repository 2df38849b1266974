using System.Buffers;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using Snappier;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class RemoteWriteContentTests
{
    [Theory]
    [InlineData(null, RemoteWriteVersion.V1)]
    [InlineData("application/x-protobuf", RemoteWriteVersion.V1)]
    [InlineData("application/x-protobuf;proto=prometheus.WriteRequest", RemoteWriteVersion.V1)]
    [InlineData("application/x-protobuf; proto=io.prometheus.write.v2.Request", RemoteWriteVersion.V2)]
    public void Content_type_selects_the_protocol_version(string? contentType, RemoteWriteVersion expected)
    {
        Assert.True(RemoteWriteContent.TryNegotiate(contentType, "snappy", out var version, out var error), error);
        Assert.Equal(expected, version);
    }

    [Theory]
    [InlineData("application/json", "snappy", "unsupported Content-Type")]
    [InlineData("application/x-protobuf;proto=io.prometheus.write.v3.Request", "snappy", "unsupported remote write message")]
    [InlineData("application/x-protobuf", "gzip", "unsupported Content-Encoding")]
    public void Unsupported_types_and_encodings_are_refused(string contentType, string encoding, string expected)
    {
        Assert.False(RemoteWriteContent.TryNegotiate(contentType, encoding, out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snappy_block_round_trips_through_a_pooled_buffer()
    {
        var original = RemoteWriteEncoder.V1([new RemoteWriteEncoder.Series([("__name__", "up")], [(1, 1)])]);
        var compressed = Snappy.CompressToArray(original);

        Assert.True(RemoteWriteContent.TryDecompress(compressed, 1 << 20, out var buffer, out var length, out var error), error);

        Assert.Equal(original, buffer.AsSpan(0, length).ToArray());
        ArrayPool<byte>.Shared.Return(buffer!);
    }

    [Fact]
    public void A_body_larger_than_the_limit_is_refused_before_decompressing()
    {
        var compressed = Snappy.CompressToArray(new byte[100_000]);

        Assert.False(RemoteWriteContent.TryDecompress(compressed, 50_000, out var buffer, out _, out var error));
        Assert.Null(buffer);
        Assert.Equal("decompressed body of 100000 bytes exceeds the limit of 50000 bytes", error);
    }

    [Fact]
    public void Corrupt_snappy_data_is_refused_without_throwing()
    {
        var compressed = Snappy.CompressToArray(System.Text.Encoding.UTF8.GetBytes(new string('a', 1000) + "xyz"));
        compressed[^3] ^= 0xFF;
        var random = new Random(7);

        Assert.False(RemoteWriteContent.TryDecompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 1 << 20, out _, out _, out _));
        for (var i = 0; i < 500; i++)
        {
            var garbage = new byte[random.Next(1, 64)];
            random.NextBytes(garbage);
            RemoteWriteContent.TryDecompress(garbage, 1 << 20, out var buffer, out _, out _);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
