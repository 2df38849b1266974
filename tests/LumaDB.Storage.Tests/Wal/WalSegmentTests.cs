using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Wal;

public sealed class WalSegmentTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Segments_roll_at_the_size_limit_and_are_named_by_their_first_lsn()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 256 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 60);
            Assert.True(wal.SegmentCount > 5);
        }

        var files = Directory.GetFiles(_temp.Path, "*.wal").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(WriteAheadLog.SegmentFileName(1), files[0]);
        Assert.All(files, name => Assert.Matches("^[0-9]{20}\\.wal$", name));
        Assert.All(Directory.GetFiles(_temp.Path, "*.wal"), path => Assert.True(new FileInfo(path).Length <= 256));

        // Each name is the LSN of the segment's first record.
        var seen = new List<ulong>();
        await using (var wal = WriteAheadLog.Open(options, 1, r => seen.Add(r.Lsn)))
        {
            Assert.Equal(61UL, wal.NextLsn);
        }

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), seen);
        var firsts = files.Select(f => ulong.Parse(f![..20], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(firsts, lsn => Assert.Contains(lsn, seen));
    }

    [Fact]
    public async Task A_record_larger_than_a_segment_gets_a_segment_of_its_own()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 64 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await wal.AppendAsync(1, new byte[10]);
            await wal.AppendAsync(1, new byte[500]);
            await wal.AppendAsync(1, new byte[10]);
        }

        var seen = await WalTestKit.ReplayAllAsync(options);
        Assert.Equal([10, 500, 10], seen.Select(r => r.Payload.Length));
        Assert.Equal(3, Directory.GetFiles(_temp.Path, "*.wal").Length);
    }

    [Fact]
    public async Task TruncateBefore_deletes_only_segments_wholly_below_the_lsn()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 256 };
        await using (var wal = WriteAheadLog.Open(options))
        {
            await WalTestKit.AppendManyAsync(wal, 60);
            var before = wal.SegmentCount;

            var deleted = wal.TruncateBefore(30);

            Assert.True(deleted > 0);
            Assert.Equal(before - deleted, wal.SegmentCount);
            await WalTestKit.AppendManyAsync(wal, 5, 61);
        }

        var firsts = Directory.GetFiles(_temp.Path, "*.wal")
            .Select(f => ulong.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        Assert.True(firsts[0] <= 30, "the segment holding LSN 30 must survive");
        Assert.True(firsts[1] > 30, "every segment wholly below 30 must be gone");

        var seen = await WalTestKit.ReplayAllAsync(options, from: 30);
        Assert.Equal(Enumerable.Range(30, 36).Select(i => (ulong)i), seen.Select(r => r.Lsn));
    }

    [Fact]
    public async Task TruncateBefore_never_deletes_the_active_segment()
    {
        var options = new WalOptions { Directory = _temp.Path, SegmentSizeBytes = 256 };
        await using var wal = WriteAheadLog.Open(options);
        await WalTestKit.AppendManyAsync(wal, 30);

        wal.TruncateBefore(ulong.MaxValue);

        Assert.Equal(1, wal.SegmentCount);
        Assert.Equal(31UL, await wal.AppendAsync(1, "still-writing"u8.ToArray()));
    }
}
