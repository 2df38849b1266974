using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace LumaDB.Storage.Memtables;

/// <summary>
/// The hot store of a row table: an ordered map from (key bytes ascending, commit seq descending) to a row or a
/// tombstone, as a skip list whose nodes live in a byte arena.
/// </summary>
/// <remarks>
/// Hand-written because the shape matters: one writer (the shard's commit path serializes writes) and any
/// number of lock-free readers. A node is filled completely, then linked bottom-up with volatile writes, so a
/// reader that sees a link sees the whole node (the LevelDB publication scheme). Nodes never move or change
/// once linked. Keeping nodes in 1 MiB arena chunks instead of objects means no allocation per row and
/// nothing for the GC to trace. Node layout (4-byte aligned): seq u64, key length i32, value length i32
/// (-1 for a tombstone), height i32, links i32 x height, key, value.
/// </remarks>
public sealed partial class RowMemtable
{
    /// <summary>Tallest tower; with branching 4 that serves tens of millions of entries.</summary>
    public const int MaxHeight = 12;

    /// <summary>Bytes of one arena chunk (larger rows get a chunk of their own).</summary>
    public const int ArenaChunkSize = ChunkSize;

    /// <summary>
    /// Largest budget a memtable takes. Node references are 31 bits (chunk and offset), so an arena holds at most
    /// 2 GiB; writers stall at twice the budget while a flush runs, and the batch in flight needs room past that.
    /// </summary>
    public const long MaxBudgetBytes = 512L << 20;

    private const int ChunkShift = 20;
    private const int ChunkSize = 1 << ChunkShift;
    private const int OffsetMask = ChunkSize - 1;
    private const int MaxChunks = int.MaxValue >> ChunkShift;
    private const int SeqOffset = 0;
    private const int KeyLengthOffset = 8;
    private const int ValueLengthOffset = 12;
    private const int HeightOffset = 16;
    private const int LinksOffset = 20;
    private const int Tombstone = -1;

    // Point lookups seen before the memtable has a key filter; past this many the writer builds one.
    private const int KeyFilterAfterLookups = 4096;

    private readonly int[] _head = new int[MaxHeight];

    // The rightmost node on each level (0: the head), kept by the writer for the append fast path.
    private readonly int[] _tail = new int[MaxHeight];

    // The writer's last inserted node and, per level, where a search for the key after it starts.
    private readonly int[] _finger = new int[MaxHeight];

    // Set when the chunks come from a pool; it hands them back once this memtable is unreachable.
    private readonly ArenaLease? _lease;
    private byte[][] _chunks = new byte[4][];
    private int _chunkCount;
    private int _currentChunk;
    private int _currentUsed;
    private int _height = 1;
    private int _lastInserted;
    private long _bytes;
    private long _count;
    private ulong _maxSeq;
    private uint _random = 0x9E3779B9;
    private volatile bool _frozen;

    // Built by the writer once point lookups come (a write-only memtable never pays for it), then kept by it.
    private MemtableKeyFilter? _keyFilter;
    private int _lookupsWithoutFilter;

    /// <summary>Creates an empty memtable that reports full at <paramref name="budgetBytes"/>.</summary>
    public RowMemtable(long budgetBytes = 64L * 1024 * 1024)
        : this(budgetBytes, null)
    {
    }

    /// <summary>
    /// Creates an empty memtable whose arena chunks come from <paramref name="pool"/> (when not null) and go back
    /// to it once the memtable is no longer reachable.
    /// </summary>
    public RowMemtable(long budgetBytes, MemtableArenaPool? pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(budgetBytes, MaxBudgetBytes);
        BudgetBytes = budgetBytes;
        _lease = pool is null ? null : new ArenaLease(pool);
        _chunks[0] = NewChunk(ChunkSize);
        _chunkCount = 1;

        // Offset 0 of chunk 0 would be node reference 0, which means "no node".
        _currentUsed = 8;
    }

    /// <summary>Bytes after which <see cref="IsFull"/> turns true.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes taken by entries (keys, values and node overhead).</summary>
    public long ApproximateBytes => Volatile.Read(ref _bytes);

    /// <summary>Bytes of arena chunks allocated.</summary>
    public long ArenaBytes
    {
        get
        {
            var chunks = Volatile.Read(ref _chunks);
            long total = 0;
            foreach (var chunk in chunks)
            {
                total += chunk?.Length ?? 0;
            }

            return total;
        }
    }

    /// <summary>Number of versions stored (rows and tombstones).</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Highest commit seq written; after a flush the WAL can be truncated below it.</summary>
    public ulong MaxSeq => Volatile.Read(ref _maxSeq);

    /// <summary>
    /// True once the entries reach the budget, or the arena has used a quarter of the chunks a node reference can
    /// name (rows too large to share a chunk take one each): time to freeze and flush.
    /// </summary>
    public bool IsFull => ApproximateBytes >= BudgetBytes || Volatile.Read(ref _chunkCount) >= MaxChunks / 4;

    /// <summary>
    /// True once the arena has used half the chunks a node reference can name: writers must wait for a flush
    /// before adding more, whatever the budget says.
    /// </summary>
    public bool IsNearArenaLimit => Volatile.Read(ref _chunkCount) >= MaxChunks / 2;

    /// <summary>True once <see cref="Freeze"/> was called; writes are refused.</summary>
    public bool IsFrozen => _frozen;

    /// <summary>Makes the memtable immutable; readers carry on, writers get an exception.</summary>
    public void Freeze() => _frozen = true;

    /// <summary>Adds a row version. Single writer only: calls must not overlap.</summary>
    public void Put(ReadOnlySpan<byte> key, ulong seq, ReadOnlySpan<byte> row) => Insert(key, seq, row, isTombstone: false);

