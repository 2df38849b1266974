using LumaDB.Storage.IO;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tiering;

/// <summary>
/// Moves a shard's segments from local disk to the object store and opens segments wherever they live.
/// The order of a move is what makes it safe: upload, verify, flip the manifest, and only then delete the
/// local file. A failure before the flip leaves the segment local and the manifest as it was; a crash after
/// it leaves at most a local file the manifest no longer references, which orphan clean-up removes.
/// </summary>
public sealed class SegmentTiering
{
    private readonly ShardManifest _manifest;
    private readonly string _segmentDirectory;
    private readonly IObjectStore _store;
    private readonly ColdSegmentCache _cache;
    private readonly TieringOptions _options;

    /// <summary>Creates the tiering routine of one shard.</summary>
    public SegmentTiering(ShardManifest manifest, string segmentDirectory, IObjectStore store, ColdSegmentCache cache, TieringOptions? options = null)
    {
        _manifest = manifest;
        _segmentDirectory = segmentDirectory;
        _store = store;
        _cache = cache;
        _options = options ?? new TieringOptions();
    }

    /// <summary>The object key a segment gets in the cold tier.</summary>
    public string ObjectKeyFor(SegmentDescriptor descriptor) => _options.KeyPrefix + descriptor.FileName;

    /// <summary>Moves one local segment to the cold tier; returns its new manifest entry.</summary>
    public async Task<SegmentEntry> MoveToColdAsync(Guid segmentId, CancellationToken cancellationToken = default)
    {
        var entry = _manifest.Find(segmentId) ?? throw new InvalidOperationException($"Segment {segmentId} is not in the manifest.");
        if (entry.Location != SegmentLocation.Local)
        {
            throw new InvalidOperationException($"Segment {segmentId} is already cold.");
        }

        var descriptor = entry.Descriptor;
        var localPath = Path.Combine(_segmentDirectory, descriptor.FileName);
        var key = ObjectKeyFor(descriptor);
        await _store.PutFileAsync(key, localPath, cancellationToken);
        await VerifyAsync(key, descriptor, cancellationToken);

        _manifest.Commit(new SegmentMovedToCold(segmentId, key));
        File.Delete(localPath);
        return _manifest.Find(segmentId)!;
    }

    /// <summary>Moves every local segment whose newest row is older than <paramref name="cutoffMicros"/>.</summary>
    public async Task<IReadOnlyList<SegmentEntry>> MoveOlderThanAsync(long cutoffMicros, CancellationToken cancellationToken = default)
    {
        var moved = new List<SegmentEntry>();
        foreach (var entry in _manifest.Segments)
        {
            if (entry.Location == SegmentLocation.Local && entry.Descriptor.MaxTimeMicros is { } max && max < cutoffMicros)
            {
                moved.Add(await MoveToColdAsync(entry.Id, cancellationToken));
            }
        }

        return moved;
    }

    /// <summary>Opens a segment for reading: a local file directly, a cold one through the cache.</summary>
    public async Task<SegmentReader> OpenAsync(SegmentEntry entry, CancellationToken cancellationToken = default)
    {
        if (entry.Location == SegmentLocation.Local)
        {
            try
            {
                return await SegmentReader.OpenAsync(Path.Combine(_segmentDirectory, entry.Descriptor.FileName), cancellationToken);
            }
            catch (FileNotFoundException) when (_manifest.Find(entry.Id) is { Location: SegmentLocation.Cold } moved)
            {
                // The caller's entry predates a move that has since deleted the local file: follow the move.
                entry = moved;
            }
        }

        var path = await _cache.GetLocalPathAsync(entry.ObjectKey!, entry.Descriptor.ByteSize, cancellationToken);
        return await SegmentReader.OpenAsync(path, cancellationToken);
    }

    private async Task VerifyAsync(string key, SegmentDescriptor descriptor, CancellationToken cancellationToken)
    {
        var info = await _store.GetInfoAsync(key, cancellationToken);
        if (info is null || info.Size != descriptor.ByteSize)
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Corrupt, key,
                $"Uploaded '{key}' has {info?.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} bytes; the segment has {descriptor.ByteSize}.");
        }

        if (_options.VerifyChecksum)
        {
            await using var sink = new Crc32CStream();
            await _store.GetAsync(key, sink, cancellationToken);
            if (sink.Checksum != descriptor.Crc32C)
            {
                throw new ObjectStoreException(ObjectStoreErrorKind.Corrupt, key,
                    $"Uploaded '{key}' has CRC32C {sink.Checksum:x8}; the segment has {descriptor.Crc32C:x8}.");
            }
        }
    }
}
