using LumaDB.Storage.IO;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Manifest;

/// <summary>
/// The segment manifest of one shard: which segments are live, where each one lives, and how far the WAL is
/// flushed. Changes are commits of edits appended to a checksummed log and fsynced before they take effect;
/// every so often the whole state goes into a new snapshot generation (published by atomic rename) and the
/// log starts over. Recovery loads the newest valid snapshot, replays its log and cuts a torn tail.
/// </summary>
public sealed class ShardManifest : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly ManifestOptions _options;
    private readonly ManifestState _state = new();
    private FileStream _log;
    private long _generation;
    private int _commitsSinceSnapshot;

    private ShardManifest(string directory, ManifestOptions options, FileStream log, long generation, ManifestRecovery recovery)
    {
        _directory = directory;
        _options = options;
        _log = log;
        _generation = generation;
        Recovery = recovery;
    }

    /// <summary>What opening the manifest found.</summary>
    public ManifestRecovery Recovery { get; }

    /// <summary>Live segments ordered by id (which is creation order).</summary>
    public IReadOnlyList<SegmentEntry> Segments
    {
        get
        {
            lock (_gate)
            {
                return _state.Segments.Values.OrderBy(e => e.Id).ToArray();
            }
        }
    }

    /// <summary>The last WAL LSN whose effects are in segments; -1 before the first flush.</summary>
    public long FlushedLsn
    {
        get
        {
            lock (_gate)
            {
                return _state.FlushedLsn;
            }
        }
    }

    /// <summary>The live segment with this id, or null.</summary>
    public SegmentEntry? Find(Guid id)
    {
        lock (_gate)
        {
            return _state.Segments.GetValueOrDefault(id);
        }
    }

    /// <summary>Opens (recovering) or creates the manifest kept in <paramref name="directory"/>.</summary>
    public static ShardManifest Open(string directory, ManifestOptions? options = null)
    {
        options ??= new ManifestOptions();
        Directory.CreateDirectory(directory);
        var state = new ManifestState();
        var generations = ManifestFiles.SnapshotGenerations(directory);
        long generation;
        if (generations.Length == 0)
        {
            generation = 1;
            ManifestFiles.WriteSnapshot(ManifestFiles.SnapshotPath(directory, generation), generation, state);
        }
        else
        {
            generation = generations[0];
            // Snapshots appear only whole (rename), so a bad one is media damage. Falling back to an older
            // generation would silently lose every edit since, because its log is gone: refuse instead.
            if (!ManifestFiles.TryReadSnapshot(ManifestFiles.SnapshotPath(directory, generation), generation, state))
            {
                throw new InvalidDataException($"Manifest snapshot {generation} in '{directory}' fails its checksum.");
            }
        }

        var logPath = ManifestFiles.LogPath(directory, generation);
        var log = new FileStream(logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var bytes = new byte[log.Length];
            log.ReadExactly(bytes);
            var commits = ManifestFiles.ReadLog(bytes, out var validLength);
            foreach (var commit in commits)
            {
                state.Validate(commit);
                foreach (var edit in commit)
                {
                    state.Apply(edit);
                }
            }

            if (validLength < bytes.Length)
            {
                log.SetLength(validLength);
                log.Flush(flushToDisk: true);
            }

            log.Seek(0, SeekOrigin.End);
            DurableFile.SyncDirectory(directory);
            foreach (var stale in ManifestFiles.StaleFiles(directory, generation))
            {
                File.Delete(stale);
            }

            var recovery = new ManifestRecovery(generation, commits.Count, bytes.Length - validLength);
            var manifest = new ShardManifest(directory, options, log, generation, recovery) { _commitsSinceSnapshot = commits.Count };
            manifest._state.Restore(state.Segments.Values, state.FlushedLsn);
            return manifest;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Applies <paramref name="edits"/> atomically: all of them or, if the process dies before the log record is
    /// durable, none. Throws without changing anything when an edit does not fit the current state.
    /// </summary>
    public void Commit(params ManifestEdit[] edits)
    {
        if (edits.Length == 0)
        {
            return;
        }

        var record = ManifestFiles.EncodeRecord(edits);
        lock (_gate)
        {
            _state.Validate(edits);
            var before = _log.Length;
            try
            {
                _log.Write(record);
                _log.Flush(flushToDisk: true);
            }
            catch
            {
                // Leave no half record for the next commit to follow; recovery would cut everything after it.
                try
                {
                    _log.SetLength(before);
                    _log.Seek(0, SeekOrigin.End);
                }
                catch (IOException)
                {
                }

                throw;
            }

            foreach (var edit in edits)
            {
                _state.Apply(edit);
            }

            if (++_commitsSinceSnapshot >= _options.SnapshotEveryCommits)
            {
                try
                {
                    WriteSnapshotLocked();
                }
                catch (IOException)
                {
                    // The commit is durable in the log; a snapshot is only an optimisation, retried next commit.
                }
            }
        }
    }

    /// <summary>Writes the whole state as a new generation and starts an empty log, keeping recovery short.</summary>
    public void WriteSnapshot()
    {
        lock (_gate)
        {
            WriteSnapshotLocked();
        }
    }

    /// <summary>
    /// Deletes files in <paramref name="segmentDirectory"/> the manifest does not reference as local segments:
    /// segments written but never committed (a crash between write and commit), local copies of segments
    /// already cold, and temp files. Call it at start-up, before any writer runs.
    /// </summary>
    public IReadOnlyList<string> RemoveOrphanFiles(string segmentDirectory)
    {
        HashSet<string> live;
        lock (_gate)
        {
            live = _state.Segments.Values.Where(e => e.Location == SegmentLocation.Local)
                .Select(e => e.Descriptor.FileName).ToHashSet(StringComparer.Ordinal);
        }

        var removed = new List<string>();
        if (!Directory.Exists(segmentDirectory))
        {
            return removed;
        }

        foreach (var path in Directory.EnumerateFiles(segmentDirectory))
        {
            var name = Path.GetFileName(path);
            var orphan = name.EndsWith(SegmentWriter.TempSuffix, StringComparison.Ordinal)
                || (name.EndsWith(".parquet", StringComparison.Ordinal) && !live.Contains(name));
            if (orphan)
            {
                File.Delete(path);
                removed.Add(name);
            }
        }

        return removed;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void WriteSnapshotLocked()
    {
        var next = _generation + 1;
        // The new log exists before the snapshot that makes it current, so once the snapshot is visible
        // every later commit has somewhere to go; a log without its snapshot is stale and removed at open.
        var logPath = ManifestFiles.LogPath(_directory, next);
        var snapshotPath = ManifestFiles.SnapshotPath(_directory, next);
        var log = new FileStream(logPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            log.Flush(flushToDisk: true);
            ManifestFiles.WriteSnapshot(snapshotPath, next, _state);
        }
        catch when (!File.Exists(snapshotPath))
        {
            log.Dispose();
            File.Delete(logPath);
            throw;
        }

        _log.Dispose();
        _log = log;
        _generation = next;
        _commitsSinceSnapshot = 0;
        foreach (var stale in ManifestFiles.StaleFiles(_directory, next))
        {
            File.Delete(stale);
        }
    }
}
