namespace LumaDB.Storage.Wal;

/// <content>Closing a log whose every record is durable elsewhere, leaving no records behind.</content>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Closes the log as <see cref="DisposeAsync"/> does; then, when every record has an LSN below
    /// <paramref name="durableBefore"/> (a flush made them durable elsewhere), starts an empty segment at the next
    /// LSN and deletes the older segments, so a clean shutdown after a full flush leaves no log to store or to
    /// scan on the next open. The next open continues at the same LSN. Returns how many segments were deleted.
    /// </summary>
    /// <remarks>
    /// The empty segment is created and synced before any older one is deleted, oldest first, so a crash in
    /// between leaves a contiguous run of segments that ends at the next LSN.
    /// </remarks>
    public async ValueTask<int> DisposeAndTrimAsync(ulong durableBefore)
    {
        await DisposeAsync().ConfigureAwait(false);
        ulong next;
        lock (_enqueueLock)
        {
            next = _nextLsn;
        }

        if (_fault is not null || next > durableBefore)
        {
            return 0;
        }

        lock (_segments)
        {
            if (_segments[^1].FirstLsn != next)
            {
                var path = SegmentPath(_options.Directory, next);
                using (var empty = _fileSystem.OpenAppend(path))
                {
                    empty.Sync();
                }

                _segments.Add(new Segment(next, path));
            }

            var deleted = 0;
            while (_segments.Count > 1)
            {
                _fileSystem.Delete(_segments[0].Path);
                WalLog.SegmentDeleted(_logger, _segments[0].Path);
                _segments.RemoveAt(0);
                deleted++;
            }

            return deleted;
        }
    }
}
