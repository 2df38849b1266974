using System.IO.Hashing;

namespace LumaDB.Storage.Memtables;

/// <summary>
/// The 32-bit hashes of the keys a <see cref="RowMemtable"/> holds, in an open-addressing table, so a point lookup
/// of a key the memtable lacks (most lookups, once a table's rows live in segments) ends after a probe or two of a
/// flat array instead of a skip-list search whose every step is a cache miss in the arena.
/// </summary>
/// <remarks>
/// One writer (the memtable's) and lock-free readers, like the skip list. A hash is written into its slot before
/// the node is linked, and a full table is copied into one twice its size that is then published, so a reader
/// never misses a key whose commit it can see: it reads the table after the snapshot that includes the commit, and
/// an old table holds every hash added before it was replaced. Distinct keys that share a hash only cost a search.
/// At most half the slots are used, so a probe ends at an empty slot within a few steps.
/// </remarks>
internal sealed class MemtableKeyFilter
{
    private const int InitialSlots = 1024;

    private uint[] _slots = new uint[InitialSlots];
    private int _count;

    /// <summary>Bytes of the slot array.</summary>
    public long Bytes => (long)Volatile.Read(ref _slots).Length * sizeof(uint);

    /// <summary>The hash a key is filed under (never 0, which marks an empty slot).</summary>
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        var hash = (uint)XxHash3.HashToUInt64(key);
        return hash == 0 ? 1 : hash;
    }

    /// <summary>Files <paramref name="hash"/> and returns the bytes the table grew by (0 mostly). Single writer only.</summary>
    public long Add(uint hash)
    {
        var slots = _slots;
        long grown = 0;
        if ((_count + 1) * 2 > slots.Length)
        {
            slots = Grow(slots);
            grown = (long)slots.Length / 2 * sizeof(uint);
        }

        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == hash)
            {
                return grown;
            }

            if (slot == 0)
            {
                Volatile.Write(ref slots[i], hash);
                _count++;
                return grown;
            }
        }
    }

    /// <summary>False when no key with <paramref name="hash"/> was added; true when one may have been.</summary>
    public bool MayContain(uint hash)
    {
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot == hash)
            {
                return true;
            }

            if (slot == 0)
            {
                return false;
            }
        }
    }

    private uint[] Grow(uint[] slots)
    {
        var grown = new uint[slots.Length * 2];
        var mask = grown.Length - 1;
        foreach (var hash in slots)
        {
            if (hash == 0)
            {
                continue;
            }

            var i = (int)hash & mask;
            while (grown[i] != 0)
            {
                i = (i + 1) & mask;
            }

            grown[i] = hash;
        }

        Volatile.Write(ref _slots, grown);
        return grown;
    }
}
