using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LumaDB.Protocols.Postgres;

namespace LumaDB.Protocols.Tests.Postgres;

public sealed class StartupPacketParserTests
{
    private static byte[] Startup(params (string Key, string Value)[] parameters)
    {
        var body = new List<byte>();
        foreach (var (key, value) in parameters)
        {
            body.AddRange(Encoding.UTF8.GetBytes(key));
            body.Add(0);
            body.AddRange(Encoding.UTF8.GetBytes(value));
            body.Add(0);
        }

        body.Add(0);
        var packet = new byte[8 + body.Count];
        BinaryPrimitives.WriteInt32BigEndian(packet, packet.Length);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(4), StartupPacketParser.Protocol30);
        body.CopyTo(packet, 8);
        return packet;
    }

    [Fact]
    public void A_startup_message_yields_its_version_and_parameters()
    {
        var status = StartupPacketParser.TryParse(new ReadOnlySequence<byte>(Startup(("user", "luma"), ("database", "metrics"))), out var packet, out var consumed, out _);

        Assert.Equal(PgFrameStatus.Complete, status);
        Assert.Equal(StartupPacketKind.Startup, packet!.Kind);
        Assert.Equal(3, packet.MajorVersion);
        Assert.Equal(0, packet.MinorVersion);
        Assert.Equal("luma", packet.Parameters["user"]);
        Assert.Equal("metrics", packet.Parameters["database"]);
        Assert.Equal(Startup(("user", "luma"), ("database", "metrics")).Length, consumed);
    }

    [Fact]
    public void Every_proper_prefix_of_a_packet_is_incomplete_and_consumes_nothing()
    {
        var bytes = Startup(("user", "luma"), ("application_name", "psql"));
        for (var length = 0; length < bytes.Length; length++)
        {
            var status = StartupPacketParser.TryParse(new ReadOnlySequence<byte>(bytes, 0, length), out var packet, out var consumed, out _);

            Assert.Equal(PgFrameStatus.Incomplete, status);
            Assert.Null(packet);
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void Ssl_gssenc_and_cancel_requests_are_recognised()
    {
        var ssl = new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F };
        var gss = new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x30 };
        var cancel = new byte[] { 0, 0, 0, 16, 0x04, 0xD2, 0x16, 0x2E, 0, 0, 0, 1, 0, 0, 0, 2 };

        StartupPacketParser.TryParse(new ReadOnlySequence<byte>(ssl), out var a, out _, out _);
        StartupPacketParser.TryParse(new ReadOnlySequence<byte>(gss), out var b, out _, out _);
        StartupPacketParser.TryParse(new ReadOnlySequence<byte>(cancel), out var c, out _, out _);

        Assert.Equal(StartupPacketKind.SslRequest, a!.Kind);
        Assert.Equal(StartupPacketKind.GssEncRequest, b!.Kind);
        Assert.Equal(StartupPacketKind.CancelRequest, c!.Kind);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 4, 0, 3, 0, 0 })]
    [InlineData(new byte[] { 0x7F, 0, 0, 0, 0, 3, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 12, 0, 3, 0, 0, (byte)'u', 0, (byte)'x', 1 })]
    [InlineData(new byte[] { 0, 0, 0, 9, 0x04, 0xD2, 0x16, 0x2F, 0 })]
    public void Malformed_packets_are_errors_not_exceptions(byte[] bytes)
    {
        var status = StartupPacketParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _, out var error);

        Assert.Equal(PgFrameStatus.Error, status);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
