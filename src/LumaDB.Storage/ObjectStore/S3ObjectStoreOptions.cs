namespace LumaDB.Storage.ObjectStore;

/// <summary>Where and how to reach an S3-compatible object store.</summary>
public sealed class S3ObjectStoreOptions
{
    /// <summary>Endpoint URL, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000 for MinIO.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Bucket that holds the objects.</summary>
    public required string Bucket { get; init; }

    /// <summary>Region used to sign requests.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Access key id.</summary>
    public required string AccessKey { get; init; }

    /// <summary>Secret access key.</summary>
    public required string SecretKey { get; init; }

    /// <summary>Attempts per operation, counting the first, before a transient failure is reported.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry; it doubles each time, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
