using LumaDB.Storage.Tests.Support;
using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Wal;

public sealed class WalRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Records_replay_in_order_with_type_and_payload()
    {
        var options = new WalOptions { Directory = _temp.Path };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 50);
        }

        var seen = await WalTestKit.ReplayAllAsync(options);

        Assert.Equal(50, seen.Count);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal((ulong)(i + 1), seen[i].Lsn);
            Assert.Equal((byte)((i + 1) % 7), seen[i].Type);
            Assert.Equal(WalTestKit.Payload(i + 1), seen[i].Payload);
        }
    }

    [Fact]
    public async Task Recovery_cuts_a_torn_last_record_at_every_byte_offset()
    {
        var (segmentPath, lastStart, fullLength) = await WriteFiveRecordsAsync();
        var original = await File.ReadAllBytesAsync(segmentPath);

        for (var cut = lastStart; cut < fullLength; cut++)
        {
            await File.WriteAllBytesAsync(segmentPath, original.AsSpan(0, (int)cut).ToArray());
            var logger = new CapturingLogger();
            var options = new WalOptions { Directory = _temp.Path };

            var seen = WalTestKit.OpenAndReplay(options, 1, logger, out var wal);
            await using (wal)
            {
                Assert.Equal(4, seen.Count);
                Assert.Equal(5UL, wal.NextLsn);
                Assert.Equal(cut == lastStart ? 0 : 1, logger.Warnings);
                Assert.Equal(lastStart, new FileInfo(segmentPath).Length);

                // The log keeps working after the cut: the next record takes the cut record's LSN.
                Assert.Equal(5UL, await wal.AppendAsync(9, "after-cut"u8.ToArray()));
            }

            var again = await WalTestKit.ReplayAllAsync(options);
            Assert.Equal(5, again.Count);
            Assert.Equal("after-cut"u8.ToArray(), again[4].Payload);
        }
    }

    [Fact]
    public async Task Recovery_cuts_a_last_record_with_any_flipped_byte()
    {
        var (segmentPath, lastStart, fullLength) = await WriteFiveRecordsAsync();
        var original = await File.ReadAllBytesAsync(segmentPath);

        for (var at = lastStart; at < fullLength; at++)
        {
            var damaged = original.ToArray();
            damaged[at] ^= 0x40;
            await File.WriteAllBytesAsync(segmentPath, damaged);
            var logger = new CapturingLogger();
            var options = new WalOptions { Directory = _temp.Path };

            var seen = await WalTestKit.ReplayAllAsync(options, logger);

            Assert.Equal(4, seen.Count);
            Assert.Equal(1, logger.Warnings);
            Assert.Equal(lastStart, new FileInfo(segmentPath).Length);
        }
    }

    [Fact]
    public async Task Recovering_twice_in_a_row_gives_the_same_records_and_warns_once()
    {
        var (segmentPath, lastStart, fullLength) = await WriteFiveRecordsAsync();
        using (var stream = new FileStream(segmentPath, FileMode.Open))
        {
            stream.SetLength(lastStart + ((fullLength - lastStart) / 2));
        }

        var options = new WalOptions { Directory = _temp.Path };
        var firstLogger = new CapturingLogger();
        var secondLogger = new CapturingLogger();

        var first = await WalTestKit.ReplayAllAsync(options, firstLogger);
        var second = await WalTestKit.ReplayAllAsync(options, secondLogger);

        Assert.Equal(4, first.Count);
        Assert.Equal(first.Select(r => r.Lsn), second.Select(r => r.Lsn));
        Assert.Equal(1, firstLogger.Warnings);
        Assert.Equal(0, secondLogger.Warnings);
    }

    [Fact]
    public async Task Garbage_after_the_last_record_is_cut_without_losing_records()
    {
        var (segmentPath, _, fullLength) = await WriteFiveRecordsAsync();
        await using (var stream = new FileStream(segmentPath, FileMode.Append))
        {
            // Zeros are what a crash after the file grew but before its data blocks were written leaves behind.
            await stream.WriteAsync(new byte[100]);
        }

        var logger = new CapturingLogger();
        var seen = await WalTestKit.ReplayAllAsync(new WalOptions { Directory = _temp.Path }, logger);

        Assert.Equal(5, seen.Count);
        Assert.Equal(1, logger.Warnings);
        Assert.Equal(fullLength, new FileInfo(segmentPath).Length);
    }

    [Fact]
    public async Task A_length_field_beyond_the_record_limit_is_treated_as_a_torn_tail()
    {
        var (segmentPath, lastStart, _) = await WriteFiveRecordsAsync();
        var bytes = await File.ReadAllBytesAsync(segmentPath);
        bytes[lastStart + 3] = 0x7F;
        await File.WriteAllBytesAsync(segmentPath, bytes);

        var seen = await WalTestKit.ReplayAllAsync(new WalOptions { Directory = _temp.Path, MaxRecordBytes = 1024 });

        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public async Task Replay_from_a_middle_lsn_visits_only_later_records()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 200 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 40);
        }

        var seen = await WalTestKit.ReplayAllAsync(options, from: 23);

        Assert.Equal(Enumerable.Range(23, 18).Select(i => (ulong)i), seen.Select(r => r.Lsn));
        Assert.Equal(WalTestKit.Payload(23), seen[0].Payload);
    }

    [Fact]
    public async Task Corruption_inside_an_older_segment_is_a_located_error()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 200 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 30);
        }

        var first = Directory.GetFiles(_temp.Path, "*.wal").Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(first);
        var recordSize = 17 + WalTestKit.Payload(1).Length;
        bytes[recordSize + 20] ^= 0x01;
        await File.WriteAllBytesAsync(first, bytes);

        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(options, 1, _ => { }));

        Assert.Equal(first, error.FilePath);
        Assert.Equal(recordSize, error.Offset);
        Assert.Equal(bytes.Length, new FileInfo(first).Length);
    }

    [Fact]
    public async Task A_missing_segment_in_the_middle_is_a_located_error()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 200 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 30);
        }

        var files = Directory.GetFiles(_temp.Path, "*.wal").Order(StringComparer.Ordinal).ToList();
        File.Delete(files[1]);

        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(options, 1, _ => { }));

        Assert.Equal(files[2], error.FilePath);
    }

    private async Task<(string Path, long LastStart, long FullLength)> WriteFiveRecordsAsync()
    {
        var options = new WalOptions { Directory = _temp.Path };
        long lastStart;
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 4);
            lastStart = new FileInfo(_temp.Combine(WriteAheadLog.SegmentFileName(1))).Length;
            await wal.AppendAsync(3, WalTestKit.Payload(40));
        }

        var path = _temp.Combine(WriteAheadLog.SegmentFileName(1));
        return (path, lastStart, new FileInfo(path).Length);
    }
}
