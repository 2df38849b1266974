using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

/// <summary>Behaviour every <see cref="IObjectStore"/> must share; each implementation's test class inherits it.</summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    /// <summary>A key prefix unique to one test, so tests sharing a bucket do not see each other's objects.</summary>
    protected string Prefix { get; } = "t-" + Guid.NewGuid().ToString("N")[..12] + "/";

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_put_object_reads_back_byte_for_byte()
    {
        var data = RandomBytes(300_000, 1);
        await Store.PutAsync(Prefix + "a/b.bin", new MemoryStream(data));

        var read = new MemoryStream();
        await Store.GetAsync(Prefix + "a/b.bin", read);

        Assert.Equal(data, read.ToArray());
    }

    [Fact]
    public async Task An_empty_object_is_an_object()
    {
        await Store.PutAsync(Prefix + "empty", new MemoryStream());

        Assert.Equal(0, (await Store.GetInfoAsync(Prefix + "empty"))!.Size);
        var read = new MemoryStream();
        await Store.GetAsync(Prefix + "empty", read);
        Assert.Equal(0, read.Length);
    }

    [Fact]
    public async Task A_file_put_reads_back_and_a_second_put_replaces_it()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, RandomBytes(5000, 2));
            await Store.PutFileAsync(Prefix + "file", path);
            await Store.PutAsync(Prefix + "file", new MemoryStream(RandomBytes(10, 3)));

            var read = new MemoryStream();
            await Store.GetAsync(Prefix + "file", read);
            Assert.Equal(RandomBytes(10, 3), read.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_range_get_returns_exactly_the_range_and_stops_at_the_end()
    {
        var data = RandomBytes(10_000, 4);
        await Store.PutAsync(Prefix + "range", new MemoryStream(data));

        var middle = new MemoryStream();
        await Store.GetRangeAsync(Prefix + "range", 1234, 4321, middle);
        var tail = new MemoryStream();
        await Store.GetRangeAsync(Prefix + "range", 9990, 100, tail);

        Assert.Equal(data[1234..5555], middle.ToArray());
        Assert.Equal(data[9990..], tail.ToArray());
    }

    [Fact]
    public async Task Reading_a_missing_object_is_a_not_found_error()
    {
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => Store.GetAsync(Prefix + "missing", new MemoryStream()));

        Assert.Equal(ObjectStoreErrorKind.NotFound, error.Kind);
        Assert.Equal(Prefix + "missing", error.Key);
        Assert.Null(await Store.GetInfoAsync(Prefix + "missing"));
        Assert.False(await Store.ExistsAsync(Prefix + "missing"));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_deleting_again_is_harmless()
    {
        await Store.PutAsync(Prefix + "gone", new MemoryStream([1, 2, 3]));
        Assert.True(await Store.ExistsAsync(Prefix + "gone"));

        await Store.DeleteAsync(Prefix + "gone");
        await Store.DeleteAsync(Prefix + "gone");

        Assert.False(await Store.ExistsAsync(Prefix + "gone"));
    }

    [Fact]
    public async Task Listing_returns_the_objects_under_a_prefix_in_key_order_with_sizes()
    {
        await Store.PutAsync(Prefix + "seg/b", new MemoryStream(new byte[2]));
        await Store.PutAsync(Prefix + "seg/a", new MemoryStream(new byte[1]));
        await Store.PutAsync(Prefix + "seg/c/d", new MemoryStream(new byte[3]));
        await Store.PutAsync(Prefix + "other", new MemoryStream(new byte[4]));

        var listed = new List<ObjectInfo>();
        await foreach (var info in Store.ListAsync(Prefix + "seg/"))
        {
            listed.Add(info);
        }

        Assert.Equal(
            [new ObjectInfo(Prefix + "seg/a", 1), new ObjectInfo(Prefix + "seg/b", 2), new ObjectInfo(Prefix + "seg/c/d", 3)],
            listed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a/../../escape")]
    [InlineData("a//b")]
    public async Task A_key_that_could_escape_or_is_malformed_is_refused(string key)
    {
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => Store.PutAsync(key, new MemoryStream([1])));
        Assert.Equal(ObjectStoreErrorKind.Permanent, error.Kind);
    }
}
