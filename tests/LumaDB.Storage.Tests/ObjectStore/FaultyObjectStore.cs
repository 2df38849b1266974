using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Tests.ObjectStore;

/// <summary>
/// Wraps a store to count calls and inject faults: an operation listed in <see cref="FailOn"/> throws a
/// transient <see cref="ObjectStoreException"/> instead of reaching the inner store.
/// </summary>
public sealed class FaultyObjectStore(IObjectStore inner) : IObjectStore
{
    private int _gets;

    public HashSet<string> FailOn { get; } = [];

    /// <summary>When set, uploads store these bytes instead of the real content (a corrupting store).</summary>
    public byte[]? CorruptUploadsWith { get; set; }

    public int Gets => _gets;

    public TaskCompletionSource? GetGate { get; set; }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        Fail(nameof(PutAsync), key);
        await inner.PutAsync(key, CorruptUploadsWith is { } bad ? new MemoryStream(bad) : content, cancellationToken);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        Fail(nameof(PutFileAsync), key);
        if (CorruptUploadsWith is { } bad)
        {
            await inner.PutAsync(key, new MemoryStream(bad), cancellationToken);
            return;
        }

        await inner.PutFileAsync(key, path, cancellationToken);
    }

    public async Task GetAsync(string key, Stream destination, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        Fail(nameof(GetAsync), key);
        if (GetGate is { } gate)
        {
            await gate.Task;
        }

        await inner.GetAsync(key, destination, cancellationToken);
    }

    public Task GetRangeAsync(string key, long offset, long length, Stream destination, CancellationToken cancellationToken = default)
    {
        Fail(nameof(GetRangeAsync), key);
        return inner.GetRangeAsync(key, offset, length, destination, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Fail(nameof(DeleteAsync), key);
        return inner.DeleteAsync(key, cancellationToken);
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        Fail(nameof(ListAsync), prefix);
        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        Fail(nameof(GetInfoAsync), key);
        return inner.GetInfoAsync(key, cancellationToken);
    }

    private void Fail(string operation, string key)
    {
        if (FailOn.Contains(operation))
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Transient, key, $"{operation} failed on purpose.");
        }
    }
}
