using System.Text;
using System.Text.Json;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Json;

/// <summary>
/// The jsonb operators and functions that build a new value from an old one (||, -, #-, jsonb_set,
/// jsonb_insert, jsonb_strip_nulls, jsonb_pretty). Each copies the input's text, changing only the
/// addressed part, and returns normalised jsonb.
/// </summary>
internal static class JsonbEdit
{
    /// <summary><c>a || b</c>: objects merge (right wins); otherwise both sides become arrays and concatenate.</summary>
    public static string Concat(string left, string right)
    {
        using var a = JsonValues.Parse(left);
        using var b = JsonValues.Parse(right);
        var x = a.RootElement;
        var y = b.RootElement;
        var sb = new StringBuilder(left.Length + right.Length + 4);
        if (x.ValueKind == JsonValueKind.Object && y.ValueKind == JsonValueKind.Object)
        {
            // Normalisation keeps the last of duplicate keys, so appending the right side's pairs merges.
            sb.Append('{');
            var first = true;
            foreach (var p in x.EnumerateObject().Concat(y.EnumerateObject()))
            {
                AppendMember(sb, ref first, p.Name, p.Value);
            }

            return JsonValues.Normalize(sb.Append('}').ToString());
        }

        sb.Append('[');
        var any = false;
        AppendAsElements(sb, x, ref any);
        AppendAsElements(sb, y, ref any);
        return JsonValues.Normalize(sb.Append(']').ToString());
    }

