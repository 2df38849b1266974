using System.Collections;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// Rows by primary key, sorted once in bulk: what a whole-table rewrite (ALTER TABLE ... ADD PRIMARY KEY after a
/// load) produces. A million rows sort as two arrays far faster, and in far less memory, than they insert into
/// a balanced tree one at a time. When a key repeats, the row added last wins, as with a dictionary.
/// </summary>
internal sealed class KeyedRows : IEnumerable<KeyValuePair<byte[], byte[]?>>
{
    private readonly byte[][] _keys;
    private readonly byte[]?[] _rows;

    public KeyedRows(List<byte[]> keys, List<byte[]?> rows)
    {
        // Rows loaded in the order of the key they get (pgbench's accounts by aid) come out of the scan already in
        // strictly ascending new-key order, so without repeats: one pass finds that, and they are taken as they are.
        if (StrictlyAscending(keys))
        {
            _keys = [.. keys];
            _rows = [.. rows];
            Count = _keys.Length;
            return;
        }

        var order = new int[keys.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Ties by position, so the last of equal keys ends up last and the dedup below keeps it.
        Array.Sort(order, (a, b) =>
        {
            var c = keys[a].AsSpan().SequenceCompareTo(keys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var count = 0;
        _keys = new byte[order.Length][];
        _rows = new byte[order.Length][];
        for (var i = 0; i < order.Length; i++)
        {
            var key = keys[order[i]];
            if (count > 0 && _keys[count - 1].AsSpan().SequenceEqual(key))
            {
                count--;
            }

            _keys[count] = key;
            _rows[count] = rows[order[i]];
            count++;
        }

        Count = count;
    }

    private static bool StrictlyAscending(List<byte[]> keys)
    {
        for (var i = 1; i < keys.Count; i++)
        {
            if (keys[i - 1].AsSpan().SequenceCompareTo(keys[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How many distinct keys.</summary>
    public int Count { get; }

    /// <summary>The row stored under <paramref name="key"/>, or null.</summary>
    public byte[]? Find(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = _keys[mid].AsSpan().SequenceCompareTo(key);
            if (c == 0)
            {
                return _rows[mid];
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>
    /// The rows in key order with <paramref name="overlay"/> (a transaction's own writes, also in key order) merged
    /// in: an overlay entry, a row or null for a delete, replaces the row of the same key.
    /// </summary>
    public List<KeyValuePair<byte[], byte[]?>> OverlaidWith(WriteSet? overlay)
    {
        var merged = new List<KeyValuePair<byte[], byte[]?>>(Count + (overlay?.Count ?? 0));
        var i = 0;
        foreach (var (key, row) in overlay ?? [])
        {
            for (; i < Count && _keys[i].AsSpan().SequenceCompareTo(key) < 0; i++)
            {
                merged.Add(new(_keys[i], _rows[i]));
            }

            if (i < Count && _keys[i].AsSpan().SequenceEqual(key))
            {
                i++;
            }

            merged.Add(new(key, row));
        }

        for (; i < Count; i++)
        {
            merged.Add(new(_keys[i], _rows[i]));
        }

        return merged;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<byte[], byte[]?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<byte[], byte[]?>(_keys[i], _rows[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
