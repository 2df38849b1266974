using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LumaDB.Query.Sql.Types;

/// <summary>Arrays, vectors and JSON input and output.</summary>
public static partial class SqlText
{
    private static readonly System.Buffers.SearchValues<char> ArrayQuoteChars = System.Buffers.SearchValues.Create("{}\",\\ \t\n\r");

    private static string FormatArray(object?[] elements, SqlType elementType)
    {
        var sb = new StringBuilder();
        sb.Append('{');
        for (var i = 0; i < elements.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var element = elements[i];
            if (element is null)
            {
                sb.Append("NULL");
            }
            else if (element is object?[] nested)
            {
                sb.Append(FormatArray(nested, elementType));
            }
            else
            {
                AppendArrayElement(sb, Format(element, elementType));
            }
        }

        return sb.Append('}').ToString();
    }

    private static void AppendArrayElement(StringBuilder sb, string text)
    {
        var quote = text.Length == 0 || text.Equals("NULL", StringComparison.OrdinalIgnoreCase)
            || text.AsSpan().IndexOfAny(ArrayQuoteChars) >= 0;
        if (!quote)
        {
            sb.Append(text);
            return;
        }

        sb.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        sb.Append('"');
    }

    private static object?[] ParseArray(string text, SqlType type)
    {
        var s = text.Trim();
        var pos = 0;
        var result = ParseArrayLevel(s, ref pos, type.ElementType!, text);
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }

        if (pos != s.Length)
        {
            MalformedArray(text);
        }

        return result;
    }

    private static object?[] ParseArrayLevel(string s, ref int pos, SqlType elementType, string text)
    {
        if (pos >= s.Length || s[pos] != '{')
        {
            MalformedArray(text);
        }

        pos++;
        var items = new List<object?>();
        SkipSpace(s, ref pos);
        if (pos < s.Length && s[pos] == '}')
        {
            pos++;
            return [];
        }

        while (true)
        {
            SkipSpace(s, ref pos);
            if (pos >= s.Length)
            {
                MalformedArray(text);
            }

            if (s[pos] == '{')
            {
                items.Add(ParseArrayLevel(s, ref pos, elementType, text));
            }
            else if (s[pos] == '"')
            {
                pos++;
                var sb = new StringBuilder();
                while (pos < s.Length && s[pos] != '"')
                {
                    if (s[pos] == '\\' && pos + 1 < s.Length)
                    {
                        pos++;
                    }

                    sb.Append(s[pos++]);
                }

                if (pos >= s.Length)
                {
                    MalformedArray(text);
                }

                pos++;
                items.Add(Parse(sb.ToString(), elementType));
            }
            else
            {
                var start = pos;
                while (pos < s.Length && s[pos] is not (',' or '}'))
                {
                    pos++;
                }

                var raw = s[start..pos].Trim();
                if (raw.Length == 0)
                {
                    MalformedArray(text);
                }

                items.Add(raw.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : Parse(raw, elementType));
            }

            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == ',')
            {
                pos++;
                continue;
            }

            if (pos < s.Length && s[pos] == '}')
            {
                pos++;
                return [.. items];
            }

            MalformedArray(text);
        }
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }
    }

    private static void MalformedArray(string text) =>
        SqlErrors.Throw(SqlState.InvalidTextRepresentation, $"malformed array literal: \"{text}\"");

    private static string FormatVector(float[] value)
    {
        var sb = new StringBuilder(value.Length * 8);
        sb.Append('[');
        for (var i = 0; i < value.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(FormatFloat4(value[i]));
        }

        return sb.Append(']').ToString();
    }

    private static float[] ParseVector(string text, SqlType type)
    {
        var s = text.Trim();
        if (s.Length < 2 || s[0] != '[' || s[^1] != ']')
        {
            SqlErrors.Throw(SqlState.InvalidTextRepresentation, $"invalid input syntax for type vector: \"{text}\"");
        }

        var body = s[1..^1];
        var parts = body.Trim().Length == 0 ? [] : body.Split(',');
        if (parts.Length == 0)
        {
            SqlErrors.Throw(SqlState.DataException, "vector must have at least 1 dimension");
        }

        var result = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, Invariant, out result[i]))
            {
                SqlErrors.Throw(SqlState.InvalidTextRepresentation, $"invalid input syntax for type vector: \"{text}\"");
            }

            if (!float.IsFinite(result[i]))
            {
                SqlErrors.Throw(SqlState.DataException, "NaN not allowed in vector");
            }
        }

        if (type.Modifier >= 0 && result.Length != type.Modifier)
        {
            SqlErrors.Throw(SqlState.DataException, $"expected {type.Modifier} dimensions, not {result.Length}");
        }

        return result;
    }

    private static string ValidateJson(string text, SqlType type)
    {
        _ = type;
        using var document = Json.JsonValues.ParseInput(text);
        return text;
    }

    /// <summary>jsonb keeps no formatting: keys sorted (shorter first, then bytewise), last duplicate wins, one space after ':' and ','.</summary>
    private static string NormalizeJsonb(string text)
    {
        using (var document = Json.JsonValues.ParseInput(text))
        {
            var sb = new StringBuilder(text.Length);
            WriteJsonb(sb, document.RootElement);
            return sb.ToString();
        }
    }

    private static void WriteJsonb(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    members[property.Name] = property.Value;
                }

                var keys = members.Keys.ToList();
                keys.Sort((a, b) =>
                {
                    var la = Encoding.UTF8.GetByteCount(a);
                    var lb = Encoding.UTF8.GetByteCount(b);
                    return la != lb ? la.CompareTo(lb) : string.CompareOrdinal(a, b);
                });
                sb.Append('{');
                for (var i = 0; i < keys.Count; i++)
                {
                    sb.Append(i > 0 ? ", " : string.Empty);
                    WriteJsonString(sb, keys[i]);
                    sb.Append(": ");
                    WriteJsonb(sb, members[keys[i]]);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    sb.Append(first ? string.Empty : ", ");
                    first = false;
                    WriteJsonb(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteJsonString(sb, element.GetString()!);
                break;
            default:
                sb.Append(element.GetRawText());
                break;
        }
    }

    /// <summary>Appends <paramref name="value"/> as a JSON string literal, escaping as jsonb output does.</summary>
    internal static void WriteJsonString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", Invariant));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
