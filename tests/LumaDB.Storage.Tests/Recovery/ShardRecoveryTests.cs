using System.Buffers.Binary;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Recovery;

/// <summary>The WAL and the row memtable together, as a shard's commit and recovery paths use them.</summary>
public sealed class ShardRecoveryTests : IDisposable
{
    private const int RowsPerBatch = 10;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Recovery_rebuilds_the_memtable_from_every_acknowledged_batch_after_a_crash()
    {
        var live = _temp.Combine("live");
        var crashed = _temp.Combine("crashed");
        var options = new WalOptions { Directory = live, SegmentSizeBytes = 1024 };
        var memtable = new RowMemtable();
        var wal = WriteAheadLog.Open(options);
        for (var batch = 0; batch < 40; batch++)
        {
            await Commit(wal, memtable, batch);
        }

        // The copy is what a crash leaves: whatever was written, with no clean close.
        CopyDirectory(live, crashed);
        await wal.DisposeAsync();

        var recovered = new RowMemtable();
        var replayOptions = new WalOptions { Directory = crashed, SegmentSizeBytes = 1024 };
        await using (var reopened = WriteAheadLog.Open(replayOptions, 1, record => Apply(recovered, record)))
        {
            Assert.Equal(41UL, reopened.NextLsn);
        }

        Assert.Equal(memtable.Count, recovered.Count);
        var expected = memtable.ScanFrom(default, ulong.MaxValue);
        var actual = recovered.ScanFrom(default, ulong.MaxValue);
        while (expected.MoveNext())
        {
            Assert.True(actual.MoveNext());
            Assert.True(expected.Key.SequenceEqual(actual.Key));
            Assert.Equal(expected.Seq, actual.Seq);
            Assert.True(expected.Value.SequenceEqual(actual.Value));
        }

        Assert.False(actual.MoveNext());
    }

    [Fact]
    public async Task Recovery_cuts_a_torn_tail_in_the_last_of_several_segments_at_every_offset()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 1024 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            for (var batch = 0; batch < 12; batch++)
            {
                await Commit(wal, new RowMemtable(), batch);
            }
        }

        var last = Directory.GetFiles(_temp.Path, "*.wal").Order(StringComparer.Ordinal).Last();
        var firstInLast = ulong.Parse(Path.GetFileNameWithoutExtension(last), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(firstInLast > 1);
        var original = await File.ReadAllBytesAsync(last);

        // Every offset of the last record, and a spread of offsets through the records before it.
        var lastRecordStart = original.Length - (17 + (RowsPerBatch * 16));
        for (var cut = 0; cut < original.Length; cut += cut < lastRecordStart ? 11 : 1)
        {
            await File.WriteAllBytesAsync(last, original.AsSpan(0, cut).ToArray());
            var recovered = new RowMemtable();
            ulong lastLsn = 0;
            await using (var wal = WriteAheadLog.Open(options, 1, record =>
            {
                Apply(recovered, record);
                lastLsn = record.Lsn;
            }))
            {
                Assert.Equal(lastLsn + 1, wal.NextLsn);
            }

            // Whole batches only: every key of a replayed batch is there, nothing of a cut one.
            Assert.Equal((long)lastLsn * RowsPerBatch, recovered.Count);
            Assert.True(lastLsn >= firstInLast - 1);
        }
    }

    private static async Task Commit(WriteAheadLog wal, RowMemtable memtable, int batch)
    {
        var payload = new byte[RowsPerBatch * 16];
        for (var i = 0; i < RowsPerBatch; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(i * 16), (batch * RowsPerBatch) + i);
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan((i * 16) + 8), batch);
        }

        var lsn = await wal.AppendAsync(1, payload);
        Apply(memtable, new WalRecord(lsn, 1, payload));
    }

    private static void Apply(RowMemtable memtable, WalRecord record)
    {
        for (var offset = 0; offset < record.Payload.Length; offset += 16)
        {
            memtable.Put(record.Payload.Slice(offset, 8), record.Lsn, record.Payload.Slice(offset + 8, 8));
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
