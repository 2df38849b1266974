using LumaDB.Storage.Tests.Support;
using LumaDB.Storage.Wal;

namespace LumaDB.Storage.Tests.Wal;

public sealed class WalFaultTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_full_disk_fails_the_pending_appends_and_never_acknowledges_them()
    {
        var fileSystem = new FaultInjectingFileSystem();
        var options = new WalOptions { Directory = _temp.Path, FileSystem = fileSystem };
        var wal = WriteAheadLog.Open(options);
        await WalTestKit.AppendManyAsync(wal, 10);

        // Room for half of the next record: the write is torn, as on a real full disk.
        fileSystem.DiskSpaceBytes = fileSystem.WrittenBytes + 10;
        await Assert.ThrowsAsync<IOException>(async () => await wal.AppendAsync(1, WalTestKit.Payload(11)));

        // Once a write failed the log accepts nothing more: the file may end in a partial record.
        await Assert.ThrowsAsync<IOException>(async () => await wal.AppendAsync(1, WalTestKit.Payload(12)));
        await wal.DisposeAsync();

        var logger = new CapturingLogger();
        var seen = await WalTestKit.ReplayAllAsync(new WalOptions { Directory = _temp.Path }, logger);
        Assert.Equal(10, seen.Count);
        Assert.Equal(1, logger.Warnings);
    }

    [Fact]
    public async Task A_failed_fsync_fails_every_append_of_the_group()
    {
        var fileSystem = new FaultInjectingFileSystem { FailSync = true };
        var options = new WalOptions { Directory = _temp.Path, FileSystem = fileSystem };
        await using var wal = WriteAheadLog.Open(options);

        // An append queued before the failure fails when the group does; one made after it is refused at once.
        var appends = Enumerable.Range(0, 20).Select(async i => await wal.AppendAsync(1, WalTestKit.Payload(i))).ToArray();
        foreach (var append in appends)
        {
            await Assert.ThrowsAsync<IOException>(() => append);
        }

        Assert.Equal(0, wal.AppendCount);
    }

    [Fact]
    public async Task Appends_after_dispose_are_refused()
    {
        var wal = WriteAheadLog.Open(new WalOptions { Directory = _temp.Path });
        await wal.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await wal.AppendAsync(1, "late"u8.ToArray()));
    }
}
