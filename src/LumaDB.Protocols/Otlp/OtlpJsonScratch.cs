using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LumaDB.Protocols.Otlp;

/// <summary>A reusable JSON writer over a reusable buffer, for the jsonb columns of one row at a time.</summary>
internal sealed class OtlpJsonScratch : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored text, never HTML: keep non-ASCII characters readable (as OtlpAttributes does).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public OtlpJsonScratch() => Writer = new Utf8JsonWriter(_buffer, WriterOptions);

    public Utf8JsonWriter Writer { get; }

    /// <summary>Starts a document; the bytes of the previous one are overwritten.</summary>
    public void Begin()
    {
        _buffer.ResetWrittenCount();
        Writer.Reset(_buffer);
    }

    /// <summary>Finishes the document and returns its bytes, valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> End()
    {
        Writer.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>
    /// Replaces <paramref name="target"/>'s contents with the attributes of a Resource message as a JSON object
    /// (<c>{}</c> when the request had no resource), as both the span and the log rows store it.
    /// </summary>
    public void WriteAttributeObject(ArrayBufferWriter<byte> target, ReadOnlySpan<byte> resource, bool hasResource)
    {
        target.ResetWrittenCount();
        if (!hasResource)
        {
            target.Write("{}"u8);
            return;
        }

        Begin();
        OtlpWireValues.WriteAttributes(Writer, resource, 1);
        target.Write(End());
    }

    public void Dispose() => Writer.Dispose();
}
