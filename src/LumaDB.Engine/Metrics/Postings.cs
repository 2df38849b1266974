namespace LumaDB.Engine.Metrics;

/// <summary>
/// A sorted, duplicate-free list of series ids. Kept behind this type so that a compressed bitmap can replace
/// the plain array without touching the index or its callers.
/// </summary>
public sealed class Postings
{
    private ulong[] _ids;
    private int _count;

    /// <summary>Wraps ids that are already sorted and unique.</summary>
    public Postings(ulong[] sortedIds)
    {
        _ids = sortedIds;
        _count = sortedIds.Length;
    }

    /// <summary>An empty list.</summary>
    public static Postings Empty => new([]);

    /// <summary>Number of ids.</summary>
    public int Count => _count;

    /// <summary>The ids in ascending order.</summary>
    public ReadOnlySpan<ulong> Ids => _ids.AsSpan(0, _count);

    /// <summary>Adds an id larger than every id held (ids are handed out in increasing order).</summary>
    internal void AppendLargest(ulong id)
    {
        if (_count == _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(4, _count * 2));
        }

        _ids[_count++] = id;
    }

    /// <summary>Ids present in both lists.</summary>
    public static Postings Intersect(Postings a, Postings b)
    {
        var x = a.Ids;
        var y = b.Ids;
        var result = new ulong[Math.Min(x.Length, y.Length)];
        int i = 0, j = 0, n = 0;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] == y[j])
            {
                result[n++] = x[i];
                i++;
                j++;
            }
            else if (x[i] < y[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return new Postings(result.AsSpan(0, n).ToArray());
    }

    /// <summary>Ids present in either list.</summary>
    public static Postings Union(Postings a, Postings b)
    {
        var x = a.Ids;
        var y = b.Ids;
        var result = new ulong[x.Length + y.Length];
        int i = 0, j = 0, n = 0;
        while (i < x.Length || j < y.Length)
        {
            if (j >= y.Length || (i < x.Length && x[i] < y[j]))
            {
                result[n++] = x[i++];
            }
            else if (i >= x.Length || y[j] < x[i])
            {
                result[n++] = y[j++];
            }
            else
            {
                result[n++] = x[i];
                i++;
                j++;
            }
        }

        return new Postings(result.AsSpan(0, n).ToArray());
    }

    /// <summary>Ids of <paramref name="a"/> that are not in <paramref name="b"/>.</summary>
    public static Postings Subtract(Postings a, Postings b)
    {
        var x = a.Ids;
        var y = b.Ids;
        var result = new ulong[x.Length];
        int i = 0, j = 0, n = 0;
        while (i < x.Length)
        {
            if (j >= y.Length || x[i] < y[j])
            {
                result[n++] = x[i++];
            }
            else if (x[i] == y[j])
            {
                i++;
                j++;
            }
            else
            {
                j++;
            }
        }

        return new Postings(result.AsSpan(0, n).ToArray());
    }
}
