using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Metrics;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>
/// Label sets by the bytes of their encoded label fields: an open-addressing table of (hash, label set, position of
/// the key bytes) slots over key bytes packed into large arena chunks. A hit costs one slot line and the key's own
/// bytes, where a dictionary of byte arrays walks bucket, node and array (three dependent cache misses, a quarter
/// of remote write's CPU at 100,000 series). Lookups take no lock and run alongside one writer at a time.
/// </summary>
/// <remarks>
/// A slot is written once: its fields first, then its hash, with release semantics, so a reader that sees the
/// hash (acquire) sees the rest. Keys with equal hashes take separate slots, and a lookup probes on past a slot
/// whose bytes differ, so a collision costs a probe, never a wrong series. Growth copies the slots into a new
/// table that readers pick up on their next lookup; the old one stays valid for readers still in it.
/// </remarks>
internal sealed class EncodedSeriesTable
{
    private const int ChunkBits = 18;
    private const int ChunkBytes = 1 << ChunkBits;

    /// <summary>Key bytes the table holds before <see cref="TryAdd"/> refuses: positions must fit an int.</summary>
    public const long MaxKeyBytes = int.MaxValue - ChunkBytes;

    private readonly Lock _writeLock = new();
    private Slot[] _slots;
    private byte[][] _chunks = [];
    private int _used;
    private int _count;

    /// <summary>An empty table sized for <paramref name="capacity"/> keys before it grows.</summary>
    public EncodedSeriesTable(int capacity = 1024) =>
        _slots = new Slot[(int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2))];

    /// <summary>Keys held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes of keys held.</summary>
    public long KeyBytes => Volatile.Read(ref _used);

    /// <summary>The label set added under <paramref name="key"/>, found by its <paramref name="hash"/>.</summary>
    public bool TryGet(ulong hash, ReadOnlySpan<byte> key, [NotNullWhen(true)] out LabelSet? set)
    {
        hash = NonZero(hash);
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            var stored = Volatile.Read(ref slot.Hash);
            if (stored == 0)
            {
                set = null;
                return false;
            }

            if (stored == hash && slot.Length == key.Length && KeyAt(slot.Position, slot.Length).SequenceEqual(key))
            {
                set = slot.Set!;
                return true;
            }
        }
    }

    /// <summary>
    /// Asks the processor to load the slot a lookup of <paramref name="hash"/> probes first; a lookup issued a few
    /// hundred nanoseconds later then finds it in cache instead of waiting on memory (and, on a large table, on a
    /// page walk). A hint only: nothing happens where the processor has no prefetch instruction.
    /// </summary>
    public void Prefetch(ulong hash)
    {
        var slots = Volatile.Read(ref _slots);
        PrefetchLine.At(ref slots[(int)NonZero(hash) & (slots.Length - 1)]);
    }

    /// <summary>
    /// Adds <paramref name="set"/> under <paramref name="key"/> unless the key is there already; false when it was,
    /// or when the table holds <see cref="MaxKeyBytes"/> of keys.
    /// </summary>
    public bool TryAdd(ulong hash, ReadOnlySpan<byte> key, LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (key.Length > ChunkBytes)
        {
            return false;
        }

        hash = NonZero(hash);
        lock (_writeLock)
        {
            if (TryGet(hash, key, out _) || _used + (long)ChunkBytes > MaxKeyBytes)
            {
                return false;
            }

            if ((_count + 1) * 2 > _slots.Length)
            {
                Grow();
            }

            var position = Append(key);
            var slots = _slots;
            var mask = slots.Length - 1;
            var i = (int)hash & mask;
            while (slots[i].Hash != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i].Set = set;
            slots[i].Position = position;
            slots[i].Length = key.Length;
            Volatile.Write(ref slots[i].Hash, hash);
            Volatile.Write(ref _count, _count + 1);
            return true;
        }
    }

    private ReadOnlySpan<byte> KeyAt(int position, int length) =>
        Volatile.Read(ref _chunks)[position >> ChunkBits].AsSpan(position & (ChunkBytes - 1), length);

    /// <summary>Copies a key into the arena (a key never spans two chunks) and returns its position.</summary>
    private int Append(ReadOnlySpan<byte> key)
    {
        var offset = _used & (ChunkBytes - 1);
        if (offset + key.Length > ChunkBytes)
        {
            _used += ChunkBytes - offset;
        }

        if (_used >> ChunkBits >= _chunks.Length)
        {
            // Published before any slot that points into it.
            Volatile.Write(ref _chunks, [.. _chunks, new byte[ChunkBytes]]);
        }

        var position = _used;
        key.CopyTo(_chunks[position >> ChunkBits].AsSpan(position & (ChunkBytes - 1)));
        Volatile.Write(ref _used, position + key.Length);
        return position;
    }

    private void Grow()
    {
        var old = _slots;
        var slots = new Slot[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Hash == 0)
            {
                continue;
            }

            var i = (int)slot.Hash & mask;
            while (slots[i].Hash != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        Volatile.Write(ref _slots, slots);
    }

    // Zero marks an empty slot.
    private static ulong NonZero(ulong hash) => hash == 0 ? 1 : hash;

    private struct Slot
    {
        public ulong Hash;
        public LabelSet? Set;
        public int Position;
        public int Length;
    }
}
