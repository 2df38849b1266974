using System.Buffers.Binary;

namespace LumaDB.Storage.Memtables;

/// <content>The single writer's side: arena allocation, tower heights and linking.</content>
public sealed partial class RowMemtable
{
    private void Insert(ReadOnlySpan<byte> key, ulong seq, ReadOnlySpan<byte> value, bool isTombstone)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("The memtable is frozen; write to its successor.");
        }

        Span<int> previous = stackalloc int[MaxHeight];
        var last = _tail[0];
        if (last != 0 && Compare(last, key, seq) < 0)
        {
            // Appending after the last entry (ascending keys: ids, time): the rightmost node of each level is
            // the predecessor, no search needed.
            _tail.CopyTo(previous);
        }
        else if (_lastInserted != 0 && Compare(_lastInserted, key, seq) < 0)
        {
            // Just after the previous insert (the next row of a sorted batch that lands among other keys, as
            // when committers write disjoint key ranges): search forward from it instead of from the head.
            FindFromFinger(key, seq, previous);
            var existing = Next(previous[0], 0);
            if (existing != 0 && Compare(existing, key, seq) == 0)
            {
                throw new InvalidOperationException($"The key already has a version with seq {seq}.");
            }
        }
        else
        {
            var existing = FindGreaterOrEqual(key, seq, previous);
            if (existing != 0 && Compare(existing, key, seq) == 0)
            {
                throw new InvalidOperationException($"The key already has a version with seq {seq}.");
            }
        }

        var height = RandomHeight();
        var currentHeight = _height;
        if (height > currentHeight)
        {
            previous[currentHeight..height].Clear();

            // Readers that see the taller height before the new links just find empty head links there.
            Volatile.Write(ref _height, height);
        }

        var size = LinksOffset + (4 * height) + key.Length + value.Length;
        var node = Allocate(size);
        var chunk = _chunks[node >> ChunkShift];
        var span = chunk.AsSpan(node & OffsetMask, size);
        BinaryPrimitives.WriteUInt64LittleEndian(span[SeqOffset..], seq);
        BinaryPrimitives.WriteInt32LittleEndian(span[KeyLengthOffset..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[ValueLengthOffset..], isTombstone ? Tombstone : value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[HeightOffset..], height);
        for (var level = 0; level < height; level++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[(LinksOffset + (4 * level))..], Next(previous[level], level));
        }

        key.CopyTo(span[(LinksOffset + (4 * height))..]);
        value.CopyTo(span[(LinksOffset + (4 * height) + key.Length)..]);

        // Filed before the node can be reached, so a lookup that could find it is not turned away by the filter.
        var filter = _keyFilter;
        long filterBytes = 0;
        if (filter is null && _lookupsWithoutFilter >= KeyFilterAfterLookups)
        {
            filter = BuildKeyFilter();
            filterBytes = filter.Bytes;
        }

        if (filter is not null)
        {
            filterBytes += filter.Add(MemtableKeyFilter.Hash(key));
        }

        // Publish bottom-up: once a reader can reach the node on level 0 it is complete.
        for (var level = 0; level < height; level++)
        {
            var before = previous[level];
            if (before == 0)
            {
                Volatile.Write(ref _head[level], node);
            }
            else
            {
                Volatile.Write(ref LinkRef(_chunks[before >> ChunkShift], (before & OffsetMask) + LinksOffset + (4 * level)), node);
            }

            if (Next(node, level) == 0)
            {
                _tail[level] = node;
            }
        }

        // The finger for the next insert: this node on its own levels, its predecessors above them.
        previous[..height].Fill(node);
        previous[..MaxHeight].CopyTo(_finger);
        _lastInserted = node;

        Volatile.Write(ref _bytes, _bytes + size + filterBytes);
        Volatile.Write(ref _count, _count + 1);
        if (seq > _maxSeq)
        {
            Volatile.Write(ref _maxSeq, seq);
        }
    }

    /// <summary>
    /// Files the key of every node linked so far and publishes the filter; from then on each insert files its key
    /// before linking. Its bytes count toward the budget like the nodes'.
    /// </summary>
    private MemtableKeyFilter BuildKeyFilter()
    {
        var filter = new MemtableKeyFilter();
        for (var node = Next(0, 0); node != 0; node = Next(node, 0))
        {
            filter.Add(MemtableKeyFilter.Hash(KeyOf(node)));
        }

        Volatile.Write(ref _keyFilter, filter);
        return filter;
    }

    /// <summary>
    /// Fills <paramref name="previous"/> with the predecessors of (key, seq), which sorts after the last inserted
    /// node: on each level the walk starts at the finger, or further right where the level above already moved
    /// past the last inserted node (any step there does, since the finger is at or before it).
    /// </summary>
    private void FindFromFinger(ReadOnlySpan<byte> key, ulong seq, Span<int> previous)
    {
        var moved = false;
        var node = 0;
        for (var level = _height - 1; level >= 0; level--)
        {
            if (!moved)
            {
                node = _finger[level];
            }

            while (true)
            {
                var next = Next(node, level);
                if (next == 0 || Compare(next, key, seq) >= 0)
                {
                    break;
                }

                node = next;
                moved = true;
            }

            previous[level] = node;
        }
    }

    /// <summary>Reserves <paramref name="size"/> bytes, 4-byte aligned, and returns the node reference.</summary>
    private int Allocate(int size)
    {
        if (size > ChunkSize / 4)
        {
            // A large row gets a chunk of its own so it does not waste the rest of a shared one.
            var own = AddChunk(size);
            return own << ChunkShift;
        }

        var offset = (_currentUsed + 3) & ~3;
        if (offset + size > ChunkSize)
        {
            _currentChunk = AddChunk(ChunkSize);
            offset = 0;
        }

        _currentUsed = offset + size;
        return (_currentChunk << ChunkShift) | offset;
    }

    private int AddChunk(int size)
    {
        if (_chunkCount == MaxChunks)
        {
            throw new InvalidOperationException("The memtable arena is exhausted; it should have been flushed long before.");
        }

        var chunks = _chunks;
        if (_chunkCount == chunks.Length)
        {
            var larger = new byte[Math.Min(chunks.Length * 2, MaxChunks)][];
            chunks.CopyTo(larger, 0);
            chunks = larger;
        }

        chunks[_chunkCount] = NewChunk(size);

        // The chunk table is published before any node in the new chunk is linked.
        Volatile.Write(ref _chunks, chunks);
        Volatile.Write(ref _chunkCount, _chunkCount + 1);
        return _chunkCount - 1;
    }

    /// <summary>A chunk of <paramref name="size"/> bytes: from the pool when it has one of that size, else fresh.</summary>
    private byte[] NewChunk(int size) =>
        _lease is not null && size == ChunkSize ? _lease.Rent() : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Height with probability 1/4 of each extra level (xorshift: the writer is single-threaded).</summary>
    private int RandomHeight()
    {
        var height = 1;
        while (height < MaxHeight)
        {
            var x = _random;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _random = x;
            if ((x & 3) != 0)
            {
                break;
            }

            height++;
        }

        return height;
    }
}
