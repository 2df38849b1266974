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
    /// <summary>Fresh chunks a background task keeps faulted in, ready for the next memtable chunk.</summary>
    private const int WarmAhead = 4;
    private const int PageSize = 4096;

    private readonly Stack<byte[]> _free = new();
    private readonly Stack<byte[]> _warm = new();
    private readonly int _maxChunks;
    private readonly bool _warmAhead;
    private long _reused;
    private long _warmed;
    private long _allocated;
    private bool _closed;
    private int _retired;
    private int _warming;

    /// <summary>Creates a pool that keeps at most <paramref name="maxRetainedBytes"/> of idle chunks.</summary>
    /// <param name="maxRetainedBytes">Bytes of idle chunks kept at most.</param>
    /// <param name="warmAhead">
    /// When no recycled chunk is idle, let a background task fault in a few fresh chunks ahead of the writer, so
    /// the page faults of a growing arena are not paid on the commit path.
    /// </param>
    public MemtableArenaPool(long maxRetainedBytes, bool warmAhead = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBytes);
        _maxChunks = (int)Math.Min(int.MaxValue, maxRetainedBytes / RowMemtable.ArenaChunkSize);
        _warmAhead = warmAhead;
    }

    /// <summary>Bytes of idle chunks waiting for a memtable.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_free)
            {
                return (long)(_free.Count + _warm.Count) * RowMemtable.ArenaChunkSize;
            }
        }
    }

    /// <summary>Chunks handed out again instead of allocated.</summary>
    public long ReusedChunks => Interlocked.Read(ref _reused);

    /// <summary>Fresh chunks handed out already faulted in by the background task.</summary>
    public long WarmedChunks => Interlocked.Read(ref _warmed);

    /// <summary>Chunks allocated (on the writer's thread or ahead of it) because none was idle.</summary>
    public long AllocatedChunks => Interlocked.Read(ref _allocated);

    /// <summary>Drops every idle chunk and stops keeping the ones returned later (the shard is closing).</summary>
    public void Close()
    {
        lock (_free)
        {
            _closed = true;
            _free.Clear();
            _warm.Clear();
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
        byte[]? chunk;
        lock (_free)
        {
            if (_free.TryPop(out chunk))
            {
                _reused++;
                return chunk;
            }

            if (_warm.TryPop(out chunk))
            {
                _warmed++;
            }
        }

        if (_warmAhead)
        {
            StartWarming();
        }

        if (chunk is null)
        {
            Interlocked.Increment(ref _allocated);
            chunk = GC.AllocateUninitializedArray<byte>(RowMemtable.ArenaChunkSize);
        }

        return chunk;
    }

    private void StartWarming()
    {
        if (Interlocked.CompareExchange(ref _warming, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.Warm(), this, preferLocal: false);
        }
    }

    private void Warm()
    {
        try
        {
            while (true)
            {
                lock (_free)
                {
                    if (_closed || _free.Count > 0 || _warm.Count >= WarmAhead || _free.Count + _warm.Count >= _maxChunks)
                    {
                        return;
                    }
                }

                var chunk = GC.AllocateUninitializedArray<byte>(RowMemtable.ArenaChunkSize);

                // One write per page makes the kernel back the whole chunk now, on this thread.
                for (var at = 0; at < chunk.Length; at += PageSize)
                {
                    chunk[at] = 0;
                }

                Interlocked.Increment(ref _allocated);
                lock (_free)
                {
                    if (_closed)
                    {
                        return;
                    }

                    _warm.Push(chunk);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _warming, 0);
        }
    }

    /// <summary>Takes back the chunks of a memtable nobody can reach any more (called by its finalizer).</summary>
    internal void Return(List<byte[]> chunks)
    {
        lock (_free)
        {
            foreach (var chunk in chunks)
            {
                if (_closed || _free.Count + _warm.Count >= _maxChunks)
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
