using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// OTLP/HTTP response bodies, written by hand because all three signals share their shape: an export response
/// (field 1: partial success {1: rejected count, 2: error message}) and a google.rpc.Status (1: code, 2: message).
/// </summary>
internal static class OtlpHttpResponses
{
    /// <summary>gRPC code numbers that go into google.rpc.Status bodies.</summary>
    private static int RpcCodeOf(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => 3, // INVALID_ARGUMENT
        StatusCodes.Status413PayloadTooLarge => 8, // RESOURCE_EXHAUSTED
        StatusCodes.Status415UnsupportedMediaType => 3,
        StatusCodes.Status429TooManyRequests => 14, // UNAVAILABLE
        StatusCodes.Status503ServiceUnavailable => 14,
        _ => 13, // INTERNAL
    };

    public static Task WriteSuccessAsync(HttpContext context, bool json, string rejectedField, OtlpExportResult result)
    {
        var partial = result.Rejected > 0 || result.ErrorMessage is not null;
        var buffer = new ArrayBufferWriter<byte>(64);
        if (json)
        {
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            if (partial)
            {
                writer.WriteStartObject("partialSuccess");
                writer.WriteString(rejectedField, result.Rejected.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("errorMessage", result.ErrorMessage ?? "");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
        else if (partial)
        {
            var inner = new ArrayBufferWriter<byte>(64);
            WriteFields(inner, result.Rejected, 1, result.ErrorMessage ?? "");
            var output = new CodedOutputStream(new BufferWriterStream(buffer));
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(inner.WrittenSpan));
            output.Flush();
        }

        return WriteAsync(context, StatusCodes.Status200OK, json, buffer);
    }

    public static Task WriteStatusAsync(HttpContext context, int httpStatus, bool json, string message)
    {
        var code = RpcCodeOf(httpStatus);
        var buffer = new ArrayBufferWriter<byte>(64 + message.Length);
        if (json)
        {
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        else
        {
            WriteFields(buffer, code, 1, message);
        }

        return WriteAsync(context, httpStatus, json, buffer);
    }

    /// <summary>A varint field 1 and a string field 2 (0 and empty are left out, as proto3 does).</summary>
    private static void WriteFields(ArrayBufferWriter<byte> buffer, long number, int numberField, string text)
    {
        var output = new CodedOutputStream(new BufferWriterStream(buffer));
        if (number != 0)
        {
            output.WriteTag(numberField, WireFormat.WireType.Varint);
            output.WriteInt64(number);
        }

        if (text.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(text);
        }

        output.Flush();
    }

    private static async Task WriteAsync(HttpContext context, int status, bool json, ArrayBufferWriter<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = json ? "application/json" : "application/x-protobuf";
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>A write-only stream over a buffer writer, for CodedOutputStream.</summary>
    private sealed class BufferWriterStream(ArrayBufferWriter<byte> target) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => target.WrittenCount;

        public override long Position { get => target.WrittenCount; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => target.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => target.Write(buffer);
    }
}
