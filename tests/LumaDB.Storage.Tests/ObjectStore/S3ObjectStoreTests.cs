using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
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
    public async Task A_transient_failure_is_retried_until_the_request_succeeds()
    {
        await _store.PutAsync(Prefix + "flaky", new MemoryStream([1, 2, 3]));
        var options = _server.Options(maxAttempts: 4);
        using var client = new FlakyClient(options, failures: 2, HttpStatusCode.ServiceUnavailable);
        using var store = new S3ObjectStore(options, client);

        var info = await store.GetInfoAsync(Prefix + "flaky");

        Assert.Equal(3, info!.Size);
        Assert.Equal(3, client.Calls);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried()
    {
        var options = _server.Options(maxAttempts: 4);
        using var client = new FlakyClient(options, failures: 1, HttpStatusCode.Forbidden);
        using var store = new S3ObjectStore(options, client);

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetInfoAsync(Prefix + "whatever"));

        Assert.Equal(ObjectStoreErrorKind.Permanent, error.Kind);
        Assert.Equal(1, client.Calls);
    }

    /// <summary>A real client whose first <c>failures</c> metadata requests fail with <c>status</c> before reaching the server.</summary>
    private sealed class FlakyClient(S3ObjectStoreOptions options, int failures, HttpStatusCode status) : AmazonS3Client(
        new BasicAWSCredentials(options.AccessKey, options.SecretKey),
        new AmazonS3Config { ServiceURL = options.Endpoint, ForcePathStyle = true, AuthenticationRegion = options.Region, MaxErrorRetry = 0 })
    {
        private int _calls;

        public int Calls => _calls;

        public override Task<GetObjectMetadataResponse> GetObjectMetadataAsync(GetObjectMetadataRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new AmazonS3Exception("injected failure") { StatusCode = status, ErrorCode = status.ToString() };
            }

            return base.GetObjectMetadataAsync(request, cancellationToken);
        }
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
