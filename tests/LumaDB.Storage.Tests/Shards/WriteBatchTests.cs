using System.Buffers.Binary;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Shards;

public sealed class WriteBatchTests
{
    private static readonly TableLayout Table = new(
        77, [new TableColumn("k", SegmentColumnKind.Binary, false), new TableColumn("n", SegmentColumnKind.Int32, false)], [0]);

    [Fact]
    public void The_payload_holds_each_key_once_in_key_order_with_its_last_row()
    {
        // Keys share a prefix, are prefixes of each other, differ only past eight bytes or in their last byte
        // (0x00 and 0xFF included), and repeat; they are added in random order.
        var random = new Random(11);
        var keys = new List<byte[]>();
        for (var i = 0; i < 400; i++)
        {
            var key = new byte[random.Next(0, 14)];
            for (var b = 0; b < key.Length; b++)
            {
                key[b] = b < 3 ? (byte)'s' : (byte)(random.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => random.Next(256) });
            }

            keys.Add(key);
        }

        keys.AddRange(keys.Take(50).ToArray());
        var batch = new WriteBatch();
        var row = new RowBuilder(Table);
        var lastRow = new Dictionary<string, int>();
        for (var i = 0; i < keys.Count; i++)
        {
            row.Reset();
            batch.Put(row.SetBytes(0, keys[i]).SetInt32(1, i));
            lastRow[Convert.ToHexString(keys[i])] = i;
        }

        var length = batch.Encode(out var payload);
        try
        {
            var span = payload.AsSpan(0, length);
            var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
            Assert.Equal(lastRow.Count, count);
            var at = 4;
            byte[]? previous = null;
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(1, span[at]);
                var keyLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 1)..]);
                var key = span.Slice(at + 5, keyLength).ToArray();
                at += 5 + keyLength;
                var rowLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
                var stored = span.Slice(at + 4, rowLength).ToArray();
                at += 4 + rowLength;
                if (previous is not null)
                {
                    Assert.True(previous.AsSpan().SequenceCompareTo(key) < 0, "keys must strictly ascend");
                }

                previous = key;

                // The row kept is the one added last under its key.
                var value = keys.First(k => key.AsSpan().SequenceEqual(Table.ShardKey(Shard.PrimaryKeyOf(Table, Row(k, 0)))));
                Assert.Equal(Row(value, lastRow[Convert.ToHexString(value)]), stored);
            }

            Assert.Equal(length, at);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private static byte[] Row(byte[] key, int n) => new RowBuilder(Table).SetBytes(0, key).SetInt32(1, n).ToArray();
}