    private static void AppendAsElements(StringBuilder sb, JsonElement e, ref bool any)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                sb.Append(any ? "," : string.Empty).Append(item.GetRawText());
                any = true;
            }
        }
        else
        {
            sb.Append(any ? "," : string.Empty).Append(e.GetRawText());
            any = true;
        }
    }

    private static void AppendMember(StringBuilder sb, ref bool first, string name, JsonElement value)
    {
        sb.Append(first ? string.Empty : ",");
        first = false;
        JsonValues.WriteString(sb, name);
        sb.Append(':').Append(value.GetRawText());
    }

    /// <summary><c>jsonb - text</c> and <c>jsonb - text[]</c>: removes keys from an object, or matching strings from an array.</summary>
    public static string DeleteKeys(string value, IReadOnlyCollection<string> keys)
    {
        using var doc = JsonValues.Parse(value);
        var root = doc.RootElement;
        var sb = new StringBuilder(value.Length);
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in root.EnumerateObject())
                {
                    if (!keys.Contains(p.Name))
                    {
                        AppendMember(sb, ref first, p.Name, p.Value);
                    }
                }

                return JsonValues.Normalize(sb.Append('}').ToString());
            case JsonValueKind.Array:
                sb.Append('[');
                var any = false;
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || !keys.Contains(item.GetString()!))
                    {
                        sb.Append(any ? "," : string.Empty).Append(item.GetRawText());
                        any = true;
                    }
                }

                return JsonValues.Normalize(sb.Append(']').ToString());
            default:
                throw new SqlException(SqlState.InvalidParameterValue, "cannot delete from scalar");
        }
    }

    /// <summary><c>jsonb - integer</c>: removes one array element (negative counts from the end).</summary>
    public static string DeleteIndex(string value, long index)
    {
        using var doc = JsonValues.Parse(value);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            throw new SqlException(SqlState.InvalidParameterValue, "cannot delete from object using integer index");
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new SqlException(SqlState.InvalidParameterValue, "cannot delete from scalar");
        }

        var length = root.GetArrayLength();
        if (index < 0)
        {
            index += length;
        }

        if (index < 0 || index >= length)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length).Append('[');
        var any = false;
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (i++ != index)
            {
                sb.Append(any ? "," : string.Empty).Append(item.GetRawText());
                any = true;
            }
        }

        return JsonValues.Normalize(sb.Append(']').ToString());
    }

    /// <summary>What <see cref="Edit"/> does at the end of the path.</summary>
    public enum PathEdit
    {
        /// <summary><c>#-</c>: remove the addressed element.</summary>
        Delete,

        /// <summary>jsonb_set: replace it, or add it when missing and allowed.</summary>
        Set,

        /// <summary>jsonb_insert: insert before (or after) an array position, or add a missing key.</summary>
        Insert,
    }

    /// <summary>Applies a path edit; see <see cref="PathEdit"/>. Elements that are not on the path are copied unchanged.</summary>
    public static string Edit(string value, object?[] path, PathEdit edit, string? replacement, bool flag)
    {
        using var doc = JsonValues.Parse(value);
        var root = doc.RootElement;
        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            throw new SqlException(SqlState.InvalidParameterValue, edit switch
            {
                PathEdit.Delete => "cannot delete path in scalar",
                PathEdit.Set => "cannot set path in scalar",
                _ => "cannot set path in scalar",
            });
        }

        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] is null)
            {
                throw new SqlException("22004", $"path element at position {i + 1} is null");
            }
        }

        if (path.Length == 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + (replacement?.Length ?? 0));
        Write(sb, root, path, 0, edit, replacement, flag);
        return JsonValues.Normalize(sb.ToString());
    }

    private static void Write(StringBuilder sb, JsonElement e, object?[] path, int level, PathEdit edit, string? replacement, bool flag)
    {
        var key = (string)path[level]!;
        var last = level == path.Length - 1;
        if (e.ValueKind == JsonValueKind.Object)
        {
            sb.Append('{');
            var first = true;
            var seen = false;
            foreach (var p in e.EnumerateObject())
            {
                if (!p.NameEquals(key))
                {
                    AppendMember(sb, ref first, p.Name, p.Value);
                    continue;
                }

                seen = true;
                if (!last)
                {
                    sb.Append(first ? string.Empty : ",");
                    first = false;
                    JsonValues.WriteString(sb, p.Name);
                    sb.Append(':');
                    WriteChild(sb, p.Value, path, level + 1, edit, replacement, flag);
                    continue;
                }

                switch (edit)
                {
                    case PathEdit.Delete:
                        break;
                    case PathEdit.Set:
                        sb.Append(first ? string.Empty : ",");
                        first = false;
                        JsonValues.WriteString(sb, p.Name);
                        sb.Append(':').Append(replacement);
                        break;
                    default:
                        throw new SqlException(SqlState.InvalidParameterValue, "cannot replace existing key", "Try using the function jsonb_set to replace key value.");
                }
            }

            if (!seen && last && (edit == PathEdit.Insert || (edit == PathEdit.Set && flag)))
            {
                sb.Append(first ? string.Empty : ",");
                JsonValues.WriteString(sb, key);
                sb.Append(':').Append(replacement);
            }

            sb.Append('}');
            return;
        }

        // An array: the step must be an integer.
        if (!JsonValues.TryParseIndex(key, out var index))
        {
            throw new SqlException(SqlState.InvalidTextRepresentation, $"path element at position {level + 1} is not an integer: \"{key}\"");
        }

        var length = e.GetArrayLength();
        var position = index < 0 ? index + length : index;
        sb.Append('[');
        var any = false;
        void Add(string text)
        {
            sb.Append(any ? "," : string.Empty).Append(text);
            any = true;
        }

        var adding = last && (edit == PathEdit.Insert || (edit == PathEdit.Set && flag));

        // Out of range: jsonb_set and jsonb_insert add at the start (before the first) or the end.
        if (adding && position < 0)
        {
            Add(replacement!);
        }

        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (i == position)
            {
                if (!last)
                {
                    var child = new StringBuilder();
                    WriteChild(child, item, path, level + 1, edit, replacement, flag);
                    Add(child.ToString());
                }
                else if (edit == PathEdit.Set)
                {
                    Add(replacement!);
                }
                else if (edit == PathEdit.Insert)
                {
                    if (flag)
                    {
                        Add(item.GetRawText());
                        Add(replacement!);
                    }
                    else
                    {
                        Add(replacement!);
                        Add(item.GetRawText());
                    }
                }
            }
            else
            {
                Add(item.GetRawText());
            }

            i++;
        }

        if (adding && position >= length)
        {
            Add(replacement!);
        }

        sb.Append(']');
    }

    private static void WriteChild(StringBuilder sb, JsonElement child, object?[] path, int level, PathEdit edit, string? replacement, bool flag)
    {
        if (child.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            Write(sb, child, path, level, edit, replacement, flag);
        }
        else
        {
            sb.Append(child.GetRawText());
        }
    }

    /// <summary>jsonb_strip_nulls: drops object fields whose value is null, at any depth (array nulls stay).</summary>
    public static string StripNulls(string value, SqlType type)
    {
        using var doc = JsonValues.Parse(value);
        var sb = new StringBuilder(value.Length);
        Strip(sb, doc.RootElement);
        return JsonValues.Finish(sb.ToString(), type);
    }

    private static void Strip(StringBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }

                    sb.Append(first ? string.Empty : ",");
                    first = false;
                    JsonValues.WriteString(sb, p.Name);
                    sb.Append(':');
                    Strip(sb, p.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var any = false;
                foreach (var item in e.EnumerateArray())
                {
                    sb.Append(any ? "," : string.Empty);
                    any = true;
                    Strip(sb, item);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }

    /// <summary>jsonb_pretty: four-space indentation, one member or element per line.</summary>
    public static string Pretty(string value)
    {
        using var doc = JsonValues.Parse(value);
        var sb = new StringBuilder(value.Length * 2);
        WritePretty(sb, doc.RootElement, 0);
        return sb.ToString();
    }

    private static void WritePretty(StringBuilder sb, JsonElement e, int depth)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{').Append('\n');
                var first = true;
                foreach (var p in e.EnumerateObject())
                {
                    if (!first)
                    {
                        sb.Append(",\n");
                    }

                    first = false;
                    sb.Append(' ', (depth + 1) * 4);
                    JsonValues.WriteString(sb, p.Name);
                    sb.Append(": ");
                    WritePretty(sb, p.Value, depth + 1);
                }

                if (!first)
                {
                    sb.Append('\n');
                }

                sb.Append(' ', depth * 4).Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[').Append('\n');
                var any = false;
                foreach (var item in e.EnumerateArray())
                {
                    if (any)
                    {
                        sb.Append(",\n");
                    }

                    any = true;
                    sb.Append(' ', (depth + 1) * 4);
                    WritePretty(sb, item, depth + 1);
                }

                if (any)
                {
                    sb.Append('\n');
                }

                sb.Append(' ', depth * 4).Append(']');
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }
}
