using Google.Protobuf;

namespace LumaDB.Protocols.Otlp;

/// <summary>Trace and span ids: checked for length and turned into the lower-case hex the tables and JSON use.</summary>
public static class OtlpIds
{
    /// <summary>Bytes in a trace id.</summary>
    public const int TraceIdBytes = 16;

    /// <summary>Bytes in a span id.</summary>
    public const int SpanIdBytes = 8;

    /// <summary>
    /// The hex form of an id, or null when it is empty or all zero (the specification's "invalid id").
    /// Throws <see cref="OtlpInvalidException"/> for any other length.
    /// </summary>
    public static string? ToHex(ByteString id, int expectedBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(id);
        var span = id.Span;
        if (span.IsEmpty)
        {
            return null;
        }

        if (span.Length != expectedBytes)
        {
            throw new OtlpInvalidException($"{what} must be {expectedBytes} bytes, got {span.Length}");
        }

        return span.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(span) : null;
    }

    /// <summary>Whether <paramref name="text"/> is exactly <paramref name="bytes"/> bytes of hex.</summary>
    public static bool IsHex(ReadOnlySpan<char> text, int bytes)
    {
        if (text.Length != bytes * 2)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
