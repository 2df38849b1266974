namespace LumaDB.Storage.Memtables;

/// <summary>
/// Arena chunks of memtables that are gone, kept for the next memtables of a shard. Writing into memory the
/// process already touched is far cheaper than into fresh memory, whose first write to each page faults (on a
/// virtual machine the fault can cost more than the whole row insert).
/// </summary>
/// <remarks>
/// A memtable hands its chunks back only when the garbage collector has found the memtable unreachable (a
/// finalizer of a small object only the memtable references): row and key spans it gave out are valid only
/// while the memtable is reachable, and readers hold it while they read (a view, a cursor, a version source),
/// so no reader can still see a chunk that a new memtable overwrites. A recycled chunk keeps the bytes of its
/// old nodes, but a memtable only reads nodes it linked itself, which it has written whole.
/// </remarks>
public sealed class MemtableArenaPool
{
    private readonly Stack<byte[]> _free = new();
    private readonly int _maxChunks;
    private long _reused;
    private long _allocated;
    private bool _closed;
    private int _retired;

    /// <summary>Creates a pool that keeps at most <paramref name="maxRetainedBytes"/> of idle chunks.</summary>
    public MemtableArenaPool(long maxRetainedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBytes);
        _maxChunks = (int)Math.Min(int.MaxValue, maxRetainedBytes / RowMemtable.ArenaChunkSize);
    }

    /// <summary>Bytes of idle chunks waiting for a memtable.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_free)
            {
                return (long)_free.Count * RowMemtable.ArenaChunkSize;
            }
        }
    }

    /// <summary>Chunks handed out again instead of allocated.</summary>
    public long ReusedChunks => Interlocked.Read(ref _reused);

    /// <summary>Chunks allocated because none was idle.</summary>
    public long AllocatedChunks => Interlocked.Read(ref _allocated);

    /// <summary>Drops every idle chunk and stops keeping the ones returned later (the shard is closing).</summary>
    public void Close()
    {
        lock (_free)
        {
            _closed = true;
            _free.Clear();
        }
    }

    /// <summary>Notes that a memtable left the shard (flushed); its chunks come back once readers let go of it.</summary>
    public void OnMemtableRetired() => Interlocked.Exchange(ref _retired, 1);

    /// <summary>
    /// When a memtable was retired since the last call, asks for a background full collection: memtables live
    /// long enough to be in the oldest generation, so only a full collection finds them unreachable and hands
    /// their chunks back. Once per flushed memtable, this is a small price against faulting in a fresh arena.
    /// </summary>
    public void CollectRetired()
    {
        if (Interlocked.Exchange(ref _retired, 0) == 1)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
        }
    }

    /// <summary>A chunk of <see cref="RowMemtable.ArenaChunkSize"/> bytes with unspecified contents.</summary>
    internal byte[] Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out var chunk))
            {
                _reused++;
                return chunk;
            }
        }

        Interlocked.Increment(ref _allocated);
        return GC.AllocateUninitializedArray<byte>(RowMemtable.ArenaChunkSize);
    }

    /// <summary>Takes back the chunks of a memtable nobody can reach any more (called by its finalizer).</summary>
    internal void Return(List<byte[]> chunks)
    {
        lock (_free)
        {
            foreach (var chunk in chunks)
            {
                if (_closed || _free.Count >= _maxChunks)
                {
                    return;
                }

                if (chunk.Length == RowMemtable.ArenaChunkSize)
                {
                    _free.Push(chunk);
                }
            }
        }
    }
}
