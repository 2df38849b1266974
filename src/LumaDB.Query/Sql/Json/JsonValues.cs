using System.Globalization;
using System.Text;
using System.Text.Json;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Json;

/// <summary>
/// Reading and writing json/jsonb values, which the engine keeps as text (jsonb already normalised by
/// <see cref="SqlText"/>). Reads go through <see cref="JsonDocument"/>, whose elements slice the original
/// UTF-8 without copying; results that are themselves jsonb are written as text and normalised once.
/// </summary>
internal static class JsonValues
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1000 };

    /// <summary>Parses a stored (already valid) json or jsonb text.</summary>
    public static JsonDocument Parse(string text) => JsonDocument.Parse(text, Options);

    /// <summary>Parses user text for an input function, with PostgreSQL's error for bad JSON.</summary>
    public static JsonDocument ParseInput(string text)
    {
        try
        {
            return JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            throw InvalidJson(e, text);
        }
    }

    /// <summary>22P02 as PostgreSQL words it for both json and jsonb; the detail says when the text simply stopped short.</summary>
    public static SqlException InvalidJson(JsonException e, string text) =>
        new(SqlState.InvalidTextRepresentation, "invalid input syntax for type json", detail: EndedEarly(e, text) ? "The input string ended unexpectedly." : null);

    private static bool EndedEarly(JsonException e, string text)
    {
        var lines = text.TrimEnd().Split('\n');
        var line = (int)(e.LineNumber ?? -1);
        return line == lines.Length - 1 && (e.BytePositionInLine ?? 0) >= Encoding.UTF8.GetByteCount(lines[^1]);
    }

    /// <summary>The jsonb canonical form of JSON text.</summary>
    public static string Normalize(string text) => (string)SqlText.Parse(text, SqlType.Jsonb);

    /// <summary>The value of <paramref name="type"/> (json or jsonb) for freshly written JSON text.</summary>
    public static string Finish(string text, SqlType type) => type.Kind == SqlTypeKind.Jsonb ? Normalize(text) : text;

    /// <summary>PostgreSQL's name for a JSON value's kind, as jsonb_typeof reports it.</summary>
    public static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>The text <c>-&gt;&gt;</c> gives: strings unquoted, JSON null as SQL NULL, anything else as JSON text.</summary>
    public static string? AsText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    /// <summary>Member <paramref name="key"/> of an object (the last, as duplicates resolve), or false.</summary>
    public static bool TryGetMember(JsonElement element, string key, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var found = false;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(key))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }

    /// <summary>Element <paramref name="index"/> of an array, counting from the end when negative.</summary>
    public static bool TryGetElement(JsonElement element, long index, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var length = element.GetArrayLength();
        if (index < 0)
        {
            index += length;
        }

        if (index < 0 || index >= length)
        {
            return false;
        }

        value = element[(int)index];
        return true;
    }

    /// <summary>Follows a text[] path as <c>#&gt;</c> does: keys into objects, integers into arrays.</summary>
    public static bool TryGetPath(JsonElement element, object?[] path, out JsonElement value)
    {
        value = element;
        foreach (var step in path)
        {
            if (step is not string key)
            {
                return false;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                if (!TryGetMember(value, key, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                if (!TryParseIndex(key, out var index) || !TryGetElement(value, index, out value))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A path step as an array index, as PostgreSQL reads it (optional sign, digits, surrounding space).</summary>
    public static bool TryParseIndex(string text, out long index) =>
        long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index);

    /// <summary>Appends <paramref name="value"/> as a JSON string literal.</summary>
    public static void WriteString(StringBuilder sb, string value) => SqlText.WriteJsonString(sb, value);

    /// <summary>A JSON string literal for <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        WriteString(sb, value);
        return sb.ToString();
    }

    /// <summary>
    /// Appends a SQL value as to_json renders it: numbers and booleans bare (non-finite floats quoted),
    /// json/jsonb embedded, arrays as JSON arrays, date/time values in ISO 8601, everything else as a string.
    /// </summary>
    public static void WriteSqlValue(StringBuilder sb, object? value, SqlType type)
    {
        if (value is null)
        {
            sb.Append("null");
            return;
        }

        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                sb.Append((bool)value ? "true" : "false");
                return;
            case SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Numeric:
                sb.Append(SqlText.Format(value, type));
                return;
            case SqlTypeKind.Float4 or SqlTypeKind.Float8:
                var text = SqlText.Format(value, type);
                if (text is "NaN" or "Infinity" or "-Infinity")
                {
                    WriteString(sb, text);
                }
                else
                {
                    sb.Append(text);
                }

                return;
            case SqlTypeKind.Json or SqlTypeKind.Jsonb:
                sb.Append((string)value);
                return;
            case SqlTypeKind.Array:
                sb.Append('[');
                var items = (object?[])value;
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (items[i] is object?[] nested)
                    {
                        WriteSqlValue(sb, nested, type);
                    }
                    else
                    {
                        WriteSqlValue(sb, items[i], type.ElementType!);
                    }
                }

                sb.Append(']');
                return;
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                WriteString(sb, IsoTimestamp((long)value, type.Kind == SqlTypeKind.TimestampTz));
                return;
            default:
                WriteString(sb, SqlText.Format(value, type));
                return;
        }
    }

    /// <summary>The JSON text of one SQL value.</summary>
    public static string FromSqlValue(object? value, SqlType type)
    {
        var sb = new StringBuilder();
        WriteSqlValue(sb, value, type);
        return sb.ToString();
    }

    private static string IsoTimestamp(long micros, bool withZone)
    {
        var text = SqlText.FormatTimestamp(micros, withZone);
        if (text is "infinity" or "-infinity")
        {
            return text;
        }

        text = text.Replace(' ', 'T');
        if (withZone && text.Length >= 3 && text[^3] is '+' or '-')
        {
            text += ":00";
        }

        return text;
    }

    /// <summary>Writes an element back as compact JSON text.</summary>
    public static void WriteElement(StringBuilder sb, JsonElement element) => sb.Append(element.GetRawText());
}
