using System.Buffers;

namespace LumaDB.Protocols.Otlp;

/// <summary>A reusable JSON writer over a reusable buffer, for the jsonb columns of one row at a time.</summary>
internal sealed class OtlpJsonScratch
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public OtlpJsonWriter Writer { get; } = new();

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
}
