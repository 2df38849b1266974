using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace LumaDB.Storage.ObjectStore;

/// <summary>
/// A bounded local-disk cache of cold segment files, least recently used out first, so that readers open cold
/// segments as ordinary local files. Concurrent requests for one object share one download. An evicted file
/// is deleted at once; a reader that already has it open keeps reading it (Unix unlink semantics). The cache
/// starts empty: the files a previous process cached in the folder are deleted (only files named the way this
/// cache names them, so a misconfigured folder loses nothing else).
/// </summary>
public sealed class ColdSegmentCache
{
    private const string TempPrefix = ".download-";
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _capacityBytes;
    private readonly IObjectStore _store;
    private readonly Dictionary<string, LinkedListNode<CachedFile>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedFile> _recency = new();
    private readonly Dictionary<string, Task<string>> _downloads = new(StringComparer.Ordinal);
    private long _sizeBytes;
    private long _hits;
    private long _misses;

    /// <summary>Creates a cache of at most <paramref name="capacityBytes"/> in <paramref name="directory"/>.</summary>
    public ColdSegmentCache(string directory, long capacityBytes, IObjectStore store)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _directory = directory;
        _capacityBytes = capacityBytes;
        _store = store;
        Directory.CreateDirectory(directory);
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || IsCacheFileName(name))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Bytes of cached files.</summary>
    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _sizeBytes;
            }
        }
    }

    /// <summary>Cached files.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Requests answered from disk.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests that downloaded.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Whether <paramref name="objectKey"/> is cached now.</summary>
    public bool Contains(string objectKey)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(objectKey);
        }
    }

    /// <summary>
    /// The local path of the object, downloading it when not cached. <paramref name="expectedSize"/>, when not
    /// negative, is checked against the download so a truncated object never enters the cache.
    /// </summary>
    public Task<string> GetLocalPathAsync(string objectKey, long expectedSize, CancellationToken cancellationToken = default)
    {
        Task<string>? download;
        lock (_gate)
        {
            if (_entries.TryGetValue(objectKey, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Interlocked.Increment(ref _hits);
                return Task.FromResult(node.Value.Path);
            }

            if (!_downloads.TryGetValue(objectKey, out download))
            {
                Interlocked.Increment(ref _misses);
                // One caller giving up must not fail the others sharing the download: it runs uncancelled.
                download = DownloadAsync(objectKey, expectedSize, CancellationToken.None);
                _downloads[objectKey] = download;
            }
        }

        return download.WaitAsync(cancellationToken);
    }

    /// <summary>Drops one object from the cache.</summary>
    public void Evict(string objectKey)
    {
        lock (_gate)
        {
            if (_entries.Remove(objectKey, out var node))
            {
                RemoveLocked(node);
            }
        }
    }

    private async Task<string> DownloadAsync(string objectKey, long expectedSize, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_directory, TempPrefix + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(_directory, FileNameFor(objectKey));
        try
        {
            await Task.Yield();
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                await _store.GetAsync(objectKey, file, cancellationToken);
                size = file.Length;
            }

            if (expectedSize >= 0 && size != expectedSize)
            {
                throw new ObjectStoreException(ObjectStoreErrorKind.Corrupt, objectKey,
                    $"Object '{objectKey}' has {size} bytes; the manifest says {expectedSize}.");
            }

            File.Move(temp, path, overwrite: true);
            lock (_gate)
            {
                var node = _recency.AddFirst(new CachedFile(objectKey, path, size));
                _entries[objectKey] = node;
                _sizeBytes += size;
                // The newest file stays even when it alone exceeds the capacity: its reader needs it.
                while (_sizeBytes > _capacityBytes && _recency.Last != node)
                {
                    var victim = _recency.Last!;
                    _entries.Remove(victim.Value.Key);
                    RemoveLocked(victim);
                }
            }

            return path;
        }
        finally
        {
            File.Delete(temp);
            lock (_gate)
            {
                _downloads.Remove(objectKey);
            }
        }
    }

    private void RemoveLocked(LinkedListNode<CachedFile> node)
    {
        _recency.Remove(node);
        _sizeBytes -= node.Value.Size;
        File.Delete(node.Value.Path);
    }

    /// <summary>A file name per key: the key's last part for humans, a hash of the whole key for uniqueness.</summary>
    private static string FileNameFor(string objectKey)
    {
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(objectKey));
        var tail = objectKey[(objectKey.LastIndexOf('/') + 1)..];
        return hash.ToString("x16", CultureInfo.InvariantCulture) + "-" + tail;
    }

    private static bool IsCacheFileName(string name) =>
        name.Length > 17 && name[16] == '-' && name.AsSpan(0, 16).IndexOfAnyExcept(HexDigits) < 0;

    private sealed record CachedFile(string Key, string Path, long Size);
}
