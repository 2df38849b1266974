using System.Buffers;
using System.Buffers.Binary;
using Apache.Arrow;

namespace LumaDB.Storage.Shards;

/// <summary>
/// A decoded row group held by the <see cref="RowGroupCache"/>, with the shard key of every row laid out once
/// so point lookups binary-search plain bytes instead of re-encoding a row per probe.
/// </summary>
internal sealed class CachedRowGroup
{
    private KeyIndex? _keys;
    private CachedRowReader? _reader;

    public CachedRowGroup(RecordBatch batch, TableLayout table)
    {
        Batch = batch;
        _keys = KeyIndex.Build(batch, table);
        Bytes = BatchBytes(batch) + _keys.Bytes;
    }

    /// <summary>Every column of the group, system columns included.</summary>
    public RecordBatch Batch { get; }

    /// <summary>Memory the entry holds, for the cache bound.</summary>
    public long Bytes { get; }

    /// <summary>The shard keys of the rows as <paramref name="table"/> encodes them, rebuilt if the layout object changed.</summary>
    public KeyIndex KeysFor(TableLayout table)
    {
        var keys = Volatile.Read(ref _keys)!;
        if (!ReferenceEquals(keys.Layout, table))
        {
            keys = KeyIndex.Build(Batch, table);
            Volatile.Write(ref _keys, keys);
        }

        return keys;
    }

    /// <summary>
    /// Single-row access to the group for <paramref name="table"/>, rebuilt if the layout object changed; null when
    /// the arrays do not match the layout's kinds.
    /// </summary>
    public CachedRowReader? ReaderFor(TableLayout table)
    {
        var reader = Volatile.Read(ref _reader);
        if (reader is null || !ReferenceEquals(reader.Layout, table))
        {
            reader = CachedRowReader.TryCreate(Batch, table);
            Volatile.Write(ref _reader, reader);
        }

        return reader;
    }

    private static long BatchBytes(RecordBatch batch)
    {
        long bytes = 0;
        foreach (var array in batch.Arrays)
        {
            foreach (var buffer in array.Data.Buffers)
            {
                bytes += buffer.Length;
            }
        }

        return bytes;
    }

    /// <summary>
    /// Shard keys of a row group's rows, concatenated, with each row's start offset, and per row the 8 key bytes
    /// after the prefix every key of the group shares, as a big-endian number.
    /// </summary>
    /// <remarks>
    /// A lookup binary-searches the numbers, one contiguous array, and compares whole keys only among rows whose
    /// numbers tie: the numbers keep the keys' order (a tie only where keys agree in those 8 bytes), and the
    /// search over variable-length keys touched two scattered cache lines per step.
    /// </remarks>
    internal sealed class KeyIndex
    {
        private readonly byte[] _data;
        private readonly int[] _starts;
        private readonly ulong[] _windows;
        private readonly int _common;

        private KeyIndex(TableLayout layout, byte[] data, int[] starts)
        {
            Layout = layout;
            _data = data;
            _starts = starts;
            var count = starts.Length - 1;
            _common = count == 0 ? 0 : KeyAt(0).CommonPrefixLength(KeyAt(count - 1));
            _windows = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                _windows[i] = Window(KeyAt(i)[_common..]);
            }
        }

        public TableLayout Layout { get; }

        public long Bytes => _data.Length + ((long)_starts.Length * sizeof(int)) + ((long)_windows.Length * sizeof(ulong));

        public static KeyIndex Build(RecordBatch batch, TableLayout table)
        {
            var builder = new RowBuilder(table);
            var row = new ArrayBufferWriter<byte>(256);
            var keys = new ArrayBufferWriter<byte>(Math.Max(64, batch.Length * (table.KeyPrefix.Length + 9)));
            var starts = new int[batch.Length + 1];
            for (var i = 0; i < batch.Length; i++)
            {
                starts[i] = keys.WrittenCount;
                row.ResetWrittenCount();
                table.Codec.EncodeFromArrow(batch, i, builder, row);
                table.Codec.WriteKey(row.WrittenSpan, keys);
            }

            starts[batch.Length] = keys.WrittenCount;
            return new KeyIndex(table, keys.WrittenSpan.ToArray(), starts);
        }

        /// <summary>The shard key of row <paramref name="index"/>.</summary>
        public ReadOnlySpan<byte> KeyAt(int index) => _data.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

        /// <summary>The first row whose key is <paramref name="key"/> (rows in key order), or -1.</summary>
        public int FindFirst(ReadOnlySpan<byte> key)
        {
            var count = _windows.Length;
            if (count == 0 || key.Length < _common || !key[.._common].SequenceEqual(KeyAt(0)[.._common]))
            {
                return -1;
            }

            // Rows whose window equals the key's: [low, high).
            var window = Window(key[_common..]);
            var low = FirstWindowAtLeast(window);
            if (low == count || _windows[low] != window)
            {
                return -1;
            }

            // Unique keys tie with no neighbour, so the second search is only for a real tie.
            var high = low + 1 < count && _windows[low + 1] == window
                ? (window == ulong.MaxValue ? count : FirstWindowAtLeast(window + 1))
                : low + 1;

            // Whole keys within the tie, in order.
            while (low < high)
            {
                var mid = low + ((high - low) / 2);
                if (KeyAt(mid).SequenceCompareTo(key) < 0)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low < count && KeyAt(low).SequenceEqual(key) ? low : -1;
        }

        private int FirstWindowAtLeast(ulong window)
        {
            int low = 0, high = _windows.Length;
            while (low < high)
            {
                var mid = low + ((high - low) / 2);
                if (_windows[mid] < window)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low;
        }

        // Up to 8 bytes, zero-padded on the right: a key that is a prefix of another gets a window no larger than it.
        private static ulong Window(ReadOnlySpan<byte> rest)
        {
            if (rest.Length >= sizeof(ulong))
            {
                return BinaryPrimitives.ReadUInt64BigEndian(rest);
            }

            Span<byte> padded = stackalloc byte[sizeof(ulong)];
            padded.Clear();
            rest.CopyTo(padded);
            return BinaryPrimitives.ReadUInt64BigEndian(padded);
        }
    }
}
