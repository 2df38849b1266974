using System.Buffers;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>Snapshot reads: point lookups and scans merging memtables and segments.</content>
public sealed partial class Shard
{
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

        // Every key of the table extends its prefix by whole elements, whose tags are below 0xFF.
        var keys = new KeyRange(key, [.. key, 0xFF]);
        var versions = new List<RowVersion>(2);
        CollectFromMemtables(view, keys, snapshot, versions);

        // Memtables hold only commits above the flushed seq and segments only commits at or below it, so a
        // version found in memory is newer than anything on disk: no segment needs opening.
        if (!versions.Exists(v => v.Key.AsSpan().SequenceEqual(key)))
        {
            foreach (var entry in SegmentsOf(view, table, keys))
            {
                await ReadSegmentAsync(entry, table, keys, snapshot, versions, cancellationToken).ConfigureAwait(false);
            }
        }

        RowVersion? newest = null;
        foreach (var version in versions)
        {
            if (version.Key.AsSpan().SequenceEqual(key) && (newest is null || version.Seq > newest.Value.Seq))
            {
                newest = version;
            }
        }

        return newest?.Row;
    }

    /// <summary>
    /// The rows of <paramref name="table"/> visible at <paramref name="snapshotSeq"/>, in primary-key order, as
    /// Arrow batches of the table's columns (or <see cref="SegmentScan.Columns"/>). Key ranges in
    /// <paramref name="scan"/> are primary keys without table prefix. Time and predicates are applied after
    /// versions are resolved, so an older version never shows through a newer one that fails the filter.
    /// </summary>
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
        var keys = new KeyRange(
            scan.Keys?.Lower is { } lower ? table.ShardKey(lower) : table.KeyPrefix,
            scan.Keys?.Upper is { } upper ? table.ShardKey(upper) : table.KeyEnd);

        var versions = new List<RowVersion>();
        CollectFromMemtables(view, keys, snapshot, versions);
        foreach (var entry in SegmentsOf(view, table, keys))
        {
            await ReadSegmentAsync(entry, table, keys, snapshot, versions, cancellationToken).ConfigureAwait(false);
        }

        versions.Sort(RowVersion.Compare);
        var builder = new RowBatchBuilder(table, withSystemColumns: false);
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            if (i > 0 && versions[i - 1].Key.AsSpan().SequenceEqual(version.Key))
            {
                continue;
            }

            if (version.Row is not { } row || !ShardRowFilter.Matches(table, row, scan.Time, predicates))
            {
                continue;
            }

            builder.Append(row);
            if (builder.Count == _options.ScanBatchRows)
            {
                yield return Project(builder.Build(), projection);
            }
        }

        if (builder.Count > 0)
        {
            yield return Project(builder.Build(), projection);
        }
    }

    /// <summary>The current view and the snapshot to read it at, checked against what flushes have kept.</summary>
    private (ShardView View, ulong Snapshot) Resolve(ulong snapshotSeq)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ShardView view;
        ulong visible;
        lock (_applyLock)
        {
            view = _view;
            visible = _visibleSeq;
        }

        var snapshot = Math.Min(snapshotSeq, visible);
        if (snapshot < view.OldestSnapshot)
        {
            throw new SnapshotTooOldException(snapshot, view.OldestSnapshot);
        }

        return (view, snapshot);
    }

    private static void CollectFromMemtables(ShardView view, KeyRange keys, ulong snapshot, List<RowVersion> versions)
    {
        Collect(view.Active, keys, snapshot, versions);
        foreach (var frozen in view.Frozen)
        {
            Collect(frozen.Memtable, keys, snapshot, versions);
        }

        static void Collect(RowMemtable memtable, KeyRange keys, ulong snapshot, List<RowVersion> versions)
        {
            var cursor = memtable.Scan(keys.Lower, keys.Upper, snapshot, includeTombstones: true);
            while (cursor.MoveNext())
            {
                versions.Add(new RowVersion(cursor.Key.ToArray(), cursor.Seq, cursor.IsTombstone ? null : cursor.Value.ToArray()));
            }
        }
    }

    private static IEnumerable<SegmentEntry> SegmentsOf(ShardView view, TableLayout table, KeyRange keys)
    {
        var scan = new SegmentScan { Keys = keys };
        return view.Segments.Where(e => e.Descriptor.MinKey.AsSpan().StartsWith(table.KeyPrefix) && e.Descriptor.MayMatch(scan));
    }

    /// <summary>Adds the versions a segment holds in the key range, at or below the snapshot.</summary>
    private async Task ReadSegmentAsync(
        SegmentEntry entry, TableLayout table, KeyRange keys, ulong snapshot, List<RowVersion> versions, CancellationToken cancellationToken)
    {
        var reader = await OpenSegmentAsync(entry, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var columns = table.Columns.Count;
            var builder = new RowBuilder(table);
            var row = new ArrayBufferWriter<byte>(256);
            var key = new ArrayBufferWriter<byte>(64);
            await foreach (var batch in reader.ScanAsync(new SegmentScan { Keys = keys }, cancellationToken).ConfigureAwait(false))
            {
                var seqs = (UInt64Array)batch.Column(columns + 1);
                var deleted = (BooleanArray)batch.Column(columns + 2);
                for (var i = 0; i < batch.Length; i++)
                {
                    var seq = seqs.Values[i];
                    if (seq > snapshot)
                    {
                        continue;
                    }

                    row.ResetWrittenCount();
                    key.ResetWrittenCount();
                    table.Codec.EncodeFromArrow(batch, i, builder, row);
                    table.Codec.WriteKey(row.WrittenSpan, key);
                    var isDeleted = deleted.GetValue(i) == true;
                    versions.Add(new RowVersion(key.WrittenSpan.ToArray(), seq, isDeleted ? null : row.WrittenSpan.ToArray()));
                }
            }
        }
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

    private static RecordBatch Project(RecordBatch batch, int[]? projection)
    {
        if (projection is null)
        {
            return batch;
        }

        var fields = projection.Select(i => batch.Schema.FieldsList[i]);
        var arrays = projection.Select(i => batch.Column(i));
        return new RecordBatch(new Schema(fields, metadata: null), arrays, batch.Length);
    }
}
