using System.Buffers;
using System.Diagnostics;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Wal;

namespace LumaDB.Benchmarks.Storage;

/// <summary>
/// Stages of the narrow-row write path timed one at a time on one thread (best of three runs, in process CPU
/// time, which a busy machine inflates far less than elapsed time), so a change to one stage shows up even
/// where the end-to-end figures swing.
/// </summary>
internal sealed class StageRunner
{
    private const int Rows = 1_000_000;
    private const int BatchRows = 10_000;

    private static TableLayout Narrow => ShardLoadRunner.Narrow;

    public async Task RunAsync()
    {
        Console.WriteLine($"Write-path stages, {Rows:N0} narrow rows, best of 3 (process CPU ns/row):");
        Console.WriteLine();
        Console.WriteLine("| stage | ns/row |");
        Console.WriteLine("| --- | ---: |");
        var builder = new RowBuilder(Narrow);
        var row = new ArrayBufferWriter<byte>(64);
        var batch = new WriteBatch();
        Report("RowBuilder + WriteBatch.Put (row encode, key derive)", Best(() =>
        {
            for (var first = 0L; first < Rows; first += BatchRows)
            {
                ShardLoadRunner.FillBatch(batch, builder, row, first, BatchRows);
            }
        }));

        // Keys and rows laid out once in two flat arrays (no object per row for the GC to trace), for the
        // stages that only consume them. Every narrow row and key has the same size.
        var keyWriter = new ArrayBufferWriter<byte>(32);
        builder.Reset();
        builder.SetInt64(0, 0).SetTimestamp(1, 0).SetFloat64(2, 0);
        row.ResetWrittenCount();
        var rowSize = builder.Encode(row);
        Narrow.Codec.WriteKey(row.WrittenSpan, keyWriter);
        var keySize = keyWriter.WrittenCount;
        var keys = new byte[Rows * keySize];
        var rows = new byte[Rows * rowSize];
        for (var i = 0; i < Rows; i++)
        {
            builder.Reset();
            builder.SetInt64(0, i).SetTimestamp(1, 1_700_000_000_000_000 + i).SetFloat64(2, i * 0.5);
            row.ResetWrittenCount();
            builder.Encode(row);
            row.WrittenSpan.CopyTo(rows.AsSpan(i * rowSize));
            keyWriter.ResetWrittenCount();
            Narrow.Codec.WriteKey(row.WrittenSpan, keyWriter);
            keyWriter.WrittenSpan.CopyTo(keys.AsSpan(i * keySize));
        }

        Report("RowCodec.WriteKey", Best(() =>
        {
            for (var i = 0; i < Rows; i++)
            {
                keyWriter.ResetWrittenCount();
                Narrow.Codec.WriteKey(rows.AsSpan(i * rowSize, rowSize), keyWriter);
            }
        }));

        Report("RowMemtable.Put (ascending keys)", Best(() =>
        {
            var memtable = new RowMemtable(1L << 30);
            for (var i = 0; i < Rows; i++)
            {
                memtable.Put(keys.AsSpan(i * keySize, keySize), (ulong)(i / BatchRows) + 1, rows.AsSpan(i * rowSize, rowSize));
            }
        }));

        // The same inserts into chunks a dropped memtable handed back: what a shard's later memtables pay once
        // its pool holds the chunks of the flushed ones (first writes to fresh pages fault, which the run above pays).
        var pool = new MemtableArenaPool(1L << 30);
        var recycled = TimeSpan.MaxValue;
        for (var run = 0; run < 4; run++)
        {
            // Chunks go back once the memtable is unreachable; a full collection makes that happen before the next run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var start = Cpu();
            PutAll(pool, keys, keySize, rows, rowSize);
            var elapsed = Cpu() - start;
            recycled = run > 0 && elapsed < recycled ? elapsed : recycled;
        }

        Report($"RowMemtable.Put (ascending keys), arena recycled from a pool ({pool.ReusedChunks} chunks reused)", recycled);

        // Two committers with disjoint key ranges: 10k-row sorted batches of the low and the high half in turn,
        // so every batch lands in front of (or after) the other committer's rows.
        var interleaved = TimeSpan.MaxValue;
        for (var run = 0; run < 4; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var start = Cpu();
            var memtable = new RowMemtable(1L << 30, pool);
            ulong seq = 0;
            for (var b = 0; b < Rows / BatchRows; b++)
            {
                var first = (b / 2 * BatchRows) + (b % 2 * (Rows / 2));
                seq++;
                for (var i = first; i < first + BatchRows; i++)
                {
                    memtable.Put(keys.AsSpan(i * keySize, keySize), seq, rows.AsSpan(i * rowSize, rowSize));
                }
            }

            var elapsed = Cpu() - start;
            interleaved = run > 0 && elapsed < interleaved ? elapsed : interleaved;
        }

        Report("RowMemtable.Put, sorted batches of two key ranges in turn, recycled arena", interleaved);

        await ReportAsync("Shard.CommitAsync, fsync=never, no flush (10k-row batches, prebuilt)", async () =>
        {
            var directory = ShardLoadRunner.NewDirectory();
            try
            {
                await using var shard = await Shard.OpenAsync(new ShardOptions
                {
                    Directory = directory,
                    Tables = [Narrow],
                    FsyncMode = WalFsyncMode.Never,
                    MemtableBudgetBytes = 1L << 30,
                });
                var batches = new WriteBatch[Rows / BatchRows];
                for (var b = 0; b < batches.Length; b++)
                {
                    batches[b] = new WriteBatch();
                    for (var i = b * BatchRows; i < (b + 1) * BatchRows; i++)
                    {
                        batches[b].Put(Narrow, rows.AsSpan(i * rowSize, rowSize));
                    }
                }

                var start = Cpu();
                foreach (var prebuilt in batches)
                {
                    await shard.CommitAsync(prebuilt);
                }

                var committed = Cpu();
                await shard.FlushAsync();
                return (committed - start, Cpu() - committed);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        });
    }

    private static void PutAll(MemtableArenaPool pool, byte[] keys, int keySize, byte[] rows, int rowSize)
    {
        var memtable = new RowMemtable(1L << 30, pool);
        for (var i = 0; i < Rows; i++)
        {
            memtable.Put(keys.AsSpan(i * keySize, keySize), (ulong)(i / BatchRows) + 1, rows.AsSpan(i * rowSize, rowSize));
        }
    }

    private static TimeSpan Best(Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var start = Cpu();
            action();
            var elapsed = Cpu() - start;
            best = elapsed < best ? elapsed : best;
        }

        return best;
    }

    private static async Task ReportAsync(string name, Func<Task<(TimeSpan Commit, TimeSpan Flush)>> run)
    {
        var bestCommit = TimeSpan.MaxValue;
        var bestFlush = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var (commit, flush) = await run();
            bestCommit = commit < bestCommit ? commit : bestCommit;
            bestFlush = flush < bestFlush ? flush : bestFlush;
        }

        Report(name, bestCommit);
        Report("Shard.FlushAsync of those rows (segment write)", bestFlush);
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static void Report(string name, TimeSpan elapsed) =>
        Console.WriteLine($"| {name} | {elapsed.TotalNanoseconds / Rows:0} |");
}
