using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Tests.Memtables;

public sealed class MemtableArenaPoolTests
{
    private const int Rows = 60_000;

    [Fact]
    public void A_dropped_memtable_hands_its_chunks_back_and_its_successor_sees_none_of_its_rows()
    {
        var pool = new MemtableArenaPool(64L * 1024 * 1024);
        FillAndDrop(pool, multiplier: 7, step: 1);
        CollectFully();
        Assert.True(pool.RetainedBytes >= 2 * RowMemtable.ArenaChunkSize, $"retained {pool.RetainedBytes}");

        // The successor writes every other key with other values into the recycled chunks.
        var successor = new RowMemtable(RowMemtable.MaxBudgetBytes, pool);
        var value = new byte[16];
        for (var k = 0; k < Rows; k += 2)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, k * 13L);
            successor.Put(Key(k), 5, value);
        }

        Assert.True(pool.ReusedChunks >= 2, $"reused {pool.ReusedChunks}");
        var seen = 0;
        var cursor = successor.ScanFrom(default, ulong.MaxValue, includeTombstones: true);
        while (cursor.MoveNext())
        {
            var k = Decode(cursor.Key);
            Assert.Equal(0, k % 2);
            Assert.Equal(5UL, cursor.Seq);
            Assert.Equal(k * 13L, BinaryPrimitives.ReadInt64LittleEndian(cursor.Value));
            seen++;
        }

        Assert.Equal(Rows / 2, seen);
        for (var k = 1; k < Rows; k += 2)
        {
            Assert.Equal(MemtableLookup.NotFound, successor.TryGet(Key(k), ulong.MaxValue, out _));
        }
    }

    [Fact]
    public void A_memtable_a_reader_still_holds_keeps_its_chunks_while_new_memtables_fill()
    {
        var pool = new MemtableArenaPool(64L * 1024 * 1024);
        var cursor = FillAndKeepCursor(pool);
        var read = 0;
        while (read < Rows / 2 && cursor.MoveNext())
        {
            Assert.Equal(Decode(cursor.Key) * 7, BinaryPrimitives.ReadInt64LittleEndian(cursor.Value));
            read++;
        }

        CollectFully();
        Assert.Equal(0, pool.RetainedBytes);

        // Had the chunks gone back, this would overwrite the rows the cursor is about to read.
        FillAndDrop(pool, multiplier: 13, step: 1);
        while (cursor.MoveNext())
        {
            Assert.Equal(Decode(cursor.Key) * 7, BinaryPrimitives.ReadInt64LittleEndian(cursor.Value));
            read++;
        }

        Assert.Equal(Rows, read);
        Assert.Equal(0, pool.ReusedChunks);
    }

    [Fact]
    public void A_closed_pool_keeps_nothing_and_stays_usable()
    {
        var pool = new MemtableArenaPool(64L * 1024 * 1024);
        FillAndDrop(pool, multiplier: 7, step: 1);
        CollectFully();
        Assert.True(pool.RetainedBytes > 0);

        pool.Close();
        Assert.Equal(0, pool.RetainedBytes);
        FillAndDrop(pool, multiplier: 7, step: 1);
        CollectFully();
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void The_pool_keeps_no_more_than_its_limit()
    {
        var pool = new MemtableArenaPool(2L * RowMemtable.ArenaChunkSize);
        FillAndDrop(pool, multiplier: 7, step: 1);
        CollectFully();

        Assert.Equal(2L * RowMemtable.ArenaChunkSize, pool.RetainedBytes);
    }

    [Fact]
    public async Task A_warming_pool_faults_in_chunks_ahead_of_a_growing_memtable_and_they_hold_its_rows()
    {
        var pool = new MemtableArenaPool(64L * 1024 * 1024, warmAhead: true);
        var memtable = new RowMemtable(RowMemtable.MaxBudgetBytes, pool);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pool.RetainedBytes < 4L * RowMemtable.ArenaChunkSize && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(4L * RowMemtable.ArenaChunkSize, pool.RetainedBytes);
        var value = new byte[16];
        for (var k = 0; k < Rows; k++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, k * 7L);
            memtable.Put(Key(k), 1, value);
        }

        Assert.True(pool.WarmedChunks >= 1, $"warmed {pool.WarmedChunks}");
        for (var k = 0; k < Rows; k++)
        {
            Assert.Equal(MemtableLookup.Found, memtable.TryGet(Key(k), 1, out var row));
            Assert.Equal(k * 7L, BinaryPrimitives.ReadInt64LittleEndian(row));
        }

        pool.Close();
        Assert.Equal(0, pool.RetainedBytes);
    }

    private static void CollectFully()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Fills a pooled memtable and lets go of it (in its own frame, so nothing on the test's stack holds it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FillAndDrop(MemtableArenaPool pool, long multiplier, int step)
    {
        var memtable = new RowMemtable(RowMemtable.MaxBudgetBytes, pool);
        var value = new byte[16];
        for (var k = 0; k < Rows; k += step)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, k * multiplier);
            memtable.Put(Key(k), 1, value);
        }

        Assert.True(memtable.ArenaBytes >= 2 * RowMemtable.ArenaChunkSize);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RowMemtableCursor FillAndKeepCursor(MemtableArenaPool pool)
    {
        var memtable = new RowMemtable(RowMemtable.MaxBudgetBytes, pool);
        var value = new byte[16];
        for (var k = 0; k < Rows; k++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, k * 7L);
            memtable.Put(Key(k), 1, value);
        }

        return memtable.ScanFrom(default, ulong.MaxValue);
    }

    private static byte[] Key(long k)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, k ^ long.MinValue);
        return key;
    }

    private static long Decode(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key) ^ long.MinValue;
}
