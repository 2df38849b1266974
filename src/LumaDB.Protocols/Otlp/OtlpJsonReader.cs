using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using LumaDB.Protocols.Otlp.Common.V1;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// Reads OTLP/JSON bodies into the protobuf messages. OTLP/JSON is the protobuf JSON mapping with three
/// differences the generic mapping does not know (trace and span ids are hex, not base64; enums may be
/// numbers), so it is read here field by field. Keys are accepted in lowerCamelCase and as the original field
/// names; unknown keys are ignored and null values mean "unset", as the mapping says.
/// </summary>
public static partial class OtlpJsonReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new OtlpInvalidException("invalid JSON: " + e.Message, e);
        }
    }

    private static void ExpectObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(what, "an object", element);
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw Invalid(what, "an array", element);

    private static bool IsNull(JsonElement element) => element.ValueKind == JsonValueKind.Null;

    private static string String(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Invalid(what, "a string", element);

    private static bool Bool(JsonElement element, string what) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(what, "true or false", element),
    };

    private static ulong UInt64(JsonElement element, string what)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out var number))
        {
            return number;
        }

        if (element.ValueKind == JsonValueKind.String && ulong.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Invalid(what, "an unsigned 64-bit integer (number or decimal string)", element);
    }

    private static long Int64(JsonElement element, string what)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            return number;
        }

        if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Invalid(what, "a 64-bit integer (number or decimal string)", element);
    }

    private static uint UInt32(JsonElement element, string what)
    {
        var value = UInt64(element, what);
        return value <= uint.MaxValue ? (uint)value : throw Invalid(what, "an unsigned 32-bit integer", element);
    }

    private static int Int32(JsonElement element, string what)
    {
        var value = Int64(element, what);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Invalid(what, "a 32-bit integer", element);
    }

    private static double Double(JsonElement element, string what)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number))
        {
            return number;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString();
            switch (text)
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        throw Invalid(what, "a number", element);
    }

    /// <summary>An enum given as its number or its name.</summary>
    private static int Enum(JsonElement element, string what, Func<string, int?> byName)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return byName(element.GetString()!) ?? throw Invalid(what, "a known enum name or a number", element);
        }

        return Int32(element, what);
    }

    /// <summary>A trace or span id: hex in OTLP/JSON (the length is checked where the id is used).</summary>
    private static ByteString HexId(JsonElement element, string what)
    {
        var text = String(element, what);
        if (text.Length == 0)
        {
            return ByteString.Empty;
        }

        if (text.Length % 2 != 0 || !OtlpIds.IsHex(text, text.Length / 2))
        {
            throw new OtlpInvalidException($"{what} must be hex digits, got \"{Shorten(text)}\"");
        }

        return ByteString.CopyFrom(Convert.FromHexString(text));
    }

    private static ByteString Base64(JsonElement element, string what)
    {
        var text = String(element, what);
        try
        {
            return ByteString.FromBase64(text);
        }
        catch (FormatException e)
        {
            throw new OtlpInvalidException($"{what} must be base64, got \"{Shorten(text)}\"", e);
        }
    }

    private static void ReadAttributes(JsonElement element, Google.Protobuf.Collections.RepeatedField<KeyValue> into, string what)
    {
        foreach (var item in Array(element, what))
        {
            into.Add(ReadKeyValue(item, what));
        }
    }

    private static KeyValue ReadKeyValue(JsonElement element, string what)
    {
        ExpectObject(element, what);
        var kv = new KeyValue();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "key": kv.Key = String(p.Value, what + ".key"); break;
                case "value": kv.Value = ReadAnyValue(p.Value, what + "." + kv.Key); break;
            }
        }

        return kv;
    }

    private static AnyValue ReadAnyValue(JsonElement element, string what)
    {
        ExpectObject(element, what);
        var value = new AnyValue();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "stringValue" or "string_value": value.StringValue = String(p.Value, what); break;
                case "boolValue" or "bool_value": value.BoolValue = Bool(p.Value, what); break;
                case "intValue" or "int_value": value.IntValue = Int64(p.Value, what); break;
                case "doubleValue" or "double_value": value.DoubleValue = Double(p.Value, what); break;
                case "bytesValue" or "bytes_value": value.BytesValue = Base64(p.Value, what); break;
                case "arrayValue" or "array_value":
                    {
                        var array = new ArrayValue();
                        ExpectObject(p.Value, what);
                        if (p.Value.TryGetProperty("values", out var values) && !IsNull(values))
                        {
                            foreach (var item in Array(values, what))
                            {
                                array.Values.Add(ReadAnyValue(item, what + "[]"));
                            }
                        }

                        value.ArrayValue = array;
                        break;
                    }

                case "kvlistValue" or "kvlist_value":
                    {
                        var list = new KeyValueList();
                        ExpectObject(p.Value, what);
                        if (p.Value.TryGetProperty("values", out var values) && !IsNull(values))
                        {
                            ReadAttributes(values, list.Values, what);
                        }

                        value.KvlistValue = list;
                        break;
                    }
            }
        }

        return value;
    }

    private static Resource.V1.Resource ReadResource(JsonElement element)
    {
        ExpectObject(element, "resource");
        var resource = new Resource.V1.Resource();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "attributes": ReadAttributes(p.Value, resource.Attributes, "resource.attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": resource.DroppedAttributesCount = UInt32(p.Value, "resource.droppedAttributesCount"); break;
            }
        }

        return resource;
    }

    private static InstrumentationScope ReadScope(JsonElement element)
    {
        ExpectObject(element, "scope");
        var scope = new InstrumentationScope();
        foreach (var p in element.EnumerateObject())
        {
            if (IsNull(p.Value))
            {
                continue;
            }

            switch (p.Name)
            {
                case "name": scope.Name = String(p.Value, "scope.name"); break;
                case "version": scope.Version = String(p.Value, "scope.version"); break;
                case "attributes": ReadAttributes(p.Value, scope.Attributes, "scope.attributes"); break;
                case "droppedAttributesCount" or "dropped_attributes_count": scope.DroppedAttributesCount = UInt32(p.Value, "scope.droppedAttributesCount"); break;
            }
        }

        return scope;
    }

    private static OtlpInvalidException Invalid(string what, string expected, JsonElement got) =>
        new($"{what} must be {expected}, got {got.ValueKind.ToString().ToLowerInvariant()} {Shorten(got.GetRawText())}");

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
