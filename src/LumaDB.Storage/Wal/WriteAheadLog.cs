using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Storage.Wal;

/// <summary>
/// One shard's write-ahead log: segmented files named by their first LSN, CRC32C-checked records, and group
/// commit (one writer drains a queue so concurrent appends share one write and one fsync).
/// </summary>
/// <remarks>
/// Written by hand because no maintained .NET library offers a segmented, group-committing WAL with torn-tail
/// recovery; embedded stores (FASTER's log among them) bring their own storage model rather than a WAL to reuse.
/// </remarks>
public sealed partial class WriteAheadLog : IAsyncDisposable
{
    /// <summary>File name extension of segment files.</summary>
    public const string SegmentExtension = ".wal";

    private readonly WalOptions _options;
    private readonly IWalFileSystem _fileSystem;
    private readonly ILogger _logger;
    private readonly List<Segment> _segments;
    private readonly Channel<WalAppendRequest> _queue;
    private readonly Lock _enqueueLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writerLoop;

    // Set after every enqueue (and at completion) so the writer thread wakes; it resets before checking the queue.
    // Never disposed: an append that enqueued just before disposal may still set it, and it holds no kernel handle.
    private readonly ManualResetEventSlim _work = new(false, spinCount: 10);
    private readonly Task _syncTimer;
    private ulong _nextLsn;
    private Exception? _fault;
    private bool _disposed;
    private long _appendCount;
    private long _syncCount;
    private long _writeCount;

    private WriteAheadLog(WalOptions options, ILogger logger, List<Segment> segments, IWalAppendFile activeFile, ulong nextLsn)
    {
        _options = options;
        _fileSystem = options.FileSystem;
        _logger = logger;
        _segments = segments;
        _activeFile = activeFile;
        _segmentLength = activeFile.Length;
        _nextLsn = nextLsn;
        _lastSyncTimestamp = options.TimeProvider.GetTimestamp();
        _queue = Channel.CreateUnbounded<WalAppendRequest>(new UnboundedChannelOptions { SingleReader = true });
        _writerLoop = StartWriterThread();
        if (options.FsyncMode == WalFsyncMode.Interval)
        {
            // Created here, not in the task, so the first period counts from open however late the task starts.
            var timer = new PeriodicTimer(options.FsyncInterval, options.TimeProvider);
            _syncTimer = Task.Run(() => SyncTimerAsync(timer));
        }
        else
        {
            _syncTimer = Task.CompletedTask;
        }
    }

    /// <summary>The LSN the next append receives.</summary>
    public ulong NextLsn
    {
        get
        {
            lock (_enqueueLock)
            {
                return _nextLsn;
            }
        }
    }

    /// <summary>Records written since open.</summary>
    public long AppendCount => Interlocked.Read(ref _appendCount);

    /// <summary>Fsyncs issued since open; with group commit far fewer than <see cref="AppendCount"/>.</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    /// <summary>Group-commit writes issued since open.</summary>
    public long WriteCount => Interlocked.Read(ref _writeCount);

    /// <summary>Number of segment files, the active one included.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_segments)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Opens the log without replaying records, recovering (cutting) a torn tail.</summary>
    public static WriteAheadLog Open(WalOptions options, ILogger? logger = null) =>
        Open(options, ulong.MaxValue, null, logger);

    /// <summary>
    /// Opens the log: validates the last segment, cuts a torn or corrupt tail (with a warning), and hands every
    /// record with LSN at or above <paramref name="replayFromLsn"/> to <paramref name="onRecord"/> in order.
    /// </summary>
    /// <exception cref="WalCorruptionException">A segment other than the last one holds an invalid record.</exception>
    public static WriteAheadLog Open(WalOptions options, ulong replayFromLsn, WalRecordHandler? onRecord, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        var fileSystem = options.FileSystem;
        fileSystem.CreateDirectory(options.Directory);

        var segments = ListSegments(fileSystem, options.Directory);
        if (segments.Count == 0)
        {
            segments.Add(new Segment(1, SegmentPath(options.Directory, 1)));
        }

        var expected = segments[0].FirstLsn;
        long replayed = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Count - 1;
            if (segment.FirstLsn != expected)
            {
                throw new WalCorruptionException(segment.Path, 0, $"segment starts at LSN {segment.FirstLsn} but {expected} was expected");
            }

            // Segments wholly below the replay point were made durable elsewhere; they wait for TruncateBefore.
            if (!isLast && (onRecord is null || segments[i + 1].FirstLsn <= replayFromLsn))
            {
                expected = segments[i + 1].FirstLsn;
                continue;
            }

            expected = ScanSegment(options, logger, segment, isLast, replayFromLsn, onRecord, ref replayed);
        }

