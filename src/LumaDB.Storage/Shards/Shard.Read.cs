using System.Buffers;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>Snapshot reads: point lookups and scans merging memtables and segments.</content>
public sealed partial class Shard
{
    /// <summary>
    /// Whether scans read self-contained row groups as columns (the default); off, every row goes through the
    /// row-by-row merge. Tests compare both.
    /// </summary>
    internal bool ColumnarScans { get; set; } = true;

    /// <summary>Decoded column chunks scans took from the column cache (for tests).</summary>
    internal long ColumnCacheHits => _columnCache?.Hits ?? 0;

    /// <summary>Row groups scans have read as columns, past the row-by-row merge.</summary>
    internal long ColumnarRowGroupsRead => Interlocked.Read(ref _columnarRowGroupsRead);

    /// <summary>Segment rows scans have dropped on key columns before the merge (see <see cref="KeyColumnFilter"/>).</summary>
    internal long RowsFilteredBeforeMerge => Interlocked.Read(ref _rowsFilteredBeforeMerge);

    /// <summary>How often a read starts over on a newer view when a segment of its view was compacted or dropped meanwhile.</summary>
    private const int MaxViewRetries = 8;

    private long _columnarRowGroupsRead;
    private long _rowsFilteredBeforeMerge;

    /// <summary>
    /// The row <paramref name="primaryKey"/> (key-encoded, without table prefix) has at
    /// <paramref name="snapshotSeq"/>, in <see cref="RowCodec"/> form, or null when it has none or was deleted.
    /// A seq above <see cref="LastCommittedSeq"/> reads at <see cref="LastCommittedSeq"/>.
    /// </summary>
    /// <exception cref="SnapshotTooOldException">The snapshot is older than the last flush keeps versions for.</exception>
    public async ValueTask<byte[]?> GetAsync(TableLayout table, ReadOnlyMemory<byte> primaryKey, ulong snapshotSeq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (view, snapshot) = Resolve(snapshotSeq);
        var key = table.ShardKey(primaryKey.Span);

        // Memtables hold only commits above the flushed seq and segments only commits at or below it, and each
        // memtable is newer than the ones frozen before it: the first memtable that knows the key has the answer.
        switch (LookUp(view.Active, key, snapshot, out var found))
        {
            case MemtableLookup.Found: return found;
            case MemtableLookup.Deleted: return null;
        }

        foreach (var frozen in view.Frozen)
        {
            switch (LookUp(frozen.Memtable, key, snapshot, out found))
            {
                case MemtableLookup.Found: return found;
                case MemtableLookup.Deleted: return null;
            }
        }

        // On disk: only the row groups whose key bounds hold the key, decoded once and kept in the row-group
        // cache, then a binary search. A segment may hold several versions of a key (kept for open snapshots),
        // possibly spanning neighbouring row groups; the newest at or below the snapshot wins.
        for (var attempt = 0; ; attempt++)
        {
            var result = await LookUpSegmentsAsync(view, table, key, snapshot, cancellationToken).ConfigureAwait(false);
            if (result.Removed)
            {
                view = RetryView(snapshot, attempt);
                continue;
            }

            return result.Row;
        }

        static MemtableLookup LookUp(RowMemtable memtable, byte[] key, ulong snapshot, out byte[]? row)
        {
            var result = memtable.TryGet(key, snapshot, out var span);
            row = result == MemtableLookup.Found ? span.ToArray() : null;
            return result;
        }
    }

