using System.Text;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class EncodedSeriesTableTests
{
    private static LabelSet Series(int i) => LabelSet.CreateFromSorted([new Label("__name__", "up"), new Label("instance", $"host-{i}")]);

    private static byte[] Key(int i, int length = 40)
    {
        var key = new byte[length];
        Encoding.ASCII.GetBytes($"key-{i}").CopyTo(key, 0);
        return key;
    }

    [Fact]
    public void Keys_with_the_same_hash_each_find_their_own_series()
    {
        var table = new EncodedSeriesTable(capacity: 4);
        var sets = Enumerable.Range(0, 50).Select(Series).ToArray();
        for (var i = 0; i < sets.Length; i++)
        {
            Assert.True(table.TryAdd(42, Key(i), sets[i]));
        }

        for (var i = 0; i < sets.Length; i++)
        {
            Assert.True(table.TryGet(42, Key(i), out var found));
            Assert.Same(sets[i], found);
        }

        Assert.False(table.TryGet(42, Key(999), out _));
        Assert.False(table.TryGet(43, Key(0), out _));
    }

    [Fact]
    public void A_key_added_twice_keeps_its_first_series()
    {
        var table = new EncodedSeriesTable();
        Assert.True(table.TryAdd(7, Key(1), Series(1)));
        Assert.False(table.TryAdd(7, Key(1), Series(2)));
        Assert.True(table.TryGet(7, Key(1), out var found));
        Assert.Equal(Series(1), found);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_key_that_is_a_prefix_of_another_is_a_different_key()
    {
        var table = new EncodedSeriesTable();
        var longer = Key(1, 40);
        Assert.True(table.TryAdd(7, longer, Series(1)));
        Assert.False(table.TryGet(7, longer.AsSpan(0, 39), out _));
    }

    [Fact]
    public void Keys_packed_across_many_arena_chunks_and_growths_read_back_exactly()
    {
        // 3,000 keys of 1,000 bytes fill about a dozen 256 KiB chunks, some ending short of a key's length.
        var table = new EncodedSeriesTable(capacity: 8);
        var random = new Random(5);
        var keys = new byte[3_000][];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new byte[900 + random.Next(200)];
            random.NextBytes(keys[i]);
            Assert.True(table.TryAdd((ulong)random.NextInt64(), keys[i], Series(i)));
        }

        Assert.Equal(keys.Length, table.Count);
        Assert.Equal(keys.Sum(k => (long)k.Length), table.KeyBytes - PaddingOf(table, keys));
        // Found by the hash each was added with.
        random = new Random(5);
        for (var i = 0; i < keys.Length; i++)
        {
            var key = new byte[900 + random.Next(200)];
            random.NextBytes(key);
            Assert.True(table.TryGet((ulong)random.NextInt64(), key, out var found));
            Assert.Equal(Series(i), found);
        }
    }

    [Fact]
    public async Task Readers_find_every_key_added_before_they_look_while_a_writer_grows_the_table()
    {
        var table = new EncodedSeriesTable(capacity: 2);
        const int Keys = 20_000;
        var added = 0;
        var failures = 0;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Keys; i++)
            {
                table.TryAdd((ulong)i * 0x9E3779B97F4A7C15UL, Key(i), Series(i % 64));
                Volatile.Write(ref added, i + 1);
            }
        });

        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var random = new Random();
            while (Volatile.Read(ref added) < Keys)
            {
                var known = Volatile.Read(ref added);
                if (known == 0)
                {
                    continue;
                }

                var i = random.Next(known);
                if (!table.TryGet((ulong)i * 0x9E3779B97F4A7C15UL, Key(i), out var found) || !found.Equals(Series(i % 64)))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, failures);
        Assert.Equal(Keys, table.Count);
    }

    // Bytes skipped at chunk ends: KeyBytes counts positions, which include them.
    private static long PaddingOf(EncodedSeriesTable table, byte[][] keys)
    {
        const int Chunk = 1 << 18;
        long used = 0, padding = 0;
        foreach (var key in keys)
        {
            var offset = used & (Chunk - 1);
            if (offset + key.Length > Chunk)
            {
                padding += Chunk - offset;
                used += Chunk - offset;
            }

            used += key.Length;
        }

        Assert.Equal(used, table.KeyBytes);
        return padding;
    }
}
