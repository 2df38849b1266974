using System.Buffers;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>Flush: freeze the memtable, write the versions open snapshots still need as segments, commit, truncate the WAL.</content>
public sealed partial class Shard
{
    /// <summary>
    /// Freezes the active memtable (commits continue into a new one) and flushes every frozen memtable, oldest
    /// first: per key its newest version plus every older one a registered snapshot can still see, tombstones
    /// included, becomes one sorted segment per table; the
    /// segments and <see cref="FlushedUpTo"/> are committed to the manifest in one edit group; then the WAL is
    /// truncated below the flushed seq. A crash before the manifest commit leaves orphan files that the next
    /// open removes, and the WAL still holds the rows.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FreezeAsync(cancellationToken).ConfigureAwait(false);
            while (_view.Frozen is [.., var oldest])
            {
                await FlushOneAsync(oldest, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _flushGate.Release();
        }

        MaybeStartBackgroundCompaction();
    }

    /// <summary>
    /// Swaps in a new active memtable. It waits while commits apply out of order, so that the frozen memtable
    /// holds exactly the commits up to the visible seq: then no snapshot a reader can take needs a version the
    /// flush drops.
    /// </summary>
    private async Task FreezeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource gap;
            lock (_applyLock)
            {
                var view = _view;
                if (_appliedAhead.Count == 0)
                {
                    if (view.Active.Count > 0)
                    {
                        view.Active.Freeze();
                        var frozen = new FrozenMemtable(view.Active, _visibleSeq);
                        _view = view with { Active = new RowMemtable(_options.MemtableBudgetBytes, _arenaPool), Frozen = [frozen, .. view.Frozen] };
                    }

                    // The memtable the previous flush retired is out of every view by now: get its arena back
                    // for the one that just started to fill.
                    _arenaPool.CollectRetired();
                    return;
                }

                // A commit below one already applied is between its WAL write and its apply: a moment away.
                gap = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((_appliedAhead.Max, gap));
            }

            await gap.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushOneAsync(FrozenMemtable frozen, CancellationToken cancellationToken)
    {
        ulong horizon;
        lock (_applyLock)
        {
            horizon = HorizonLocked();
        }

        var written = new List<SegmentDescriptor>();
        long rows = 0;
        try
        {
            // One segment per table, each written while its versions are collected: they go straight from the
            // memtable into the segment writer's row group.
            var versions = new VersionCollector(this, frozen.Memtable, horizon);
            while (versions.NextTable() is { } layout)
            {
                written.Add(await _segmentWriter.WriteAsync(layout.SegmentSchema, versions, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("A table's first version in a memtable is always written."));
                rows += written[^1].RowCount;
            }

            if (_options.BeforeManifestCommit is { } hook)
            {
                await hook(cancellationToken).ConfigureAwait(false);
            }

            var edits = new List<ManifestEdit>(written.Count + 1);
            edits.AddRange(written.Select(d => new SegmentAdded(d)));
            edits.Add(new FlushedUpTo(checked((long)frozen.FlushedUpTo)));
            _manifest.Commit([.. edits]);
        }
        catch
        {
            // Uncommitted files are orphans; removing them now saves the next open the work. The frozen
            // memtable stays readable and is flushed again next time.
            foreach (var descriptor in written)
            {
                TryDelete(Path.Combine(_segmentDirectory, descriptor.FileName));
            }

            throw;
        }

        lock (_applyLock)
        {
            var view = _view;
            var added = _manifest.Segments.Where(e => written.Any(d => d.Id == e.Id));
            _view = view with
            {
                Frozen = view.Frozen.Where(f => !ReferenceEquals(f, frozen)).ToArray(),
                Segments = [.. view.Segments, .. added],
                OldestSnapshot = Math.Max(view.OldestSnapshot, Math.Min(horizon, frozen.FlushedUpTo)),
                FlushedSeq = Math.Max(view.FlushedSeq, frozen.FlushedUpTo),
            };
        }

        _arenaPool.OnMemtableRetired();
        _wal.TruncateBefore(frozen.FlushedUpTo + 1);
        ShardLog.Flushed(_logger, rows, written.Count, frozen.FlushedUpTo);
    }

    /// <summary>
    /// The versions of a frozen memtable a snapshot at or above the horizon can see, table by table, as segment
    /// rows in (key ascending, seq descending) order: per key every version above the horizon and the newest at or
    /// below it (tombstones included: older segments may hold the key). Tables are contiguous key ranges (keys start
    /// with the table prefix), so one walk of the memtable serves them all; as a row source it gives the rows of the
    /// table <see cref="NextTable"/> last returned.
    /// </summary>
    private sealed class VersionCollector(Shard shard, RowMemtable memtable, ulong horizon) : ISegmentRowSource
    {
        private readonly ArrayBufferWriter<byte> _tombstone = new(64);
        private readonly ArrayBufferWriter<byte> _lastKey = new(64);
        private int _node = memtable.FindGreaterOrEqual(default, ulong.MaxValue, default);
        private bool _settled;
        private TableLayout? _table;

        /// <summary>The table of the next unvisited version, or null when the memtable is done.</summary>
        public TableLayout? NextTable() =>
            _table = _node == 0 ? null : shard.LayoutOf(TableLayout.TableIdOf(memtable.KeyOf(_node)));

        public ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken)
        {
            var layout = _table ?? throw new InvalidOperationException("No table is being collected.");
            var added = 0;
            for (; _node != 0 && added < maxRows; _node = memtable.Next(_node, 0))
            {
                var key = memtable.KeyOf(_node);
                if (!key.StartsWith(layout.KeyPrefix))
                {
                    break;
                }

                var seq = memtable.SeqOf(_node);
                if (_lastKey.WrittenCount == 0 || !key.SequenceEqual(_lastKey.WrittenSpan))
                {
                    _lastKey.ResetWrittenCount();
                    _lastKey.Write(key);
                    _settled = false;
                }
                else if (_settled)
                {
                    // Older than the newest version at or below the horizon: no snapshot kept can see it.
                    continue;
                }

                _settled = seq <= horizon;
                if (memtable.ValueLength(_node) < 0)
                {
                    _tombstone.ResetWrittenCount();
                    layout.Codec.WriteTombstoneRow(key, _tombstone);
                    layout.Codec.AppendVersion(_tombstone.WrittenSpan, seq, deleted: true, rows);
                }
                else
                {
                    layout.Codec.AppendVersion(memtable.ValueOf(_node), seq, deleted: false, rows);
                }

                added++;
            }

            return ValueTask.FromResult(added);
        }
    }

    private void MaybeStartBackgroundFlush()
    {
        if (!_view.Active.IsFull || !_backgroundFlush.IsCompleted || _disposed)
        {
            return;
        }

        lock (_applyLock)
        {
            if (!_backgroundFlush.IsCompleted)
            {
                return;
            }

            _backgroundFlush = Task.Run(async () =>
            {
                try
                {
                    await FlushAsync().ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or InvalidOperationException or InvalidDataException)
                {
                    _backgroundFlushError = error;
                    ShardLog.BackgroundFlushFailed(_logger, error);
                }
            });
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