    /// <summary>
    /// The rows of <paramref name="table"/> visible at <paramref name="snapshotSeq"/>, in primary-key order, as
    /// Arrow batches of the table's columns (or <see cref="SegmentScan.Columns"/>). Key ranges in
    /// <paramref name="scan"/> are primary keys without table prefix. Time and predicates are applied after
    /// versions are resolved, so an older version never shows through a newer one that fails the filter; only the
    /// part on key columns, which all versions of a key share, already drops segment rows before the merge
    /// (<see cref="KeyColumnFilter"/>).
    /// </summary>
    /// <remarks>
    /// A streaming k-way merge over the memtables and the segments that overlap the key range: each segment is
    /// read one row group at a time, so memory stays bounded by one row group per segment plus one output batch,
    /// and the first batch comes out before the range is read whole.
    /// </remarks>
    /// <exception cref="SnapshotTooOldException">The snapshot is older than the last flush keeps versions for.</exception>
    public async IAsyncEnumerable<RecordBatch> ScanAsync(
        TableLayout table, SegmentScan? scan, ulong snapshotSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        scan ??= SegmentScan.All;
        if (scan.Time is not null && table.TimeColumn < 0)
        {
            throw new ArgumentException("The scan has a time range but the table has no time column.", nameof(scan));
        }

        var projection = scan.Columns?.Select(name => table.IndexOf(name) is var i && i >= 0 ? i
            : throw new ArgumentException($"No column named '{name}'.", nameof(scan))).ToArray();
        var predicates = scan.Predicates.Select(p => (Column: table.IndexOf(p.Column) is var i && i >= 0 ? i
            : throw new ArgumentException($"No column named '{p.Column}'.", nameof(scan)), Predicate: p)).ToArray();
        var (view, snapshot) = Resolve(snapshotSeq);
        var keys = table.ShardKeyRange(scan.Keys);
        var keyFilter = KeyColumnFilter.For(table, scan.Time, predicates);

        // Every segment is opened before the first row comes out, so a segment compacted away meanwhile is noticed
        // while starting over on a newer view is still invisible to the caller.
        List<VersionSource>? sources = null;
        for (var attempt = 0; sources is null; attempt++)
        {
            sources = await OpenSegmentSourcesAsync(
                view, table, keys, snapshot, RowColumnsOf(table, scan, projection, predicates), keyFilter, cancellationToken).ConfigureAwait(false);
            if (sources is null)
            {
                view = RetryView(snapshot, attempt);
            }
        }

        sources.Add(new MemtableVersionSource(view.Active, keys.Lower, keys.Upper, snapshot));
        foreach (var frozen in view.Frozen)
        {
            sources.Add(new MemtableVersionSource(frozen.Memtable, keys.Lower, keys.Upper, snapshot));
        }

        try
        {
            var tree = await VersionSourceTree.StartAsync(sources, cancellationToken).ConfigureAwait(false);

            var columnar = ColumnarScanOf(table, scan);
            Dictionary<SegmentVersionSource, ScanPlan?>? plans = null;
            using var builder = new RowBatchBuilder(table, projection);
            var lastKey = new ArrayBufferWriter<byte>(64);
            var hasLast = false;
            while (tree.Top is { } source)
            {
                if (source is SegmentVersionSource { IsPending: true } segment)
                {
                    // A row group no other source overlaps, that starts after everything already emitted and whose
                    // last key does not continue into the next group, has no version another source could hide or
                    // be hidden by: it is resolved and filtered as columns, without the per-row merge.
                    var range = segment.PendingRange;
                    var plan = columnar is null ? null : PlanFor(segment, table.Columns.Count, columnar, ref plans);
                    if (plan is not null
                        && (!hasLast || range.MinKey.AsSpan().SequenceCompareTo(lastKey.WrittenSpan) > 0)
                        && (tree.RunnerUp() is not { } next || range.MaxKey.AsSpan().SequenceCompareTo(next.Key) < 0)
                        && segment.PendingIsSelfContained())
                    {
                        if (builder.Count > 0)
                        {
                            yield return builder.Build();
                        }

                        var (batch, more) = await segment.ReadPendingColumnarAsync(plan).ConfigureAwait(false);
                        Interlocked.Increment(ref _columnarRowGroupsRead);
                        hasLast = true;
                        lastKey.ResetWrittenCount();
                        lastKey.Write(range.MaxKey);
                        tree.TopMoved(more);

                        if (batch is not null)
                        {
                            yield return batch;
                        }
                    }
                    else
                    {
                        tree.TopMoved(await segment.DecodePendingAsync().ConfigureAwait(false));
                    }

                    continue;
                }

                // The first version of a key to reach the top is the newest the snapshot sees; older ones are skipped.
                if (!hasLast || !source.Key.SequenceEqual(lastKey.WrittenSpan))
                {
                    hasLast = true;
                    lastKey.ResetWrittenCount();
                    lastKey.Write(source.Key);
                    if (!source.IsTombstone && source.Matches(table, scan.Time, predicates))
                    {
                        source.AppendTo(builder);
                    }
                }

                tree.TopMoved(await source.MoveNextAsync(cancellationToken).ConfigureAwait(false));
                if (builder.Count == _options.ScanBatchRows)
                {
                    yield return builder.Build();
                }
            }

            if (builder.Count > 0)
            {
                yield return builder.Build();
            }
        }
        finally
        {
            Interlocked.Add(ref _rowsFilteredBeforeMerge, sources.Sum(s => (s as SegmentVersionSource)?.FilteredOut ?? 0));
            await DisposeAllAsync(sources).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The table columns the row-by-row merge must decode from segments: the projected ones, those the filters
    /// read and the key; null (all) without a projection.
    /// </summary>
    private static HashSet<int>? RowColumnsOf(TableLayout table, SegmentScan scan, int[]? projection, (int Column, ColumnPredicate Predicate)[] predicates)
    {
        if (projection is null)
        {
            return null;
        }

        var columns = new HashSet<int>(projection);
        columns.UnionWith(table.PrimaryKey);
        columns.UnionWith(predicates.Select(p => p.Column));
        if (scan.Time is not null)
        {
            columns.Add(table.TimeColumn);
        }

        return columns;
    }

    /// <summary>
    /// The segment scan that reads a self-contained row group as columns with the same result as the row merge:
    /// the requested columns (all of the table's by default), the time range and the predicates; null when the
    /// columnar path is off or a predicate compares a column with a constant of another type (the row filter
    /// treats those as never matching, which the segment reader does not express).
    /// </summary>
    private SegmentScan? ColumnarScanOf(TableLayout table, SegmentScan scan)
    {
        if (!ColumnarScans)
        {
            return null;
        }

        foreach (var predicate in scan.Predicates)
        {
            var kind = table.Columns[table.IndexOf(predicate.Column)].Kind;
            if (kind is SegmentColumnKind.Utf8 or SegmentColumnKind.Binary != (predicate.Kind == PredicateConstantKind.Bytes))
            {
                return null;
            }
        }

        return new SegmentScan
        {
            Columns = scan.Columns ?? table.Columns.Select(c => c.Name).ToArray(),
            Time = scan.Time,
            Predicates = scan.Predicates,
            DictionaryText = scan.DictionaryText,
            Bound = scan.Bound,
        };
    }

    /// <summary>The columnar plan of one segment, made once per scan; null when its schema is not the table's.</summary>
    private static ScanPlan? PlanFor(SegmentVersionSource segment, int columns, SegmentScan scan, ref Dictionary<SegmentVersionSource, ScanPlan?>? plans)
    {
        plans ??= new Dictionary<SegmentVersionSource, ScanPlan?>(ReferenceEqualityComparer.Instance);
        if (!plans.TryGetValue(segment, out var plan))
        {
            plan = null;
            try
            {
                // The system columns are read by position: right after the table's own.
                if (segment.Schema.Columns.Count == columns + 3)
                {
                    plan = segment.CreateColumnarPlan(scan);
                }
            }
            catch (ArgumentException)
            {
                // A segment whose columns differ from the table's is read row by row.
            }

            plans[segment] = plan;
        }

        return plan;
    }

    /// <summary>The newest version at or below the snapshot of one key in the view's segments.</summary>
    private async ValueTask<(byte[]? Row, bool Removed, ulong Seq)> LookUpSegmentsAsync(
        ShardView view, TableLayout table, byte[] key, ulong snapshot, CancellationToken cancellationToken)
    {
        byte[]? newest = null;
        ulong newestSeq = 0;
        var found = false;
        RowBuilder? builder = null;
        ArrayBufferWriter<byte>? row = null;
        ArrayBufferWriter<byte>? probe = null;
        foreach (var entry in view.Segments)
        {
            var descriptor = entry.Descriptor;
            if (!descriptor.MinKey.AsSpan().StartsWith(table.KeyPrefix)
                || key.AsSpan().SequenceCompareTo(descriptor.MinKey) < 0 || key.AsSpan().SequenceCompareTo(descriptor.MaxKey) > 0)
            {
                continue;
            }

            // Row groups are in key order: start at the first whose max key reaches the key, stop past it.
            for (var g = FirstGroupReaching(descriptor.RowGroups, key); g < descriptor.RowGroups.Count; g++)
            {
                var group = descriptor.RowGroups[g];
                if (key.AsSpan().SequenceCompareTo(group.MinKey) < 0)
                {
                    break;
                }

                if (key.AsSpan().SequenceCompareTo(group.MaxKey) > 0)
                {
                    continue;
                }

                var cached = _rowGroupCache?.TryGet(entry.Id, g);
                var batch = cached?.Batch;
                if (batch is null)
                {
                    try
                    {
                        batch = await ReadRowGroupAsync(entry, g, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception error) when (IsMissing(error) && _manifest.Find(entry.Id) is null)
                    {
                        return (null, true, 0);
                    }

                    if (batch is null)
                    {
                        continue;
                    }

                    if (_rowGroupCache is not null)
                    {
                        cached = new CachedRowGroup(batch, table);
                        _rowGroupCache.Add(entry.Id, g, cached);
                    }
                }

                // Versions of a key sit together, newest first: the first at or below the snapshot is this group's
                // answer. Cached groups carry their keys and row reader; an uncached one encodes the rows it probes
                // and gets a reader once the key is found.
                var keys = cached?.KeysFor(table);
                CachedRowReader? reader = null;
                if (keys is null)
                {
                    builder ??= new RowBuilder(table);
                    row ??= new ArrayBufferWriter<byte>(256);
                    probe ??= new ArrayBufferWriter<byte>(64);
                }

                var first = keys?.FindFirst(key) ?? FindFirstRow(table, batch, key, builder!, row!, probe!);
                for (var index = first; index >= 0 && index < batch.Length; index++)
                {
                    if (index > first && !(keys is null ? KeyAt(table, batch, index, builder!, row!, probe!) : keys.KeyAt(index)).SequenceEqual(key))
                    {
                        break;
                    }

                    reader ??= cached?.ReaderFor(table) ?? CachedRowReader.TryCreate(batch, table)
                        ?? throw new InvalidDataException($"Row group {g} of segment {entry.Id} does not match the layout of table {table.TableId}.");
                    var seq = reader.SeqAt(index);
                    if (seq > snapshot)
                    {
                        continue;
                    }

                    if (!found || seq > newestSeq)
                    {
                        found = true;
                        newestSeq = seq;
                        newest = reader.IsDeletedAt(index) ? null : reader.Encode(index);
                    }

                    break;
                }
            }
        }

        return (newest, false, newestSeq);
    }

    /// <summary>The first row group whose max key is at or above <paramref name="key"/> (groups in key order).</summary>
    private static int FirstGroupReaching(IReadOnlyList<RowGroupRange> groups, byte[] key)
    {
        int low = 0, high = groups.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (key.AsSpan().SequenceCompareTo(groups[mid].MaxKey) > 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>
    /// Binary search of a decoded row group (rows in key order, versions of a key newest first) for the first
    /// row of a shard key; -1 when the group has none.
    /// </summary>
    private static int FindFirstRow(TableLayout table, RecordBatch batch, byte[] key, RowBuilder builder, ArrayBufferWriter<byte> row, ArrayBufferWriter<byte> probe)
    {
        int low = 0, high = batch.Length;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (KeyAt(table, batch, mid, builder, row, probe).SequenceCompareTo(key) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low < batch.Length && KeyAt(table, batch, low, builder, row, probe).SequenceEqual(key) ? low : -1;
    }

    /// <summary>The shard key of one row of a decoded row group, valid until <paramref name="probe"/> is written again.</summary>
    private static ReadOnlySpan<byte> KeyAt(TableLayout table, RecordBatch batch, int index, RowBuilder builder, ArrayBufferWriter<byte> row, ArrayBufferWriter<byte> probe)
    {
        row.ResetWrittenCount();
        probe.ResetWrittenCount();
        table.Codec.EncodeFromArrow(batch, index, builder, row);
        table.Codec.WriteKey(row.WrittenSpan, probe);
        return probe.WrittenSpan;
    }

    /// <summary>Decodes one whole row group of a segment (every column), or null when it has no rows.</summary>
    private async Task<RecordBatch?> ReadRowGroupAsync(SegmentEntry entry, int group, CancellationToken cancellationToken)
    {
        if (_tiering is not null || entry.Location != SegmentLocation.Local)
        {
            var opened = await OpenSegmentAsync(entry, cancellationToken).ConfigureAwait(false);
            await using (opened.ConfigureAwait(false))
            {
                return await opened.ReadRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
            }
        }

        // Local segments: a pooled reader skips opening the file and parsing its footer on every cache miss.
        var reader = _readerPool.TryRent(entry.Id) ?? await OpenSegmentAsync(entry, cancellationToken).ConfigureAwait(false);
        var reusable = false;
        try
        {
            var batch = await reader.ReadRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
            reusable = true;
            return batch;
        }
        finally
        {
            if (!reusable || !_readerPool.Return(entry.Id, reader))
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (Interlocked.Increment(ref _readerPoolReturns) % ReaderPoolSweepInterval == 0)
            {
                await CloseReadersAsync(_readerPool.Sweep(id => _manifest.Find(id) is not null)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Gives a scan's reader back to the pool, or closes it when the pool is full.</summary>
    private async ValueTask ReturnReaderAsync(Guid segment, SegmentReader reader)
    {
        if (!_readerPool.Return(segment, reader))
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref _readerPoolReturns) % ReaderPoolSweepInterval == 0)
        {
            await CloseReadersAsync(_readerPool.Sweep(id => _manifest.Find(id) is not null)).ConfigureAwait(false);
        }
    }

    /// <summary>How many pooled-reader uses pass between sweeps for readers of segments that compaction or retention removed.</summary>
    private const int ReaderPoolSweepInterval = 1024;

    // A few readers per segment serve concurrent lookups; the total bounds open file handles.
    private readonly SegmentReaderPool _readerPool = new(perSegment: 4, capacity: 256);
    private long _readerPoolReturns;

    /// <summary>Closes readers taken out of the pool.</summary>
    private static async Task CloseReadersAsync(List<SegmentReader> readers)
    {
        foreach (var reader in readers)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The current view and the snapshot to read it at, checked against what flushes have kept.</summary>
    private (ShardView View, ulong Snapshot) Resolve(ulong snapshotSeq)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // No lock: the visible seq first, then the view. Commits apply to the active memtable before the seq moves
        // and a flush swaps views without losing rows, so a view read after the seq holds every commit up to it.
        var visible = Volatile.Read(ref _visibleSeq);
        var view = _view;
        var snapshot = Math.Min(snapshotSeq, visible);
        if (snapshot < view.OldestSnapshot)
        {
            // Maybe a flush between the two reads: decide on the pair as it was published.
            lock (_applyLock)
            {
                view = _view;
                visible = _visibleSeq;
            }

            snapshot = Math.Min(snapshotSeq, visible);
            if (snapshot < view.OldestSnapshot)
            {
                throw new SnapshotTooOldException(snapshot, view.OldestSnapshot);
            }
        }

        return (view, snapshot);
    }

    /// <summary>
    /// A newer view for a read whose view named a segment that compaction or retention removed before the read
    /// opened it. Compaction keeps every version a snapshot at or above the oldest one may see, so the same
    /// snapshot reads the same rows from the newer view.
    /// </summary>
    private ShardView RetryView(ulong snapshot, int attempt)
    {
        if (attempt >= MaxViewRetries)
        {
            throw new InvalidOperationException("Segments kept being removed while the read opened them.");
        }

        ShardView view;
        lock (_applyLock)
        {
            view = _view;
        }

        return snapshot < view.OldestSnapshot ? throw new SnapshotTooOldException(snapshot, view.OldestSnapshot) : view;
    }

    /// <summary>
    /// A version source per segment of <paramref name="view"/> that may hold keys of <paramref name="keys"/> and
    /// times of <paramref name="keyFilter"/>'s range (set only for tables with the time in the key, see
    /// <see cref="TableLayout.TimeInKey"/>), whose row groups outside it are skipped too; null when one of the
    /// segments has left the manifest since the view was taken (the caller retries on a newer view). Rows that
    /// fail <paramref name="keyFilter"/> never enter the merge.
    /// </summary>
    private async Task<List<VersionSource>?> OpenSegmentSourcesAsync(
        ShardView view, TableLayout table, KeyRange keys, ulong snapshot, IReadOnlyCollection<int>? rowColumns,
        KeyColumnFilter? keyFilter, CancellationToken cancellationToken)
    {
        var sources = new List<VersionSource>();
        try
        {
            foreach (var entry in SegmentsOf(view, table, keys, keyFilter?.Time))
            {
                // Local segments: a pooled reader skips opening the file and parsing its footer on every scan.
                var pooled = _tiering is null && entry.Location == SegmentLocation.Local;
                SegmentReader reader;
                try
                {
                    reader = (pooled ? _readerPool.TryRent(entry.Id) : null) ?? await OpenSegmentAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (IsMissing(error) && _manifest.Find(entry.Id) is null)
                {
                    await DisposeAllAsync(sources).ConfigureAwait(false);
                    return null;
                }

                if (_columnCache is not null)
                {
                    reader.UseColumnCache(_columnCache, entry.Id);
                }

                var id = entry.Id;
                sources.Add(new SegmentVersionSource(
                    reader, table, keys, snapshot, cancellationToken, stopAtGroups: true, pooled ? r => ReturnReaderAsync(id, r) : null, rowColumns)
                {
                    KeyFilter = keyFilter,
                });
            }

            return sources;
        }
        catch
        {
            await DisposeAllAsync(sources).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether opening a segment failed because its bytes are gone (then the caller checks the manifest).</summary>
    private static bool IsMissing(Exception error) =>
        error is FileNotFoundException or DirectoryNotFoundException
        || (error is ObjectStoreException { Kind: ObjectStoreErrorKind.NotFound });

    private static async ValueTask DisposeAllAsync(List<VersionSource> sources)
    {
        foreach (var source in sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IEnumerable<SegmentEntry> SegmentsOf(ShardView view, TableLayout table, KeyRange keys, TimeRange? time = null)
    {
        var scan = new SegmentScan { Keys = keys, Time = time };
        return view.Segments.Where(e => e.Descriptor.MinKey.AsSpan().StartsWith(table.KeyPrefix) && e.Descriptor.MayMatch(scan));
    }

    private Task<SegmentReader> OpenSegmentAsync(SegmentEntry entry, CancellationToken cancellationToken)
    {
        if (_tiering is not null)
        {
            return _tiering.OpenAsync(entry, cancellationToken);
        }

        if (entry.Location != SegmentLocation.Local)
        {
            throw new InvalidOperationException($"Segment {entry.Id} is cold and the shard has no object store to read it from.");
        }

        return SegmentReader.OpenAsync(Path.Combine(_segmentDirectory, entry.Descriptor.FileName), cancellationToken);
    }
}
