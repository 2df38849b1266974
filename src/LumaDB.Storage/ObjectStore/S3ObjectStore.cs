using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace LumaDB.Storage.ObjectStore;

/// <summary>
/// The cold tier on an S3-compatible service (AWS S3, MinIO, Ceph...). Path-style addressing so any endpoint
/// works without bucket DNS names; puts send a plain body with a content length (no aws-chunked framing,
/// which some S3 implementations store verbatim). Transient failures are retried here with exponential
/// backoff and jitter, and the SDK's own retries are off so the two do not multiply.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3ObjectStoreOptions _options;

    /// <summary>Creates a store for one bucket.</summary>
    public S3ObjectStore(S3ObjectStoreOptions options)
        : this(options, CreateClient(options))
    {
    }

    /// <summary>Creates a store over a given client (tests inject failures through a subclass).</summary>
    internal S3ObjectStore(S3ObjectStoreOptions options, AmazonS3Client client)
    {
        _options = options;
        _client = client;
    }

    /// <summary>A client configured from <paramref name="options"/>.</summary>
    internal static AmazonS3Client CreateClient(S3ObjectStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
        };
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>Creates the bucket unless it exists (for development and tests; production buckets are provisioned).</summary>
    public Task CreateBucketIfMissingAsync(CancellationToken cancellationToken = default) =>
        RetryAsync(null, async token =>
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, token);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
            }

            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var start = content.CanSeek ? content.Position : -1;
        return RetryAsync(key, async token =>
        {
            if (start >= 0)
            {
                content.Position = start;
            }

            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                InputStream = content,
                AutoCloseStream = false,
                UseChunkEncoding = false,
            };
            await _client.PutObjectAsync(request, token);
            return true;
        }, cancellationToken, retryable: start >= 0);
    }

    /// <inheritdoc/>
    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        if (!File.Exists(path))
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Permanent, key, $"Cannot store '{key}': no file '{path}'.");
        }

        return RetryAsync(key, async token =>
        {
            var request = new PutObjectRequest { BucketName = _options.Bucket, Key = key, FilePath = path, UseChunkEncoding = false };
            await _client.PutObjectAsync(request, token);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task GetAsync(string key, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadAsync(key, new GetObjectRequest { BucketName = _options.Bucket, Key = key }, destination, cancellationToken);

    /// <inheritdoc/>
    public Task GetRangeAsync(string key, long offset, long length, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            return Task.CompletedTask;
        }

        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = key, ByteRange = new ByteRange(offset, offset + length - 1) };
        return DownloadAsync(key, request, destination, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return RetryAsync(key, async token =>
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = key }, token);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix, ContinuationToken = continuation };
            var page = await RetryAsync(prefix, token => _client.ListObjectsV2Async(request, token), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new ObjectInfo(item.Key, item.Size ?? 0);
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <inheritdoc/>
    public async Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        try
        {
            var metadata = await RetryAsync(key, token =>
                _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, token), cancellationToken);
            return new ObjectInfo(key, metadata.ContentLength);
        }
        catch (ObjectStoreException e) when (e.Kind == ObjectStoreErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private async Task DownloadAsync(string key, GetObjectRequest request, Stream destination, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        var start = destination.CanSeek ? destination.Position : -1;
        await RetryAsync(key, async token =>
        {
            if (start >= 0)
            {
                // A retry after a partial body starts the copy over rather than appending to it.
                destination.SetLength(start);
                destination.Position = start;
            }

            using var response = await _client.GetObjectAsync(request, token);
            await response.ResponseStream.CopyToAsync(destination, token);
            return true;
        }, cancellationToken, retryable: start >= 0);
    }

    private async Task<T> RetryAsync<T>(string? key, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken, bool retryable = true)
    {
        var attempts = retryable ? Math.Max(1, _options.MaxAttempts) : 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var kind = Classify(e);
                if (kind != ObjectStoreErrorKind.Transient || attempt >= attempts)
                {
                    throw new ObjectStoreException(kind, key, $"S3 {_options.Bucket}/{key}: {Describe(e)} (attempt {attempt} of {attempts}).", e);
                }
            }

            var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
            var jitter = 0.5 + (Random.Shared.NextDouble() / 2);
            await Task.Delay(backoff * jitter, cancellationToken);
        }
    }

    private static ObjectStoreErrorKind Classify(Exception e) => e switch
    {
        ObjectStoreException store => store.Kind,
        AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s3 when s3.ErrorCode is not "NoSuchBucket" => ObjectStoreErrorKind.NotFound,
        AmazonServiceException { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => ObjectStoreErrorKind.Transient,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable" } => ObjectStoreErrorKind.Transient,
        AmazonServiceException service when (int)service.StatusCode >= 500 => ObjectStoreErrorKind.Transient,
        AmazonServiceException { StatusCode: 0 } => ObjectStoreErrorKind.Transient,
        AmazonServiceException => ObjectStoreErrorKind.Permanent,
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => ObjectStoreErrorKind.Transient,
        AmazonClientException => ObjectStoreErrorKind.Transient,
        _ => ObjectStoreErrorKind.Permanent,
    };

    private static string Describe(Exception e) => e is AmazonServiceException service
        ? $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}"
        : $"{e.GetType().Name}: {e.Message}";
}
