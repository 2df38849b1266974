using System.Buffers;
using Apache.Arrow;

namespace LumaDB.Storage.Shards;

/// <summary>
/// A decoded row group held by the <see cref="RowGroupCache"/>, with the shard key of every row laid out once
/// so point lookups binary-search plain bytes instead of re-encoding a row per probe.
/// </summary>
internal sealed class CachedRowGroup
{
    private KeyIndex? _keys;

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

    /// <summary>Shard keys of a row group's rows, concatenated, with each row's start offset.</summary>
    internal sealed class KeyIndex
    {
        private readonly byte[] _data;
        private readonly int[] _starts;

        private KeyIndex(TableLayout layout, byte[] data, int[] starts)
        {
            Layout = layout;
            _data = data;
            _starts = starts;
        }

        public TableLayout Layout { get; }

        public long Bytes => _data.Length + ((long)_starts.Length * sizeof(int));

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
            int low = 0, high = _starts.Length - 1;
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

            return low < _starts.Length - 1 && KeyAt(low).SequenceEqual(key) ? low : -1;
        }
    }
}
