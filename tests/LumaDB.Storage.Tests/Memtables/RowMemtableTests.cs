using System.Buffers.Binary;
using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Tests.Memtables;

public sealed class RowMemtableTests
{
    [Fact]
    public void A_lookup_sees_the_newest_version_at_or_below_its_snapshot()
    {
        var memtable = new RowMemtable();
        memtable.Put(Key(1), 10, "v10"u8);
        memtable.Put(Key(1), 20, "v20"u8);
        memtable.Delete(Key(1), 30);
        memtable.Put(Key(1), 40, "v40"u8);

        Assert.Equal(MemtableLookup.NotFound, memtable.TryGet(Key(1), 9, out _));
        Assert.Equal("v10", Get(memtable, 1, 10));
        Assert.Equal("v10", Get(memtable, 1, 19));
        Assert.Equal("v20", Get(memtable, 1, 29));
        Assert.Equal(MemtableLookup.Deleted, memtable.TryGet(Key(1), 35, out _));
        Assert.Equal("v40", Get(memtable, 1, ulong.MaxValue));
        Assert.Equal(MemtableLookup.NotFound, memtable.TryGet(Key(2), ulong.MaxValue, out _));
        Assert.Equal(MemtableLookup.NotFound, memtable.TryGet(Key(0), ulong.MaxValue, out _));
    }

    [Fact]
    public void Random_writes_read_back_like_a_versioned_sorted_map()
    {
        var memtable = new RowMemtable();
        var model = new Dictionary<long, List<(ulong Seq, string? Value)>>();
        var random = new Random(12);
        for (ulong seq = 1; seq <= 5000; seq++)
        {
            var k = random.Next(800);
            string? value = random.Next(8) == 0 ? null : $"row-{k}-{seq}-" + new string('p', random.Next(40));
            if (value is null)
            {
                memtable.Delete(Key(k), seq);
            }
            else
            {
                memtable.Put(Key(k), seq, System.Text.Encoding.UTF8.GetBytes(value));
            }

            if (!model.TryGetValue(k, out var versions))
            {
                model[k] = versions = [];
            }

            versions.Add((seq, value));
        }

        foreach (var snapshot in new ulong[] { 0, 1, 1000, 2500, 4999, ulong.MaxValue })
        {
            string? Visible(long k) => model.TryGetValue(k, out var v) ? v.LastOrDefault(x => x.Seq <= snapshot).Value : null;
            bool Exists(long k) => model.TryGetValue(k, out var v) && v.Any(x => x.Seq <= snapshot);

            for (var k = -1; k <= 801; k++)
            {
                var result = memtable.TryGet(Key(k), snapshot, out var row);
                var expected = !Exists(k) ? MemtableLookup.NotFound : Visible(k) is null ? MemtableLookup.Deleted : MemtableLookup.Found;
                Assert.Equal(expected, result);
                if (result == MemtableLookup.Found)
                {
                    Assert.Equal(Visible(k), System.Text.Encoding.UTF8.GetString(row));
                }
            }

            var expectedRange = Enumerable.Range(100, 400).Where(k => Visible(k) is not null).Select(k => Visible(k)!).ToList();
            var scanned = new List<string>();
            var cursor = memtable.Scan(Key(100), Key(500), snapshot);
            while (cursor.MoveNext())
            {
                scanned.Add(System.Text.Encoding.UTF8.GetString(cursor.Value));
                Assert.True(cursor.Seq <= snapshot);
            }

            Assert.Equal(expectedRange, scanned);
        }

        Assert.Equal(5000, memtable.Count);
        Assert.Equal(5000UL, memtable.MaxSeq);
    }

    [Fact]
    public void Ascending_appends_mixed_with_random_inserts_stay_ordered()
    {
        var memtable = new RowMemtable();
        var model = new SortedDictionary<long, ulong>();
        var random = new Random(21);
        ulong seq = 0;
        long next = 1_000_000;
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly appends past the end (the fast path), sometimes a key in the middle or a new version.
            var k = random.Next(5) == 0 ? random.Next(1_000_000 + i) : next++;
            memtable.Put(Key(k), ++seq, BitConverter.GetBytes(seq));
            model[k] = seq;
        }

        var scanned = new List<(long, ulong)>();
        var cursor = memtable.ScanFrom(default, ulong.MaxValue);
        while (cursor.MoveNext())
        {
            scanned.Add((Decode(cursor.Key), BitConverter.ToUInt64(cursor.Value)));
        }