    /// <summary>Adds a tombstone that hides older versions of the key. Single writer only.</summary>
    public void Delete(ReadOnlySpan<byte> key, ulong seq) => Insert(key, seq, default, isTombstone: true);

    /// <summary>
    /// Finds the newest version of <paramref name="key"/> with seq at or below <paramref name="snapshotSeq"/>.
    /// The row span points into the memtable and stays valid as long as the memtable is reachable.
    /// </summary>
    public MemtableLookup TryGet(ReadOnlySpan<byte> key, ulong snapshotSeq, out ReadOnlySpan<byte> row)
    {
        row = default;
        if (!MayHold(key))
        {
            return MemtableLookup.NotFound;
        }

        var node = FindGreaterOrEqual(key, snapshotSeq, default);
        if (node == 0 || !KeyOf(node).SequenceEqual(key))
        {
            return MemtableLookup.NotFound;
        }

        if (ValueLength(node) == Tombstone)
        {
            return MemtableLookup.Deleted;
        }

        row = ValueOf(node);
        return MemtableLookup.Found;
    }

    /// <summary>
    /// False when the memtable holds no version of <paramref name="key"/>; true when it may. Without a key filter
    /// (until the writer builds one, see <see cref="KeyFilterAfterLookups"/>) always true.
    /// </summary>
    public bool MayHold(ReadOnlySpan<byte> key)
    {
        var filter = Volatile.Read(ref _keyFilter);
        if (filter is null)
        {
            // A racy count: lost increments only delay the filter.
            _lookupsWithoutFilter++;
            return true;
        }

        return filter.MayContain(MemtableKeyFilter.Hash(key));
    }

    /// <summary>Visits, in key order, the newest version at or below the snapshot of each key in [from, to).</summary>
    public RowMemtableCursor Scan(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, ulong snapshotSeq, bool includeTombstones = false) =>
        new(this, from, to, hasUpperBound: true, snapshotSeq, includeTombstones);

    /// <summary>Visits, in key order, the newest version at or below the snapshot of each key from <paramref name="from"/> on.</summary>
    public RowMemtableCursor ScanFrom(ReadOnlySpan<byte> from, ulong snapshotSeq, bool includeTombstones = false) =>
        new(this, from, default, hasUpperBound: false, snapshotSeq, includeTombstones);

    internal ReadOnlySpan<byte> KeyOf(int node)
    {
        var chunk = Chunk(node);
        var offset = node & OffsetMask;
        var height = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + HeightOffset));
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(offset + KeyLengthOffset));
        return chunk.AsSpan(offset + LinksOffset + (4 * height), keyLength);
    }

    internal ReadOnlySpan<byte> ValueOf(int node)
    {
        var chunk = Chunk(node);
        var offset = node & OffsetMask;
        var span = chunk.AsSpan(offset);
        var height = BinaryPrimitives.ReadInt32LittleEndian(span[HeightOffset..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[KeyLengthOffset..]);
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(span[ValueLengthOffset..]);
        return valueLength <= 0 ? default : span.Slice(LinksOffset + (4 * height) + keyLength, valueLength);
    }

    internal ulong SeqOf(int node) => BinaryPrimitives.ReadUInt64LittleEndian(Chunk(node).AsSpan((node & OffsetMask) + SeqOffset));

    internal int ValueLength(int node) => BinaryPrimitives.ReadInt32LittleEndian(Chunk(node).AsSpan((node & OffsetMask) + ValueLengthOffset));

    /// <summary>The node after <paramref name="node"/> (0 for the head) on <paramref name="level"/>; 0 at the end.</summary>
    internal int Next(int node, int level)
    {
        if (node == 0)
        {
            return Volatile.Read(ref _head[level]);
        }

        return Volatile.Read(ref LinkRef(Chunk(node), (node & OffsetMask) + LinksOffset + (4 * level)));
    }

    /// <summary>
    /// First node at or after (key, seq) in (key ascending, seq descending) order; fills
    /// <paramref name="previous"/> (when not empty) with the last node before it on each level.
    /// </summary>
    internal int FindGreaterOrEqual(ReadOnlySpan<byte> key, ulong seq, Span<int> previous)
    {
        var node = 0;
        var level = Volatile.Read(ref _height) - 1;

        // A node found not-less on one level is often the next one on the level below: skip comparing it again.
        var knownNotLess = 0;
        while (true)
        {
            var next = Next(node, level);
            if (next != 0 && next != knownNotLess && Compare(next, key, seq) < 0)
            {
                node = next;
                continue;
            }

            knownNotLess = next;
            if (!previous.IsEmpty)
            {
                previous[level] = node;
            }

            if (level == 0)
            {
                return next;
            }

            level--;
        }
    }

    private static ref int LinkRef(byte[] chunk, int index) => ref Unsafe.As<byte, int>(ref chunk[index]);

    private byte[] Chunk(int node) => Volatile.Read(ref _chunks)[node >> ChunkShift];

    private int Compare(int node, ReadOnlySpan<byte> key, ulong seq)
    {
        // One chunk lookup and one header read per comparison: this is the innermost loop of every search.
        var header = Chunk(node).AsSpan(node & OffsetMask);
        var height = BinaryPrimitives.ReadInt32LittleEndian(header[HeightOffset..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(header[KeyLengthOffset..]);
        var byKey = header.Slice(LinksOffset + (4 * height), keyLength).SequenceCompareTo(key);
        if (byKey != 0)
        {
            return byKey;
        }

        // Newer versions first, so the first match at or below a snapshot is the one it sees.
        return BinaryPrimitives.ReadUInt64LittleEndian(header[SeqOffset..]).CompareTo(seq) * -1;
    }
}
