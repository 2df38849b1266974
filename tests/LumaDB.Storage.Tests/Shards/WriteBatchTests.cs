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

    [Fact]
    public void A_builder_writes_the_same_key_as_the_codec_reading_its_encoded_row()
    {
        // Every kind a key can hold, nullable ones among them, in an order other than the columns'.
        var layout = ShardTestKit.EveryKind(78, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], extraText: true);
        var random = new Random(5);
        var builder = new RowBuilder(layout);
        for (var round = 0; round < 300; round++)
        {
            builder.Reset();
            builder.SetText(10, "not in the key");
            if (random.Next(4) > 0) { builder.SetBoolean(0, random.Next(2) == 0); }
            if (random.Next(4) > 0) { builder.SetInt16(1, (short)random.Next(short.MinValue, short.MaxValue)); }
            if (random.Next(4) > 0) { builder.SetInt32(2, random.Next(int.MinValue, int.MaxValue)); }
            if (random.Next(4) > 0) { builder.SetInt64(3, random.NextInt64(long.MinValue, long.MaxValue)); }
            if (random.Next(4) > 0) { builder.SetUInt64(4, (ulong)random.NextInt64()); }
            if (random.Next(4) > 0) { builder.SetFloat32(5, (float)((random.NextDouble() - 0.5) * 1e6)); }
            if (random.Next(4) > 0) { builder.SetFloat64(6, random.Next(8) == 0 ? double.NaN : (random.NextDouble() - 0.5) * 1e300); }
            if (random.Next(4) > 0) { builder.SetTimestamp(7, random.NextInt64(long.MinValue, long.MaxValue)); }
            if (random.Next(4) > 0) { builder.SetText(8, random.Next(3) == 0 ? "with\0zero" + '\0' : "text" + random.Next()); }
            if (random.Next(4) > 0) { var bytes = new byte[random.Next(0, 12)]; random.NextBytes(bytes); builder.SetBytes(9, bytes); }

            var fromBuilder = new WriteBatch().Put(builder);
            var row = builder.ToArray();
            var fromRow = new WriteBatch().Put(layout, row);

            var aLength = fromBuilder.Encode(out var a);
            var bLength = fromRow.Encode(out var b);
            Assert.Equal(b.AsSpan(0, bLength).ToArray(), a.AsSpan(0, aLength).ToArray());
        }
    }
}