        Assert.Equal(model.Select(kv => (kv.Key, kv.Value)), scanned);
        foreach (var (k, s) in model)
        {
            Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(k), ulong.MaxValue, out var row));
            Assert.Equal(s, BitConverter.ToUInt64(row));
        }
    }

    [Fact]
    public void Sorted_batches_of_two_key_ranges_in_turn_stay_ordered_and_refuse_a_repeated_version()
    {
        // Each batch continues after the previous insert but lands in front of the other range's rows: the
        // insert searches forward from the last node instead of from the head.
        var memtable = new RowMemtable();
        var model = new SortedDictionary<long, ulong>();
        ulong seq = 0;
        for (var batch = 0; batch < 40; batch++)
        {
            var first = (batch / 2 * 500) + (batch % 2 * 1_000_000);
            seq++;
            for (var k = first; k < first + 500; k += 1 + (batch % 3))
            {
                memtable.Put(Key(k), seq, BitConverter.GetBytes(seq));
                model[k] = seq;
            }
        }

        // A second version of some keys, ascending after the last insert of the low range's batch.
        seq++;
        memtable.Put(Key(400), seq, BitConverter.GetBytes(seq));
        model[400] = seq;
        for (var k = 100; k < 200; k++)
        {
            memtable.Put(Key(k), seq, BitConverter.GetBytes(seq));
            model[k] = seq;
        }

        memtable.Put(Key(300), seq, BitConverter.GetBytes(seq));
        model[300] = seq;
        Assert.Throws<InvalidOperationException>(() => memtable.Put(Key(400), seq, "again"u8));

        var scanned = new List<(long, ulong)>();
        var cursor = memtable.ScanFrom(default, ulong.MaxValue);
        while (cursor.MoveNext())
        {
            scanned.Add((Decode(cursor.Key), BitConverter.ToUInt64(cursor.Value)));
        }

        Assert.Equal(model.Select(kv => (kv.Key, kv.Value)), scanned);
        Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(150), seq - 1, out var older));
        Assert.NotEqual(seq, BitConverter.ToUInt64(older));
    }

    [Fact]
    public void A_scan_with_tombstones_reports_them_in_place_of_older_rows()
    {
        var memtable = new RowMemtable();
        memtable.Put(Key(1), 1, "a"u8);
        memtable.Put(Key(2), 2, "b"u8);
        memtable.Delete(Key(2), 3);
        memtable.Put(Key(3), 4, "c"u8);

        var keys = new List<(long Key, bool Tombstone)>();
        var cursor = memtable.ScanFrom(default, ulong.MaxValue, includeTombstones: true);
        while (cursor.MoveNext())
        {
            keys.Add((Decode(cursor.Key), cursor.IsTombstone));
        }

        Assert.Equal([(1L, false), (2L, true), (3L, false)], keys);
    }

    [Fact]
    public void Byte_accounting_turns_full_at_the_budget()
    {
        var memtable = new RowMemtable(budgetBytes: 10_000);
        var row = new byte[100];
        ulong seq = 0;
        while (!memtable.IsFull)
        {
            memtable.Put(Key((long)seq), ++seq, row);
        }

        Assert.InRange(memtable.ApproximateBytes, 10_000, 10_300);
        Assert.InRange((long)seq, 70, 90);
    }

    [Fact]
    public void Rows_too_large_to_share_a_chunk_turn_it_full_before_the_arena_runs_out_of_chunk_references()
    {
        // Each row takes a chunk of its own; the budget alone would let the arena run out of node references.
        var memtable = new RowMemtable(RowMemtable.MaxBudgetBytes);
        var row = new byte[(RowMemtable.ArenaChunkSize / 4) + 1];
        ulong seq = 0;
        while (!memtable.IsFull)
        {
            memtable.Put(Key((long)seq), ++seq, row);
        }

        Assert.True(memtable.ApproximateBytes < memtable.BudgetBytes / 2);
        Assert.False(memtable.IsNearArenaLimit);
        Assert.InRange((long)seq, 400, 600);
    }

    [Fact]
    public void A_budget_past_what_node_references_can_address_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowMemtable(RowMemtable.MaxBudgetBytes + 1));
    }

    [Fact]
    public void A_frozen_memtable_refuses_writes_and_still_serves_reads()
    {
        var memtable = new RowMemtable();
        memtable.Put(Key(1), 1, "a"u8);
        memtable.Freeze();

        Assert.True(memtable.IsFrozen);
        Assert.Throws<InvalidOperationException>(() => memtable.Put(Key(2), 2, "b"u8));
        Assert.Equal("a", Get(memtable, 1, 1));
    }

    [Fact]
    public void The_same_key_and_seq_twice_is_refused()
    {
        var memtable = new RowMemtable();
        memtable.Put(Key(1), 1, "a"u8);

        Assert.Throws<InvalidOperationException>(() => memtable.Put(Key(1), 1, "b"u8));
    }

    [Fact]
    public void Rows_larger_than_a_quarter_chunk_and_many_small_rows_share_the_arena()
    {
        var memtable = new RowMemtable();
        var big = new byte[3 * 1024 * 1024];
        big[^1] = 42;
        memtable.Put(Key(5), 1, big);
        for (var i = 0; i < 30_000; i++)
        {
            memtable.Put(Key(1000 + i), (ulong)i + 2, new byte[40]);
        }

        Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(5), 1, out var row));
        Assert.Equal(big.Length, row.Length);
        Assert.Equal(42, row[^1]);
        Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(1000 + 29_999), ulong.MaxValue, out _));
        Assert.True(memtable.ArenaBytes > 4 * 1024 * 1024);
    }

    [Fact]
    public async Task Readers_running_beside_the_writer_see_whole_entries_in_order()
    {
        var memtable = new RowMemtable();
        const int total = 40_000;
        using var done = new CancellationTokenSource();
        var failures = 0;

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (!done.IsCancellationRequested)
            {
                var k = random.Next(total);
                if (memtable.TryGet(Key(k), ulong.MaxValue, out var row) == MemtableLookup.Found && BinaryPrimitives.ReadInt64LittleEndian(row) != k * 7)
                {
                    Interlocked.Increment(ref failures);
                }

                var cursor = memtable.Scan(Key(k), Key(k + 200), ulong.MaxValue);
                long previous = -1;
                while (cursor.MoveNext())
                {
                    var key = Decode(cursor.Key);
                    if (key <= previous || BinaryPrimitives.ReadInt64LittleEndian(cursor.Value) != key * 7)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    previous = key;
                }
            }
        })).ToArray();

        var value = new byte[8];
        var random = new Random(99);
        var order = Enumerable.Range(0, total).OrderBy(_ => random.Next()).ToArray();
        ulong seq = 0;
        foreach (var k in order)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, k * 7L);
            memtable.Put(Key(k), ++seq, value);
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Equal(0, failures);
        var count = 0;
        var all = memtable.ScanFrom(default, ulong.MaxValue);
        while (all.MoveNext())
        {
            count++;
        }

        Assert.Equal(total, count);
    }

    [Fact]
    public async Task A_key_whose_write_a_reader_saw_complete_is_always_found_while_the_key_filter_is_built_and_grows()
    {
        // The writer publishes how many keys it has put, as a commit publishes its seq; a reader that sees the
        // count must find every key below it: before the filter, while the writer builds it from the nodes so far,
        // and through each growth of it (1,024 slots up to 256k).
        var memtable = new RowMemtable();
        var random = new Random(5);
        var order = Enumerable.Range(0, 100_000).Select(_ => (long)random.Next()).Distinct().ToArray();
        var published = 0;
        using var done = new CancellationTokenSource();
        var misses = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var pick = new Random(r);
            while (!done.IsCancellationRequested)
            {
                var seen = Volatile.Read(ref published);
                if (seen == 0)
                {
                    continue;
                }

                // The newest key is the likeliest to race the filter; an older one checks the build and the copies.
                foreach (var i in new[] { seen - 1, pick.Next(seen) })
                {
                    if (memtable.TryGet(Key(order[i]), ulong.MaxValue, out _) != MemtableLookup.Found || !memtable.MayHold(Key(order[i])))
                    {
                        Interlocked.Increment(ref misses);
                    }
                }
            }
        })).ToArray();

        for (var i = 0; i < order.Length; i++)
        {
            memtable.Put(Key(order[i]), (ulong)i + 1, "v"u8);
            Volatile.Write(ref published, i + 1);
            if (i == 1000)
            {
                // Lookups enough for the writer to build the filter while the readers run.
                for (var j = 0; j < 5000; j++)
                {
                    memtable.TryGet(Key(-j), ulong.MaxValue, out _);
                }
            }
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, misses);

        var written = order.ToHashSet();
        var absent = Enumerable.Range(0, 10_000).Select(_ => (long)random.Next()).Where(k => !written.Contains(k)).ToArray();
        Assert.All(absent, k => Assert.Equal(MemtableLookup.NotFound, memtable.TryGet(Key(k), ulong.MaxValue, out _)));
        Assert.True(absent.Count(k => !memtable.MayHold(Key(k))) > absent.Length * 99 / 100);
    }

    [Fact]
    public void Only_a_memtable_that_serves_point_lookups_builds_a_key_filter_and_its_bytes_count_toward_the_budget()
    {
        var writeOnly = new RowMemtable();
        var looked = new RowMemtable();
        for (var k = 0; k < 10_000; k++)
        {
            writeOnly.Put(Key(k), 1, "v"u8);
            looked.Put(Key(k), 1, "v"u8);
            if (k == 100)
            {
                for (var j = 0; j < 5000; j++)
                {
                    Assert.Equal(MemtableLookup.Found, looked.TryGet(Key(j % 100), ulong.MaxValue, out _));
                }
            }
        }

        // Same keys, same tower heights: the difference is the filter, 32,768 slots for 10,000 keys.
        Assert.Equal(32_768L * sizeof(uint), looked.ApproximateBytes - writeOnly.ApproximateBytes);
        Assert.True(writeOnly.MayHold(Key(-1)));
        Assert.False(looked.MayHold(Key(-1)));
        Assert.True(looked.MayHold(Key(9_999)));
    }

    private static byte[] Key(long k)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, k ^ long.MinValue);
        return key;
    }

    private static long Decode(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key) ^ long.MinValue;

    private static string Get(RowMemtable memtable, long k, ulong snapshot)
    {
        Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(k), snapshot, out var row));
        return System.Text.Encoding.UTF8.GetString(row);
    }
}
