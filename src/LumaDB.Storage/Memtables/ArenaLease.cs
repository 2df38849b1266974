namespace LumaDB.Storage.Memtables;

/// <summary>
/// The pooled chunks of one memtable. Only the memtable references it, so its finalizer runs once the memtable
/// is unreachable, and only then do the chunks go back to the pool.
/// </summary>
internal sealed class ArenaLease(MemtableArenaPool pool)
{
    private readonly List<byte[]> _chunks = [];

    ~ArenaLease() => pool.Return(_chunks);

    /// <summary>A chunk from the pool, recorded so it goes back with the others.</summary>
    public byte[] Rent()
    {
        var chunk = pool.Rent();
        _chunks.Add(chunk);
        return chunk;
    }
}
