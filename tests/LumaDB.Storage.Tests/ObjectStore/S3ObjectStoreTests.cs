using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

[Collection(S3rverCollection.Name)]
public sealed class S3ObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly S3rverFixture _server;
    private readonly S3ObjectStore _store;

    public S3ObjectStoreTests(S3rverFixture server)
    {
        _server = server;
        _store = new S3ObjectStore(server.Options());
    }

    protected override IObjectStore Store => _store;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task An_upload_is_stored_without_chunk_framing()
    {
        var data = RandomBytes(70_000, 9);
        await _store.PutAsync(Prefix + "plain", new MemoryStream(data));

        Assert.Equal(data.Length, (await _store.GetInfoAsync(Prefix + "plain"))!.Size);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_then_reported_as_transient()
    {
        var options = _server.Options(maxAttempts: 3);
        using var dead = new S3ObjectStore(new S3ObjectStoreOptions
        {
            Endpoint = "http://127.0.0.1:9", // discard port: connection refused
            Bucket = options.Bucket,
            AccessKey = options.AccessKey,
            SecretKey = options.SecretKey,
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        });

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => dead.PutAsync("k", new MemoryStream([1])));

        Assert.Equal(ObjectStoreErrorKind.Transient, error.Kind);
        Assert.Contains("attempt 3 of 3", error.Message);
    }

    [Fact]
    public async Task A_missing_bucket_is_a_permanent_error()
    {
        var options = _server.Options();
        using var store = new S3ObjectStore(new S3ObjectStoreOptions
        {
            Endpoint = options.Endpoint,
            Bucket = "no-such-bucket",
            AccessKey = options.AccessKey,
            SecretKey = options.SecretKey,
        });

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetAsync("k", new MemoryStream()));

        Assert.Equal(ObjectStoreErrorKind.Permanent, error.Kind);
    }
}