        var active = fileSystem.OpenAppend(segments[^1].Path);
        WalLog.Opened(logger, options.Directory, segments.Count, expected, replayed);
        return new WriteAheadLog(options, logger, segments, active, expected);
    }

    /// <summary>
    /// Appends one record and completes, with its LSN, once the record is durable under the fsync policy.
    /// The payload memory must stay unchanged until the returned task completes.
    /// </summary>
    /// <exception cref="IOException">The write or fsync failed; the record is not acknowledged.</exception>
    public ValueTask<ulong> AppendAsync(byte recordType, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > _options.MaxRecordBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), $"A WAL record holds at most {_options.MaxRecordBytes} bytes.");
        }

        var request = WalAppendRequest.Rent();
        request.Type = recordType;
        request.Payload = payload;
        lock (_enqueueLock)
        {
            ThrowIfUnusable();
            request.Lsn = _nextLsn;

            // The LSN is taken under the same lock as the enqueue so queue order is LSN order.
            if (!_queue.Writer.TryWrite(request))
            {
                ThrowIfUnusable();
            }

            _nextLsn++;
        }

        _work.Set();
        return request.AsValueTask();
    }

    /// <summary>Forces everything appended before the call to stable storage, whatever the policy.</summary>
    public ValueTask<ulong> FlushAsync()
    {
        var request = WalAppendRequest.Rent();
        request.IsSync = true;
        lock (_enqueueLock)
        {
            ThrowIfUnusable();
            request.Lsn = _nextLsn - 1;
            if (!_queue.Writer.TryWrite(request))
            {
                ThrowIfUnusable();
            }
        }

        _work.Set();
        return request.AsValueTask();
    }

    /// <summary>
    /// Deletes the segments whose records all have LSN below <paramref name="lsn"/>; called once a flush has
    /// made those records durable elsewhere. The active segment is never deleted. Returns how many were.
    /// </summary>
    public int TruncateBefore(ulong lsn)
    {
        var deleted = 0;
        lock (_segments)
        {
            // A segment's records end just before the next segment's first LSN.
            while (_segments.Count > 1 && _segments[1].FirstLsn <= lsn)
            {
                _fileSystem.Delete(_segments[0].Path);
                WalLog.SegmentDeleted(_logger, _segments[0].Path);
                _segments.RemoveAt(0);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Stops accepting appends, writes and syncs what is queued, and closes the active segment.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_enqueueLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _queue.Writer.TryComplete();
        }

        _work.Set();

        await _stopping.CancelAsync();
        await _writerLoop;
        await _syncTimer;
        try
        {
            if (_fault is null && _unsynced && _options.FsyncMode != WalFsyncMode.Never)
            {
                SyncActive();
            }
        }
        finally
        {
            _activeFile.Dispose();
            _stopping.Dispose();
        }
    }

    /// <summary>File name of the segment whose first record has LSN <paramref name="firstLsn"/>.</summary>
    public static string SegmentFileName(ulong firstLsn) =>
        firstLsn.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    private static string SegmentPath(string directory, ulong firstLsn) => Path.Combine(directory, SegmentFileName(firstLsn));

    private static List<Segment> ListSegments(IWalFileSystem fileSystem, string directory)
    {
        var segments = new List<Segment>();
        foreach (var path in fileSystem.ListFiles(directory, SegmentExtension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 20 && ulong.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var firstLsn) && firstLsn > 0)
            {
                segments.Add(new Segment(firstLsn, path));
            }
        }

        segments.Sort(static (a, b) => a.FirstLsn.CompareTo(b.FirstLsn));
        return segments;
    }

    private static ulong ScanSegment(
        WalOptions options, ILogger logger, Segment segment, bool isLast, ulong replayFromLsn, WalRecordHandler? onRecord, ref long replayed)
    {
        var fileSystem = options.FileSystem;
        Stream stream;
        try
        {
            stream = fileSystem.OpenRead(segment.Path);
        }
        catch (FileNotFoundException) when (isLast)
        {
            return segment.FirstLsn;
        }

        long fileLength;
        using (stream)
        using (var scanner = new WalSegmentScanner(stream, segment.FirstLsn, options.MaxRecordBytes))
        {
            fileLength = stream.Length;
            while (true)
            {
                var status = scanner.ReadNext(out var record);
                if (status == WalScanStatus.Record)
                {
                    if (record.Lsn >= replayFromLsn && onRecord is not null)
                    {
                        onRecord(record);
                        replayed++;
                    }

                    continue;
                }

                if (status == WalScanStatus.End)
                {
                    return scanner.ExpectedLsn;
                }

                if (!isLast)
                {
                    throw new WalCorruptionException(segment.Path, scanner.RecordOffset, scanner.InvalidReason);
                }

                WalLog.TornTail(logger, segment.Path, scanner.RecordOffset, scanner.InvalidReason, fileLength - scanner.ValidEnd);
                var validEnd = scanner.ValidEnd;
                var next = scanner.ExpectedLsn;
                stream.Dispose();
                fileSystem.Truncate(segment.Path, validEnd);
                return next;
            }
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw new IOException("The WAL failed an earlier write and accepts no appends until it is reopened.", _fault);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    /// <summary>A segment file and the LSN of its first record.</summary>
    private readonly record struct Segment(ulong FirstLsn, string Path);
}
