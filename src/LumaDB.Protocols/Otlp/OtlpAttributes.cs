using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.Collections;
using LumaDB.Protocols.Otlp.Common.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// OTLP attribute values as JSON text for the jsonb columns (strings, booleans and numbers as themselves, arrays
/// and key-value lists nested, bytes as base64) and as plain strings for metric labels and log bodies.
/// </summary>
public sealed class OtlpAttributes : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored text, never HTML: keep non-ASCII characters readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a converter; reuse it for a whole request to reuse its buffer.</summary>
    public OtlpAttributes() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    /// <summary>Attributes as a JSON object; "{}" when there are none.</summary>
    public string ToJson(RepeatedField<KeyValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return "{}";
        }

        Begin();
        WriteObject(_writer, attributes);
        return End();
    }

    /// <summary>One value as JSON text.</summary>
    public string ToJson(AnyValue value)
    {
        Begin();
        WriteValue(_writer, value);
        return End();
    }

    /// <summary>Starts a JSON document written with <see cref="Writer"/>; finish with <see cref="End"/>.</summary>
    public void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    /// <summary>The writer of the document begun with <see cref="Begin"/>.</summary>
    public Utf8JsonWriter Writer => _writer;

    /// <summary>Finishes the document and returns its text.</summary>
    public string End()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <summary>Writes attributes as a JSON object.</summary>
    public static void WriteObject(Utf8JsonWriter writer, RepeatedField<KeyValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(attributes);
        writer.WriteStartObject();
        foreach (var kv in attributes)
        {
            writer.WritePropertyName(kv.Key);
            WriteValue(writer, kv.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one value as JSON; an empty value is null.</summary>
    public static void WriteValue(Utf8JsonWriter writer, AnyValue? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value?.ValueCase ?? AnyValue.ValueOneofCase.None)
        {
            case AnyValue.ValueOneofCase.StringValue: writer.WriteStringValue(value!.StringValue); break;
            case AnyValue.ValueOneofCase.BoolValue: writer.WriteBooleanValue(value!.BoolValue); break;
            case AnyValue.ValueOneofCase.IntValue: writer.WriteNumberValue(value!.IntValue); break;
            case AnyValue.ValueOneofCase.DoubleValue:
                var d = value!.DoubleValue;
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    // JSON has no NaN or infinities; the protobuf JSON mapping spells them as strings.
                    writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case AnyValue.ValueOneofCase.BytesValue: writer.WriteBase64StringValue(value!.BytesValue.Span); break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value!.ArrayValue.Values)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue: WriteObject(writer, value!.KvlistValue.Values); break;
            default: writer.WriteNullValue(); break;
        }
    }

    /// <summary>A value as plain text: strings as they are, other scalars in invariant form, composites as JSON.</summary>
    public string ToText(AnyValue? value) => (value?.ValueCase ?? AnyValue.ValueOneofCase.None) switch
    {
        AnyValue.ValueOneofCase.StringValue => value!.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value!.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value!.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value!.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.None => "",
        _ => ToJson(value!),
    };

    /// <summary>The value of the first attribute named <paramref name="key"/>, or null.</summary>
    public static AnyValue? Find(RepeatedField<KeyValue> attributes, string key)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var kv in attributes)
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>The string value of the attribute <paramref name="key"/>, or null when absent or not a string.</summary>
    public static string? FindString(RepeatedField<KeyValue> attributes, string key) =>
        Find(attributes, key) is { ValueCase: AnyValue.ValueOneofCase.StringValue } v ? v.StringValue : null;

    /// <summary>The resource's service.name, or <c>unknown_service</c> as the specification says.</summary>
    public static string ServiceName(Resource.V1.Resource? resource) =>
        resource is null ? "unknown_service" : FindString(resource.Attributes, "service.name") is { Length: > 0 } name ? name : "unknown_service";
}
