namespace LumaDB.Engine.Metrics;

/// <summary>
/// A set of series ids as a roaring bitmap: ids are split by their high bits into 65,536-id chunks, each a
/// sorted <see cref="ushort"/> array while sparse (at most 4,096 ids, 8 KiB at most) and a 1,024-word bitmap
/// once dense, so a label shared by millions of series costs about one bit per series and set operations
/// work a word (64 ids) at a time.
/// </summary>
/// <remarks>
/// Managed rather than CRoaring through Roaring.Net: that package P/Invokes a libroaring.so that has to ship
/// next to the executable, which breaks the single-file NativeAOT binary, and the containers here are all
/// the index needs. Not thread-safe: <see cref="SeriesIndex"/> serializes access.
/// </remarks>
public sealed class Postings
{
    private readonly List<ulong> _keys = [];
    private readonly List<PostingsContainer> _containers = [];
    private ulong[]? _materialized;

    /// <summary>An empty set.</summary>
    public static Postings Empty => new();

    /// <summary>Builds a set from ids in any order.</summary>
    public Postings(params ReadOnlySpan<ulong> ids)
    {
        foreach (var id in ids)
        {
            Add(id);
        }
    }

    /// <summary>Number of ids.</summary>
    public int Count { get; private set; }

    /// <summary>The ids in ascending order (materialized on first use after a change).</summary>
    public ReadOnlySpan<ulong> Ids => _materialized ??= Materialize();

    /// <summary>Bytes the containers hold (arrays and bitmaps), for sizing.</summary>
    public long SizeBytes
    {
        get
        {
            long bytes = 0;
            foreach (var c in _containers)
            {
                bytes += c.SizeBytes;
            }

            return bytes;
        }
    }

    /// <summary>Whether <paramref name="id"/> is in the set.</summary>
    public bool Contains(ulong id)
    {
        var at = _keys.BinarySearch(id >> 16);
        return at >= 0 && _containers[at].Contains((ushort)id);
    }

    /// <summary>Adds an id; adding a present id changes nothing.</summary>
    internal void Add(ulong id)
    {
        var key = id >> 16;
        int at;
        // Ids mostly arrive in increasing order: the last container is the usual target.
        if (_keys.Count > 0 && _keys[^1] == key)
        {
            at = _keys.Count - 1;
        }
        else
        {
            at = _keys.BinarySearch(key);
            if (at < 0)
            {
                at = ~at;
                _keys.Insert(at, key);
                _containers.Insert(at, new PostingsContainer());
            }
        }

        if (_containers[at].Add((ushort)id))
        {
            Count++;
            _materialized = null;
        }
    }

    /// <summary>Ids present in both sets.</summary>
    public static Postings Intersect(Postings a, Postings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new Postings();
        int i = 0, j = 0;
        while (i < a._keys.Count && j < b._keys.Count)
        {
            var ka = a._keys[i];
            var kb = b._keys[j];
            if (ka == kb)
            {
                result.Append(ka, PostingsContainer.And(a._containers[i], b._containers[j]));
                i++;
                j++;
            }
            else if (ka < kb)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>Ids present in either set.</summary>
    public static Postings Union(Postings a, Postings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new Postings();
        int i = 0, j = 0;
        while (i < a._keys.Count || j < b._keys.Count)
        {
            if (j >= b._keys.Count || (i < a._keys.Count && a._keys[i] < b._keys[j]))
            {
                result.Append(a._keys[i], a._containers[i].Clone());
                i++;
            }
            else if (i >= a._keys.Count || b._keys[j] < a._keys[i])
            {
                result.Append(b._keys[j], b._containers[j].Clone());
                j++;
            }
            else
            {
                result.Append(a._keys[i], PostingsContainer.Or(a._containers[i], b._containers[j]));
                i++;
                j++;
            }
        }

        return result;
    }

    /// <summary>Ids of <paramref name="a"/> that are not in <paramref name="b"/>.</summary>
    public static Postings Subtract(Postings a, Postings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new Postings();
        var j = 0;
        for (var i = 0; i < a._keys.Count; i++)
        {
            var key = a._keys[i];
            while (j < b._keys.Count && b._keys[j] < key)
            {
                j++;
            }

            result.Append(key, j < b._keys.Count && b._keys[j] == key
                ? PostingsContainer.AndNot(a._containers[i], b._containers[j])
                : a._containers[i].Clone());
        }

        return result;
    }

    /// <summary>A copy that later additions to this set do not change.</summary>
    public Postings Clone()
    {
        var copy = new Postings();
        for (var i = 0; i < _keys.Count; i++)
        {
            copy.Append(_keys[i], _containers[i].Clone());
        }

        return copy;
    }

    private void Append(ulong key, PostingsContainer container)
    {
        if (container.Cardinality == 0)
        {
            return;
        }

        _keys.Add(key);
        _containers.Add(container);
        Count += container.Cardinality;
    }

    private ulong[] Materialize()
    {
        var ids = new ulong[Count];
        var n = 0;
        for (var i = 0; i < _keys.Count; i++)
        {
            n += _containers[i].CopyTo(_keys[i] << 16, ids.AsSpan(n));
        }

        return ids;
    }
}
