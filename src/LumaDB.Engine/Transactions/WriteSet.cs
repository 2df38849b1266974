using System.Collections;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// One table's buffered writes in a transaction, by primary key in key order: a row, or null for a delete.
/// </summary>
/// <remarks>
/// Bulk loads (COPY, INSERT ... SELECT, a table without a declared key whose hidden row ids only grow) write
/// keys in ascending order. While they do, the writes are two parallel lists appended at the end and found by
/// binary search: no tree node per row, no rebalancing, and the commit reads them in order as they are. The
/// first write that would go anywhere but the end moves everything into a balanced tree, which then serves
/// every order of writes.
/// </remarks>
internal sealed class WriteSet : IEnumerable<KeyValuePair<byte[], byte[]?>>
{
    private List<byte[]>? _keys = [];
    private List<byte[]?>? _rows = [];
    private SortedDictionary<byte[], byte[]?>? _tree;

    /// <summary>How many keys have a buffered write.</summary>
    public int Count => _tree?.Count ?? _keys!.Count;

    /// <summary>Whether the writes are still held as appended sorted lists (for tests).</summary>
    internal bool IsAppendOnly => _tree is null;

    /// <summary>The buffered write of <paramref name="key"/>: true with the row (null for a delete) when there is one.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out byte[]? row)
    {
        if (_tree is not null)
        {
            return _tree.TryGetValue(key.ToArray(), out row);
        }

        var at = Find(key);
        row = at >= 0 ? _rows![at] : null;
        return at >= 0;
    }

    /// <summary>Whether <paramref name="key"/> has a buffered write.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGetValue(key, out _);

    /// <summary>Sets the buffered write of <paramref name="key"/> (which the set keeps; the caller must not change it).</summary>
    public void Set(byte[] key, byte[]? row)
    {
        if (_tree is not null)
        {
            _tree[key] = row;
            return;
        }

        var keys = _keys!;
        if (keys.Count == 0 || keys[^1].AsSpan().SequenceCompareTo(key) < 0)
        {
            keys.Add(key);
            _rows!.Add(row);
            return;
        }

        var at = Find(key);
        if (at >= 0)
        {
            _rows![at] = row;
            return;
        }

        ToTree()[key] = row;
    }

    /// <summary>Drops the buffered write of <paramref name="key"/> (a savepoint rollback of a key the set did not have).</summary>
    public void Remove(byte[] key)
    {
        if (_tree is not null)
        {
            _tree.Remove(key);
            return;
        }

        var at = Find(key);
        if (at >= 0)
        {
            _keys!.RemoveAt(at);
            _rows!.RemoveAt(at);
        }
    }

    /// <summary>Drops every buffered write.</summary>
    public void Clear()
    {
        _tree = null;
        _keys = [];
        _rows = [];
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<byte[], byte[]?>> GetEnumerator()
    {
        if (_tree is not null)
        {
            foreach (var entry in _tree)
            {
                yield return entry;
            }

            yield break;
        }

        var keys = _keys!;
        var rows = _rows!;
        for (var i = 0; i < keys.Count; i++)
        {
            yield return new KeyValuePair<byte[], byte[]?>(keys[i], rows[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private SortedDictionary<byte[], byte[]?> ToTree()
    {
        var tree = new SortedDictionary<byte[], byte[]?>(ByteKeyComparer.Instance);
        for (var i = 0; i < _keys!.Count; i++)
        {
            tree.Add(_keys[i], _rows![i]);
        }

        _keys = null;
        _rows = null;
        _tree = tree;
        return tree;
    }

    /// <summary>Binary search of the appended keys: the index of <paramref name="key"/>, or -1.</summary>
    private int Find(ReadOnlySpan<byte> key)
    {
        var keys = _keys!;
        int lo = 0, hi = keys.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = keys[mid].AsSpan().SequenceCompareTo(key);
            if (c == 0)
            {
                return mid;
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

        return -1;
    }
}
