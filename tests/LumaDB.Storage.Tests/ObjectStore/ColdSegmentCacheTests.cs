using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

public sealed class ColdSegmentCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FaultyObjectStore _store;

    public ColdSegmentCacheTests() => _store = new FaultyObjectStore(new LocalFolderObjectStore(_dir.Combine("store")));

    public void Dispose() => _dir.Dispose();

    private async Task PutAsync(string key, int size) => await _store.PutAsync(key, new MemoryStream(new byte[size]));

    [Fact]
    public async Task A_cached_object_is_served_from_disk_without_downloading_again()
    {
        await PutAsync("s/a", 100);
        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1000, _store);

        var first = await cache.GetLocalPathAsync("s/a", 100);
        var second = await cache.GetLocalPathAsync("s/a", 100);

        Assert.Equal(first, second);
        Assert.Equal(100, new FileInfo(first).Length);
        Assert.Equal(1, _store.Gets);
        Assert.Equal((1, 1), (cache.Hits, cache.Misses));
    }

    [Fact]
    public async Task The_least_recently_used_files_go_first_when_the_cache_is_over_its_bytes()
    {
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await PutAsync(key, 400);
        }

        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1000, _store);
        var a = await cache.GetLocalPathAsync("a", 400);
        await cache.GetLocalPathAsync("b", 400);
        await cache.GetLocalPathAsync("a", 400); // a is now more recent than b
        await cache.GetLocalPathAsync("c", 400); // 1200 bytes: b goes

        Assert.True(cache.Contains("a"));
        Assert.False(cache.Contains("b"));
        Assert.True(cache.Contains("c"));
        Assert.Equal(800, cache.SizeBytes);

        await cache.GetLocalPathAsync("d", 400); // a goes
        Assert.False(File.Exists(a));
        Assert.Equal(["c", "d"], new[] { "a", "b", "c", "d" }.Where(cache.Contains));
        Assert.Equal(2, Directory.GetFiles(_dir.Combine("cache")).Length);
    }

    [Fact]
    public async Task A_new_cache_drops_its_old_files_and_nothing_else()
    {
        await PutAsync("x/old", 10);
        var folder = _dir.Combine("cache");
        var first = new ColdSegmentCache(folder, 1000, _store);
        var cached = await first.GetLocalPathAsync("x/old", 10);
        File.WriteAllText(Path.Combine(folder, "keep-me.txt"), "not ours");

        _ = new ColdSegmentCache(folder, 1000, _store);

        Assert.False(File.Exists(cached));
        Assert.True(File.Exists(Path.Combine(folder, "keep-me.txt")));
    }

    [Fact]
    public async Task An_object_of_the_wrong_size_is_refused_and_not_cached()
    {
        await PutAsync("short", 10);
        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1000, _store);

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => cache.GetLocalPathAsync("short", 11));

        Assert.Equal(ObjectStoreErrorKind.Corrupt, error.Kind);
        Assert.Equal(0, cache.Count);
        Assert.Empty(Directory.GetFiles(_dir.Combine("cache")));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_object_share_one_download()
    {
        await PutAsync("shared", 50);
        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1000, _store);
        _store.GetGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 5).Select(_ => cache.GetLocalPathAsync("shared", 50)).ToArray();
        _store.GetGate.SetResult();
        var paths = await Task.WhenAll(requests);

        Assert.Single(paths.Distinct());
        Assert.Equal(1, _store.Gets);
    }

    [Fact]
    public async Task A_failed_download_leaves_nothing_behind_and_the_next_request_tries_again()
    {
        await PutAsync("flaky", 20);
        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1000, _store);
        _store.FailOn.Add(nameof(IObjectStore.GetAsync));

        await Assert.ThrowsAsync<ObjectStoreException>(() => cache.GetLocalPathAsync("flaky", 20));
        Assert.Empty(Directory.GetFiles(_dir.Combine("cache")));

        _store.FailOn.Clear();
        Assert.True(File.Exists(await cache.GetLocalPathAsync("flaky", 20)));
    }
}
