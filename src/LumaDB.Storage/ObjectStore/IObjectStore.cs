namespace LumaDB.Storage.ObjectStore;

/// <summary>
/// The cold tier: a flat namespace of immutable objects addressed by '/'-separated keys. Implementations throw
/// <see cref="ObjectStoreException"/> for every failure, already retried where retrying makes sense.
/// </summary>
public interface IObjectStore
{
    /// <summary>Stores the remaining bytes of <paramref name="content"/> under <paramref name="key"/>, replacing any object there.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Stores a local file under <paramref name="key"/>.</summary>
    Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>Copies the whole object into <paramref name="destination"/>.</summary>
    Task GetAsync(string key, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Copies bytes [offset, offset + length) of the object, cut at its end, into <paramref name="destination"/>.</summary>
    Task GetRangeAsync(string key, long offset, long length, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Key and size of the object, or null when there is none.</summary>
    Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether an object exists under <paramref name="key"/>.</summary>
    async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(key, cancellationToken) is not null;
}
