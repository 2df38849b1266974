using LumaDB.Storage.Tests.Support;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Time.Testing;

namespace LumaDB.Storage.Tests.Wal;

public sealed class WalGroupCommitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Concurrent_appenders_share_fsyncs_and_every_acknowledged_record_replays()
    {
        const int writers = 16;
        const int perWriter = 100;
        var fileSystem = new FaultInjectingFileSystem();
        var options = new WalOptions { Directory = _temp.Path, FsyncMode = WalFsyncMode.Always, FileSystem = fileSystem };
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<ulong>();

        await using (var wal = WriteAheadLog.Open(options))
        {
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                start.Wait();
                for (var i = 0; i < perWriter; i++)
                {
                    acknowledged.Add(await wal.AppendAsync(1, WalTestKit.Payload((w * perWriter) + i)));
                }
            })).ToArray();
            start.Set();
            await Task.WhenAll(tasks);

            Assert.Equal(writers * perWriter, wal.AppendCount);
            Assert.Equal(fileSystem.Syncs, wal.SyncCount);

            // Sixteen writers with one append in flight each must have been grouped at least sometimes.
            Assert.True(wal.SyncCount < writers * perWriter, $"{wal.SyncCount} fsyncs for {writers * perWriter} appends");
        }

        var seen = await WalTestKit.ReplayAllAsync(options);
        Assert.Equal(Enumerable.Range(1, writers * perWriter).Select(i => (ulong)i), seen.Select(r => r.Lsn));
        Assert.Equal(acknowledged.Order(), seen.Select(r => r.Lsn));
    }

    [Fact]
    public async Task A_buffer_grown_for_a_large_record_is_given_back_once_batches_are_small_again()
    {
        var options = new WalOptions { Directory = _temp.Path, FsyncMode = WalFsyncMode.Never };
        var large = new byte[8 * 1024 * 1024];
        Random.Shared.NextBytes(large);

        await using (var wal = WriteAheadLog.Open(options))
        {
            await wal.AppendAsync(2, large);
            Assert.True(wal.BufferCapacity >= large.Length, $"capacity {wal.BufferCapacity} after an 8 MiB record");

            for (var i = 1; i <= 100; i++)
            {
                await wal.AppendAsync(1, WalTestKit.Payload(i));
            }

            Assert.True(wal.BufferCapacity <= 1024 * 1024, $"capacity {wal.BufferCapacity} after 100 small batches");

            // A large record after the shrink grows the buffer again.
            await wal.AppendAsync(2, large);
        }

        var seen = await WalTestKit.ReplayAllAsync(options);
        Assert.Equal(102, seen.Count);
        Assert.Equal(large, seen[0].Payload);
        Assert.Equal(large, seen[^1].Payload);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => WalTestKit.Payload(i)), seen.Skip(1).Take(100).Select(r => r.Payload));
    }

    [Fact]
    public async Task Always_mode_syncs_before_acknowledging_a_lone_append()
    {
        var fileSystem = new FaultInjectingFileSystem();
        var options = new WalOptions { Directory = _temp.Path, FsyncMode = WalFsyncMode.Always, FileSystem = fileSystem };
        await using var wal = WriteAheadLog.Open(options);

        await wal.AppendAsync(1, "one"u8.ToArray());

        Assert.Equal(1, fileSystem.Syncs);
    }

    [Fact]
    public async Task Never_mode_does_not_sync_until_an_explicit_flush()
    {
        var fileSystem = new FaultInjectingFileSystem();
        var options = new WalOptions { Directory = _temp.Path, FsyncMode = WalFsyncMode.Never, FileSystem = fileSystem };
        await using var wal = WriteAheadLog.Open(options);

        await WalTestKit.AppendManyAsync(wal, 20);
        Assert.Equal(0, fileSystem.Syncs);
        Assert.Equal(20, fileSystem.Writes);

        await wal.FlushAsync();
        Assert.Equal(1, fileSystem.Syncs);
    }

    [Fact]
    public async Task Interval_mode_acknowledges_before_fsync_and_syncs_when_the_interval_passes()
    {
        var clock = new FakeTimeProvider();
        var fileSystem = new FaultInjectingFileSystem();
        var options = new WalOptions
        {
            Directory = _temp.Path,
            FsyncMode = WalFsyncMode.Interval,
            FsyncInterval = TimeSpan.FromMilliseconds(100),
            TimeProvider = clock,
            FileSystem = fileSystem,
        };
        await using var wal = WriteAheadLog.Open(options);

        await WalTestKit.AppendManyAsync(wal, 5);
        Assert.Equal(0, fileSystem.Syncs);

        // The interval passes: the timer asks the writer for an fsync of what it wrote.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fileSystem.Syncs == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.Equal(1, fileSystem.Syncs);

        // A batch that finds the interval already passed syncs on its own, without waiting for the timer.
        clock.Advance(TimeSpan.FromMilliseconds(150));
        await wal.AppendAsync(1, "late"u8.ToArray());
        Assert.True(fileSystem.Syncs >= 2);
    }
}
