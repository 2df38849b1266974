using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Wal;

public sealed class WalTrimTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Closing_with_every_record_durable_elsewhere_leaves_one_empty_segment_at_the_next_lsn()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 256 };
        var wal = WriteAheadLog.Open(options);
        await WalTestKit.AppendManyAsync(wal, 60);
        Assert.True(wal.SegmentCount > 1);

        var deleted = await wal.DisposeAndTrimAsync(61);

        Assert.True(deleted > 1);
        var files = Directory.GetFiles(_temp.Path, "*.wal");
        var only = Assert.Single(files);
        Assert.Equal(WriteAheadLog.SegmentFileName(61), Path.GetFileName(only));
        Assert.Equal(0, new FileInfo(only).Length);

        // The next open continues the numbering and appends after it replay.
        await using (var reopened = WriteAheadLog.Open(options, 61, _ => Assert.Fail("nothing to replay")))
        {
            Assert.Equal(61UL, reopened.NextLsn);
            await WalTestKit.AppendManyAsync(reopened, 3, 61);
        }

        var seen = await WalTestKit.ReplayAllAsync(options, from: 1);
        Assert.Equal([61UL, 62UL, 63UL], seen.Select(r => r.Lsn));
    }

    [Fact]
    public async Task Closing_with_records_not_yet_durable_elsewhere_keeps_every_segment()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 256 };
        var wal = WriteAheadLog.Open(options);
        await WalTestKit.AppendManyAsync(wal, 60);
        var segments = wal.SegmentCount;

        var deleted = await wal.DisposeAndTrimAsync(60);

        Assert.Equal(0, deleted);
        Assert.Equal(segments, Directory.GetFiles(_temp.Path, "*.wal").Length);
        var seen = await WalTestKit.ReplayAllAsync(options, from: 1);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), seen.Select(r => r.Lsn));
    }
}
