using System.Text;
using System.Text.Json;

namespace LumaDB.Query.Sql.Json;

/// <summary>
/// PostgreSQL's jsonb ordering and containment. Order: object &gt; array &gt; boolean &gt; number &gt; string
/// &gt; null; objects with more pairs and arrays with more elements are greater; pairs compare key then value in
/// storage order (shorter keys first); numbers compare numerically, strings byte-wise.
/// </summary>
internal static class JsonbOrder
{
    /// <summary>Compares two jsonb texts.</summary>
    public static int Compare(string left, string right)
    {
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return 0;
        }

        using var a = JsonValues.Parse(left);
        using var b = JsonValues.Parse(right);
        return Compare(a.RootElement, b.RootElement, topLevel: true);
    }

    /// <summary>Compares two jsonb elements.</summary>
    public static int Compare(JsonElement a, JsonElement b, bool topLevel = false)
    {
        // A top-level empty array sorts below null: an oddity PostgreSQL keeps for on-disk compatibility.
        var ra = Rank(a, topLevel);
        var rb = Rank(b, topLevel);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var pa = Pairs(a);
                var pb = Pairs(b);
                if (pa.Count != pb.Count)
                {
                    return pa.Count.CompareTo(pb.Count);
                }

                for (var i = 0; i < pa.Count; i++)
                {
                    var c = CompareKeys(pa[i].Key, pb[i].Key);
                    if (c != 0)
                    {
                        return c;
                    }

                    c = Compare(pa[i].Value, pb[i].Value);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return 0;
            case JsonValueKind.Array:
                var la = a.GetArrayLength();
                var lb = b.GetArrayLength();
                if (la != lb)
                {
                    return la.CompareTo(lb);
                }

                for (var i = 0; i < la; i++)
                {
                    var c = Compare(a[i], b[i]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return 0;
            case JsonValueKind.String:
                return string.CompareOrdinal(a.GetString(), b.GetString());
            case JsonValueKind.Number:
                return CompareNumbers(a, b);
            case JsonValueKind.True or JsonValueKind.False:
                return a.ValueKind == b.ValueKind ? 0 : a.ValueKind == JsonValueKind.False ? -1 : 1;
            default:
                return 0;
        }
    }

    private static int Rank(JsonElement e, bool topLevel) => e.ValueKind switch
    {
        JsonValueKind.Array when topLevel && e.GetArrayLength() == 0 => -1,
        JsonValueKind.Null => 0,
        JsonValueKind.String => 1,
        JsonValueKind.Number => 2,
        JsonValueKind.True or JsonValueKind.False => 3,
        JsonValueKind.Array => 4,
        _ => 5,
    };

    private static int CompareNumbers(JsonElement a, JsonElement b)
    {
        if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y))
        {
            return x.CompareTo(y);
        }

        return a.GetDouble().CompareTo(b.GetDouble());
    }

    /// <summary>Keys in jsonb storage order: shorter (in UTF-8 bytes) first, then byte-wise.</summary>
    public static int CompareKeys(string a, string b)
    {
        var la = Encoding.UTF8.GetByteCount(a);
        var lb = Encoding.UTF8.GetByteCount(b);
        return la != lb ? la.CompareTo(lb) : string.CompareOrdinal(a, b);
    }

    private static List<(string Key, JsonElement Value)> Pairs(JsonElement e)
    {
        var pairs = new List<(string, JsonElement)>();
        foreach (var p in e.EnumerateObject())
        {
            pairs.Add((p.Name, p.Value));
        }

        pairs.Sort((x, y) => CompareKeys(x.Item1, y.Item1));
        return pairs;
    }

    /// <summary>jsonb equality (numbers by value: 1.0 equals 1).</summary>
    public static bool Equal(JsonElement a, JsonElement b) => Compare(a, b) == 0;

    /// <summary><c>a @&gt; b</c> at the top level, where an array also contains a bare scalar it holds.</summary>
    public static bool Contains(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Array && b.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            foreach (var item in a.EnumerateArray())
            {
                if (IsScalar(item) && Equal(item, b))
                {
                    return true;
                }
            }

            return false;
        }

        return ContainsValue(a, b);
    }

    private static bool IsScalar(JsonElement e) => e.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object);

    private static bool ContainsValue(JsonElement a, JsonElement b)
    {
        switch (b.ValueKind)
        {
            case JsonValueKind.Object:
                if (a.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                foreach (var p in b.EnumerateObject())
                {
                    if (!JsonValues.TryGetMember(a, p.Name, out var av) || !ContainsValue(av, p.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (a.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                foreach (var wanted in b.EnumerateArray())
                {
                    var found = false;
                    foreach (var item in a.EnumerateArray())
                    {
                        if (IsScalar(wanted) ? IsScalar(item) && Equal(item, wanted) : ContainsValue(item, wanted))
                        {
                            found = true;
                            break;
                        }
                    }

                    if (!found)
                    {
                        return false;
                    }
                }

                return true;
            default:
                return IsScalar(a) && Equal(a, b);
        }
    }

    /// <summary><c>?</c>: a top-level object key, array string element, or the string scalar itself.</summary>
    public static bool HasKey(JsonElement e, string key)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                return JsonValues.TryGetMember(e, key, out _);
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && item.ValueEquals(key))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.String:
                return e.ValueEquals(key);
            default:
                return false;
        }
    }
}
