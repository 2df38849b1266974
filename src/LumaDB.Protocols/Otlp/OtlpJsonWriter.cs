using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Writes the JSON of the jsonb columns (attributes, events, links) straight into a row's buffer. It emits the
/// bytes <see cref="System.Text.Json.Utf8JsonWriter"/> would with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>,
/// at a fraction of the cost: attribute keys and values are nearly always plain ASCII, copied as they are after one
/// vectorized scan, and everything else goes through the same encoder.
/// </summary>
/// <remarks>
/// Hand-written because the general writer spends most of an attribute's cost on checks these columns never need
/// (structure validation, a second UTF-8 validation, per-token buffer bookkeeping). Not thread-safe; the output
/// must be an array-backed buffer (an <see cref="ArrayBufferWriter{T}"/>, as the row builder's is).
/// </remarks>
internal sealed class OtlpJsonWriter
{
    // Printable ASCII but the quote and the backslash: bytes a JSON string holds as they are.
    private static readonly SearchValues<byte> Plain = SearchValues.Create(PlainBytes());

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private IBufferWriter<byte>? _output;
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private int _at;

    // Per open container, whether it has an element yet (a comma goes before the next); index 0 is the top level.
    private bool[] _hasElement = new bool[64];
    private int _depth;
    private bool _afterName;

    /// <summary>Starts a new document written to <paramref name="output"/>.</summary>
    public void Reset(IBufferWriter<byte> output)
    {
        _output = output;
        _buffer = [];
        _start = _end = _at = 0;
        _depth = 0;
        _hasElement[0] = false;
        _afterName = false;
    }

    /// <summary>Hands the bytes written so far to the output.</summary>
    public void Flush()
    {
        if (_output is not null && _at > _start)
        {
            _output.Advance(_at - _start);
        }

        _buffer = [];
        _start = _end = _at = 0;
    }

    public void WriteStartObject() => Open((byte)'{');

    public void WriteEndObject() => Close((byte)'}');

    public void WriteStartArray() => Open((byte)'[');

    public void WriteEndArray() => Close((byte)']');

    /// <summary>Writes a property name; <paramref name="utf8"/> may be any bytes (invalid UTF-8 is replaced).</summary>
    public void WritePropertyName(ReadOnlySpan<byte> utf8)
    {
        Separate();
        WriteQuoted(utf8);
        Ensure(1);
        _buffer[_at++] = (byte)':';
        _afterName = true;
    }

    /// <summary>Writes a string value; <paramref name="utf8"/> may be any bytes (invalid UTF-8 is replaced).</summary>
    public void WriteStringValue(ReadOnlySpan<byte> utf8)
    {
        BeforeValue();
        WriteQuoted(utf8);
    }

    public void WriteNumberValue(long value)
    {
        BeforeValue();
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_at, _end - _at), out var written);
        _at += written;
    }

    /// <summary>Writes a finite double in its shortest round-trip form.</summary>
    public void WriteNumberValue(double value)
    {
        BeforeValue();
        Ensure(32);
        value.TryFormat(_buffer.AsSpan(_at, _end - _at), out var written, default, CultureInfo.InvariantCulture);
        _at += written;
    }

    public void WriteBooleanValue(bool value) => WriteLiteral(value ? "true"u8 : "false"u8);

    public void WriteNullValue() => WriteLiteral("null"u8);

    public void WriteBase64StringValue(ReadOnlySpan<byte> bytes)
    {
        BeforeValue();
        var length = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        Ensure(length + 2);
        _buffer[_at++] = (byte)'"';
        Base64.EncodeToUtf8(bytes, _buffer.AsSpan(_at, length), out _, out var written);
        _at += written;
        _buffer[_at++] = (byte)'"';
    }

    private void WriteLiteral(ReadOnlySpan<byte> literal)
    {
        BeforeValue();
        Ensure(literal.Length);
        literal.CopyTo(_buffer.AsSpan(_at));
        _at += literal.Length;
    }

    private void Open(byte bracket)
    {
        BeforeValue();
        Ensure(1);
        _buffer[_at++] = bracket;
        if (++_depth == _hasElement.Length)
        {
            Array.Resize(ref _hasElement, _hasElement.Length * 2);
        }

        _hasElement[_depth] = false;
    }

    private void Close(byte bracket)
    {
        Ensure(1);
        _buffer[_at++] = bracket;
        _depth--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        Separate();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Separate()
    {
        if (_hasElement[_depth])
        {
            Ensure(1);
            _buffer[_at++] = (byte)',';
        }
        else
        {
            _hasElement[_depth] = true;
        }
    }

    private void WriteQuoted(ReadOnlySpan<byte> utf8)
    {
        if (utf8.ContainsAnyExcept(Plain))
        {
            WriteEscaped(utf8);
            return;
        }

        Ensure(utf8.Length + 2);
        var buffer = _buffer;
        buffer[_at] = (byte)'"';
        utf8.CopyTo(buffer.AsSpan(_at + 1));
        _at += utf8.Length + 1;
        buffer[_at++] = (byte)'"';
    }

    private void WriteEscaped(ReadOnlySpan<byte> utf8)
    {
        // Ill-formed UTF-8 becomes U+FFFD first, as decoding it to a string would.
        var text = Utf8.IsValid(utf8) ? utf8 : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));

        // An escape is at most six bytes per input byte (\u00XX for a control character).
        Ensure((text.Length * 6) + 2);
        _buffer[_at++] = (byte)'"';
        var status = Encoder.EncodeUtf8(text, _buffer.AsSpan(_at, _end - _at - 1), out _, out var written);
        if (status != OperationStatus.Done)
        {
            throw new InvalidOperationException($"JSON escaping stopped with {status}.");
        }

        _at += written;
        _buffer[_at++] = (byte)'"';
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (_end - _at < bytes)
        {
            Grow(bytes);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int bytes)
    {
        var output = _output ?? throw new InvalidOperationException("Reset the writer with an output first.");
        if (_at > _start)
        {
            output.Advance(_at - _start);
        }

        var memory = output.GetMemory(Math.Max(bytes, 512));
        if (!MemoryMarshal.TryGetArray<byte>(memory, out var segment))
        {
            ThrowNotArrayBacked();
        }

        _buffer = segment.Array!;
        _start = _at = segment.Offset;
        _end = segment.Offset + segment.Count;
    }

    [DoesNotReturn]
    private static void ThrowNotArrayBacked() => throw new InvalidOperationException("The JSON output must be backed by an array.");

    private static byte[] PlainBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0x20; b < 0x7F; b++)
        {
            if (b is not ('"' or '\\'))
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
