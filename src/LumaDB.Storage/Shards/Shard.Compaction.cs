using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>Compaction: k-way merge of warm segments into one, swapped in by one manifest edit group.</content>
public sealed partial class Shard
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, TableCompaction> _tableCompaction = new();
    private SegmentWriter? _compactionWriter;

    /// <summary>
    /// Runs the size-tiered policy (<see cref="ShardOptions.Compaction"/>) over every table until no tier is due,
    /// and returns what each merge did.
    /// </summary>
    public async Task<IReadOnlyList<CompactionResult>> CompactAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var results = new List<CompactionResult>();
        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (PickTier() is { } tier)
            {
                results.Add(await CompactSegmentsAsync(tier.Table, tier.Inputs, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _maintenanceGate.Release();
        }

        return results;
    }

    /// <summary>
    /// Merges every warm segment of <paramref name="table"/> into one (a major compaction), whatever the policy
    /// says; null when the table has fewer than two warm segments.
    /// </summary>
    public async Task<CompactionResult?> CompactAsync(TableLayout table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inputs = WarmSegmentsOf(table.TableId).ToArray();
            return inputs.Length < 2 ? null : await CompactSegmentsAsync(table, inputs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenanceGate.Release();
        }
    }

    /// <summary>
    /// Merges the warm segments of <paramref name="table"/> that <paramref name="select"/> picks into one, so rows
    /// they hold under the same key (newer versions of a row) are kept once; null when it picks fewer than two.
    /// </summary>
    public async Task<CompactionResult?> CompactAsync(TableLayout table, Func<SegmentDescriptor, bool> select, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(select);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inputs = WarmSegmentsOf(table.TableId).Where(e => select(e.Descriptor)).ToArray();
            return inputs.Length < 2 ? null : await CompactSegmentsAsync(table, inputs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenanceGate.Release();
        }
    }

    private IEnumerable<SegmentEntry> WarmSegmentsOf(ulong tableId) =>
        _manifest.Segments.Where(e => e.Location == SegmentLocation.Local && TableLayout.TableIdOf(e.Descriptor.MinKey) == tableId);

    /// <summary>
    /// Sets (or with null, clears) how a table's segments are compacted where it differs from the shard's policy:
    /// a tier size of its own, time windows that merges stay within.
    /// </summary>
    public void SetCompaction(ulong tableId, TableCompaction? compaction)
    {
        if (compaction is null)
        {
            _tableCompaction.TryRemove(tableId, out _);
            return;
        }

        compaction.Validate();
        _tableCompaction[tableId] = compaction;
    }

    /// <summary>A table's own compaction settings, or null when it follows the shard's.</summary>
    public TableCompaction? CompactionOf(ulong tableId) => _tableCompaction.TryGetValue(tableId, out var compaction) ? compaction : null;

    /// <summary>
    /// The first tier due under the policy: similar-sized warm segments of one table (and one time window, when the
    /// table has them), smallest first.
    /// </summary>
    private (TableLayout Table, SegmentEntry[] Inputs)? PickTier()
    {
        var policy = _options.Compaction;
        foreach (var group in _manifest.Segments.Where(e => e.Location == SegmentLocation.Local).GroupBy(e => TableLayout.TableIdOf(e.Descriptor.MinKey)))
        {
            if (!_tables.TryGetValue(group.Key, out var table))
            {
                continue;
            }

            var own = CompactionOf(table.TableId);
            var minSegments = own?.MinSegments ?? policy.MinSegments;
            var maxSegments = Math.Max(policy.MaxSegments, minSegments);
            var windows = own?.TimeWindow is { } window && table.TimeColumn >= 0
                ? group.GroupBy(e => WindowOf(e.Descriptor, window)).Select(w => w.ToArray())
                : [group.ToArray()];
            foreach (var segments in windows)
            {
                if (PickTier(segments, minSegments, maxSegments, policy.SizeRatio) is { } inputs)
                {
                    return (table, inputs);
                }
            }
        }

        return null;
    }

    private static SegmentEntry[]? PickTier(SegmentEntry[] segments, int minSegments, int maxSegments, double sizeRatio)
    {
        var bySize = segments.OrderBy(e => e.Descriptor.ByteSize).ToArray();
        for (var start = 0; start + minSegments <= bySize.Length; start++)
        {
            var limit = Math.Max(1, bySize[start].Descriptor.ByteSize) * sizeRatio;
            var end = start;
            while (end < bySize.Length && end - start < maxSegments && bySize[end].Descriptor.ByteSize <= limit)
            {
                end++;
            }

            if (end - start >= minSegments)
            {
                return bySize[start..end];
            }
        }

        return null;
    }

    /// <summary>The window holding a segment's newest time; segments without times share one window.</summary>
    private static long WindowOf(SegmentDescriptor segment, TimeSpan window)
    {
        if (segment.MaxTimeMicros is not { } max)
        {
            return long.MinValue;
        }

        var length = window.Ticks / TimeSpan.TicksPerMicrosecond;
        var (quotient, remainder) = Math.DivRem(max, length);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    /// <summary>
    /// Merges <paramref name="inputs"/> (segments of one table) into one segment: per key, every version above the
    /// oldest snapshot reads may use plus the newest at or below it; that newest is dropped too when it is a
    /// tombstone no other segment could need (none of the table's other segments spans its key). The output and
    /// the removal of the inputs are one manifest edit group; the input files go after it.
    /// </summary>
    private async Task<CompactionResult> CompactSegmentsAsync(TableLayout table, SegmentEntry[] inputs, CancellationToken cancellationToken)
    {
        ulong horizon;
        lock (_applyLock)
        {
            horizon = HorizonLocked();
        }

        var inputIds = inputs.Select(e => e.Id).ToHashSet();
        var others = _manifest.Segments
            .Where(e => !inputIds.Contains(e.Id) && TableLayout.TableIdOf(e.Descriptor.MinKey) == table.TableId)
            .Select(e => e.Descriptor).ToArray();
        var sources = new List<VersionSource>(inputs.Length);
        var merge = new MergeRowSource(table, sources, horizon, others);
        SegmentDescriptor? output;
        try
        {
            var everything = new KeyRange(null, null);
            foreach (var input in inputs)
            {
                var reader = await OpenSegmentAsync(input, cancellationToken).ConfigureAwait(false);
                sources.Add(new SegmentVersionSource(reader, table, everything, ulong.MaxValue, cancellationToken));
            }

            // Null when every version is dropped: the inputs then go without an output.
            output = await CompactionWriter().WriteAsync(table.SegmentSchema, merge, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAllAsync(sources).ConfigureAwait(false);
        }

        SegmentEntry[] current;
        try
        {
            if (_options.BeforeCompactionCommit is { } hook)
            {
                await hook(cancellationToken).ConfigureAwait(false);
            }

            var edits = new List<ManifestEdit>(inputs.Length + 1);
            edits.AddRange(inputs.Select(e => new SegmentRemoved(e.Id)));
            if (output is not null)
            {
                edits.Add(new SegmentAdded(output));
            }

            current = inputs.Select(e => _manifest.Find(e.Id) ?? e).ToArray();
            _manifest.Commit([.. edits]);
        }
        catch
        {
            // Not committed: the output is an orphan and the inputs stay live.
            if (output is not null)
            {
                TryDelete(Path.Combine(_segmentDirectory, output.FileName));
            }

            throw;
        }

        var added = output is null ? null : _manifest.Find(output.Id);
        lock (_applyLock)
        {
            var view = _view;
            _view = view with
            {
                Segments = [.. view.Segments.Where(e => !inputIds.Contains(e.Id)), .. added is null ? [] : new[] { added }],
                OldestSnapshot = Math.Max(view.OldestSnapshot, horizon),
            };
        }

        // Readers that opened an input keep reading it (the file stays readable while open); one that has not
        // opened it yet finds it gone and starts over on the new view.
        // An input may have moved to the cold tier meanwhile: delete it where it was at the commit.
        foreach (var input in current)
        {
            await DeleteSegmentBytesAsync(input, cancellationToken).ConfigureAwait(false);
        }

        ShardLog.Compacted(_logger, table.TableId, inputs.Length, merge.Read, merge.Written);
        return new CompactionResult(table.TableId, [.. inputIds], output?.Id, merge.Read, merge.Written);
    }

    /// <summary>
    /// The k-way merge of a compaction's inputs as segment rows: per key, the versions above the horizon and the
    /// newest at or below it, which is dropped too when it is a tombstone no other segment could need.
    /// </summary>
    private sealed class MergeRowSource(TableLayout table, List<VersionSource> sources, ulong horizon, SegmentDescriptor[] others) : ISegmentRowSource
    {
        private readonly ArrayBufferWriter<byte> _lastKey = new(64);

        // Built on the first fill: the caller opens the inputs after creating the merge.
        private VersionSourceTree? _tree;
        private bool _hasLast;
        private bool _settled;

        // The run of kept versions not yet copied: rows [_runStart, _runStart + _runCount) of _run's decoded group.
        private SegmentVersionSource? _run;
        private int _runStart;
        private int _runCount;
        private Dictionary<SegmentVersionSource, bool>? _copiesRuns;

        /// <summary>Versions read from the inputs so far.</summary>
        public long Read { get; private set; }

        /// <summary>Versions written to the output so far.</summary>
        public long Written { get; private set; }

        public async ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken)
        {
            _tree ??= await VersionSourceTree.StartAsync(sources, cancellationToken).ConfigureAwait(false);

            var added = 0;
            while (added < maxRows && _tree.Top is { } source)
            {
                Read++;
                if (!_hasLast || !source.Key.SequenceEqual(_lastKey.WrittenSpan))
                {
                    _hasLast = true;
                    _settled = false;
                    _lastKey.ResetWrittenCount();
                    _lastKey.Write(source.Key);
                }

                // Versions come newest first: those above the horizon stay for the snapshots between; the first one
                // at or below it is what every older allowed snapshot sees, and it hides the rest.
                if (!_settled)
                {
                    var keep = true;
                    if (source.Seq <= horizon)
                    {
                        _settled = true;
                        keep = !source.IsTombstone || MayHideOthers(source.Key, others);
                    }

                    if (keep)
                    {
                        Append(source, rows);
                        Written++;
                        added++;
                    }
                }

                if (ReferenceEquals(source, _run) && _run.AtLastRowOfGroup)
                {
                    CopyRun(rows);
                }

                _tree.TopMoved(await source.MoveNextAsync(cancellationToken).ConfigureAwait(false));
            }

            CopyRun(rows);
            return added;
        }

        /// <summary>
        /// Appends a kept version. Consecutive versions of one segment's decoded row group are gathered into a run
        /// and copied as column slices (random trace ids interleave the inputs, but a trace's spans sit together);
        /// anything else first copies the pending run, so rows keep the merge's order.
        /// </summary>
        private void Append(VersionSource source, SegmentRowGroup rows)
        {
            if (source is SegmentVersionSource segment && CopiesRuns(segment))
            {
                var index = segment.RowIndex;
                if (ReferenceEquals(segment, _run) && index == _runStart + _runCount)
                {
                    _runCount++;
                    return;
                }

                CopyRun(rows);
                (_run, _runStart, _runCount) = (segment, index, 1);
                return;
            }

            CopyRun(rows);
            source.AppendTo(table, rows);
        }

        private bool CopiesRuns(SegmentVersionSource segment)
        {
            _copiesRuns ??= new Dictionary<SegmentVersionSource, bool>(ReferenceEqualityComparer.Instance);
            if (!_copiesRuns.TryGetValue(segment, out var copies))
            {
                _copiesRuns[segment] = copies = segment.CanCopyRunsInto(table.SegmentSchema);
            }

            return copies;
        }

        private void CopyRun(SegmentRowGroup rows)
        {
            if (_run is { } run && _runCount > 0)
            {
                run.CopyRun(_runStart, _runCount, rows);
            }

            (_run, _runCount) = (null, 0);
        }

        private static bool MayHideOthers(ReadOnlySpan<byte> key, SegmentDescriptor[] others)
        {
            foreach (var other in others)
            {
                if (key.SequenceCompareTo(other.MinKey) >= 0 && key.SequenceCompareTo(other.MaxKey) <= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The flush's segment layout with the compaction's compressor effort (one merge at a time uses it).</summary>
    private SegmentWriter CompactionWriter() => _compactionWriter ??= new SegmentWriter(_segmentDirectory, new SegmentWriterOptions
    {
        RowGroupSize = _options.SegmentWriter.RowGroupSize,
        Compression = _options.SegmentWriter.Compression,
        CompressionLevel = _options.Compaction.CompressionLevel,
        VerifyKeyOrder = _options.SegmentWriter.VerifyKeyOrder,
    });

    /// <summary>Deletes a removed segment's bytes wherever they live; a failure only leaves garbage behind.</summary>
    private async Task DeleteSegmentBytesAsync(SegmentEntry entry, CancellationToken cancellationToken)
    {
        _rowGroupCache?.RemoveSegment(entry.Id);
        _columnCache?.RemoveSegment(entry.Id);
        TryDelete(Path.Combine(_segmentDirectory, entry.Descriptor.FileName));
        if (entry.ObjectKey is { } key && _options.ObjectStore is { } store)
        {
            try
            {
                await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectStoreException error)
            {
                ShardLog.ObjectDeleteFailed(_logger, key, error);
            }
        }
    }
}
