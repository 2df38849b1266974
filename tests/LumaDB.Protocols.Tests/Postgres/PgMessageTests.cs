using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LumaDB.Protocols.Postgres;
using LumaDB.Protocols.Postgres.Messages;

namespace LumaDB.Protocols.Tests.Postgres;

public sealed class PgMessageTests
{
    private static byte[] Frame(byte type, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        var message = new byte[5 + body.Length];
        message[0] = type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Length);
        body.CopyTo(message, 5);
        return message;
    }

    private static byte[] CStr(string s) => [.. Encoding.UTF8.GetBytes(s), 0];

    private static byte[] I16(short v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, v);
        return b;
    }

    private static byte[] I32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, v);
        return b;
    }

    [Fact]
    public void Every_proper_prefix_of_a_message_is_incomplete_and_consumes_nothing()
    {
        var message = Frame((byte)'Q', CStr("select 1"));
        for (var length = 0; length < message.Length; length++)
        {
            var status = PgMessageReader.TryRead(new ReadOnlySequence<byte>(message, 0, length), 1 << 20, out _, out _, out var consumed, out _);

            Assert.Equal(PgFrameStatus.Incomplete, status);
            Assert.Equal(0, consumed);
        }

        Assert.Equal(PgFrameStatus.Complete, PgMessageReader.TryRead(new ReadOnlySequence<byte>(message), 1 << 20, out var type, out var body, out var used, out _));
        Assert.Equal((byte)'Q', type);
        Assert.Equal(message.Length, used);
        Assert.Equal(CStr("select 1"), body.ToArray());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2_000_000)]
    public void A_length_out_of_bounds_is_an_error(int length)
    {
        var message = new byte[] { (byte)'Q', 0, 0, 0, 0 };
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), length);

        Assert.Equal(PgFrameStatus.Error, PgMessageReader.TryRead(new ReadOnlySequence<byte>(message), 1 << 20, out _, out _, out _, out var error));
        Assert.Contains("invalid message length", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_carries_name_sql_and_parameter_types()
    {
        var body = Frame(0, CStr("_p1"), CStr("select $1::int"), I16(2), I32(23), I32(0)).AsSpan(5);

        var parse = ParseMessage.TryDecode(body);

        Assert.NotNull(parse);
        Assert.Equal("_p1", parse.StatementName);
        Assert.Equal("select $1::int", parse.Sql);
        Assert.Equal([23, 0], parse.ParameterTypes);
        Assert.Null(ParseMessage.TryDecode(body[..^1]));
    }

    [Fact]
    public void Bind_carries_formats_values_nulls_and_result_formats()
    {
        var body = Frame(0, CStr("portal"), CStr("stmt"), I16(1), I16(1), I16(2), I32(4), I32(42), I32(-1), I16(1), I16(1)).AsSpan(5);

        var bind = BindMessage.TryDecode(body);

        Assert.NotNull(bind);
        Assert.Equal("portal", bind.PortalName);
        Assert.Equal("stmt", bind.StatementName);
        Assert.Equal(1, bind.ParameterFormat(0));
        Assert.Equal(1, bind.ParameterFormat(1));
        Assert.Equal(42, BinaryPrimitives.ReadInt32BigEndian(body.Slice(bind.Parameters[0].Offset, bind.Parameters[0].Length)));
        Assert.Equal(-1, bind.Parameters[1].Length);
        Assert.Equal([(short)1], bind.ResultFormats);
    }

    [Fact]
    public void Bind_with_a_format_count_that_fits_no_rule_is_refused()
    {
        var body = Frame(0, CStr(""), CStr(""), I16(2), I16(0), I16(0), I16(3), I32(-1), I32(-1), I32(-1), I16(0)).AsSpan(5);

        Assert.Null(BindMessage.TryDecode(body));
    }

    [Fact]
    public void Describe_execute_and_sasl_messages_decode()
    {
        Assert.Equal(new TargetMessage((byte)'S', "s1"), TargetMessage.TryDecode(Frame(0, [(byte)'S'], CStr("s1")).AsSpan(5)));
        Assert.Null(TargetMessage.TryDecode(Frame(0, [(byte)'X'], CStr("s1")).AsSpan(5)));
        Assert.Equal(new ExecuteMessage("", 100), ExecuteMessage.TryDecode(Frame(0, CStr(""), I32(100)).AsSpan(5)));
        var sasl = SaslInitialResponse.TryDecode(Frame(0, CStr("SCRAM-SHA-256"), I32(3), "n,,"u8.ToArray()).AsSpan(5));
        Assert.Equal("SCRAM-SHA-256", sasl!.Mechanism);
        Assert.Equal("n,,"u8.ToArray(), sasl.Data);
    }

    [Fact]
    public void Output_buffer_writes_the_wire_bytes_of_backend_messages()
    {
        using var output = new PgOutputBuffer(16);

        output.AuthenticationOk();
        output.ParameterStatus("server_version", "15.6");
        output.ReadyForQuery((byte)'I');
        output.RowDescription([new PgColumn("n", 23, 4)]);
        output.BeginDataRow(2);
        output.WriteValue("42"u8);
        output.WriteNull();
        output.EndMessage();
        output.CommandComplete("SELECT 1");

        var expected = new List<byte>();
        expected.AddRange(Frame((byte)'R', I32(0)));
        expected.AddRange(Frame((byte)'S', CStr("server_version"), CStr("15.6")));
        expected.AddRange(Frame((byte)'Z', [(byte)'I']));
        expected.AddRange(Frame((byte)'T', I16(1), CStr("n"), I32(0), I16(0), I32(23), I16(4), I32(-1), I16(0)));
        expected.AddRange(Frame((byte)'D', I16(2), I32(2), "42"u8.ToArray(), I32(-1)));
        expected.AddRange(Frame((byte)'C', CStr("SELECT 1")));
        Assert.Equal(expected.ToArray(), output.WrittenMemory.ToArray());
    }

    [Fact]
    public void Error_response_carries_severity_code_message_detail_hint_and_position()
    {
        using var output = new PgOutputBuffer();

        output.ErrorOrNotice((byte)'E', new PgError("ERROR", "42601", "syntax error at or near \"FORM\"") { Detail = "d", Hint = "h", Position = 10 });

        var expected = Frame((byte)'E', [(byte)'S'], CStr("ERROR"), [(byte)'V'], CStr("ERROR"), [(byte)'C'], CStr("42601"), [(byte)'M'], CStr("syntax error at or near \"FORM\""), [(byte)'D'], CStr("d"), [(byte)'H'], CStr("h"), [(byte)'P'], CStr("10"), [0]);
        Assert.Equal(expected, output.WrittenMemory.ToArray());
    }

    [Fact]
    public void An_abandoned_message_leaves_no_trace()
    {
        using var output = new PgOutputBuffer();
        output.ReadyForQuery((byte)'T');
        var before = output.WrittenMemory.ToArray();

        output.BeginDataRow(1);
        output.WriteValue("partial"u8);
        output.AbandonMessage();

        Assert.Equal(before, output.WrittenMemory.ToArray());
    }
}
