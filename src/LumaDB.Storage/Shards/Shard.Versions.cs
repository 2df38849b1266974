using System.Buffers;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>What transactions need on top of snapshot reads: conflict checks and reads merged with uncommitted writes.</content>
public sealed partial class Shard
{
    /// <summary>
    /// Whether the key has a committed version (row or tombstone) with a seq above <paramref name="seq"/>.
    /// Memtables answer most calls; segments are read only when a flush has passed <paramref name="seq"/>, and
    /// then only those whose key range can hold the key.
    /// </summary>
    public async ValueTask<bool> HasVersionAfterAsync(TableLayout table, ReadOnlyMemory<byte> primaryKey, ulong seq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ShardView view;
        lock (_applyLock)
        {
            view = _view;
        }

        var key = table.ShardKey(primaryKey.Span);
        if (NewestSeqIn(view.Active, key) > seq)
        {
            return true;
        }

        foreach (var frozen in view.Frozen)
        {
            if (NewestSeqIn(frozen.Memtable, key) > seq)
            {
                return true;
            }
        }

        // Segments hold only commits at or below the last flushed seq.
        if (view.FlushedSeq <= seq)
        {
            return false;
        }

        for (var attempt = 0; ; attempt++)
        {
            var (_, removed, newest) = await LookUpSegmentsAsync(view, table, key, ulong.MaxValue, cancellationToken).ConfigureAwait(false);
            if (!removed)
            {
                return newest > seq;
            }

            // A segment left the manifest under the read (compaction or tiering): look again at the newer view.
            view = RetryView(ulong.MaxValue, attempt);
        }
    }

    /// <summary>
    /// Like <see cref="ScanAsync(TableLayout, SegmentScan?, ulong, CancellationToken)"/>, with uncommitted writes laid over
    /// the snapshot: <paramref name="overlay"/> holds primary keys (without table prefix) in ascending order,
    /// each with its row or null for a delete, and wins over the committed version of the same key. With
    /// <paramref name="overlayOnly"/> the committed rows are hidden (a table truncated or created by the writer).
    /// </summary>
    public async IAsyncEnumerable<RecordBatch> ScanAsync(
        TableLayout table,
        SegmentScan? scan,
        ulong snapshotSeq,
        IReadOnlyList<KeyValuePair<byte[], byte[]?>> overlay,
        bool overlayOnly,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(overlay);
        scan ??= SegmentScan.All;
        var projection = scan.Columns?.Select(name => table.IndexOf(name) is var i && i >= 0 ? i
            : throw new ArgumentException($"No column named '{name}'.", nameof(scan))).ToArray();
        var predicates = scan.Predicates.Select(p => (Column: table.IndexOf(p.Column) is var i && i >= 0 ? i
            : throw new ArgumentException($"No column named '{p.Column}'.", nameof(scan)), Predicate: p)).ToArray();
        using var builder = new RowBatchBuilder(table, projection);
        var next = 0;

        if (!overlayOnly)
        {
            // Full rows: the key of each committed row is needed to merge, so projection waits until the end.
            var full = new SegmentScan { Keys = scan.Keys, Time = scan.Time, Predicates = scan.Predicates };
            var rowBuilder = new RowBuilder(table);
            var row = new ArrayBufferWriter<byte>(256);
            var key = new ArrayBufferWriter<byte>(64);
            var prefix = table.KeyPrefix.Length;
            await foreach (var batch in ScanAsync(table, full, snapshotSeq, cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    row.ResetWrittenCount();
                    key.ResetWrittenCount();
                    table.Codec.EncodeFromArrow(batch, i, rowBuilder, row);
                    table.Codec.WriteKey(row.WrittenSpan, key);
                    var primaryKey = key.WrittenMemory[prefix..];
                    var shadowed = false;
                    while (next < overlay.Count)
                    {
                        var order = overlay[next].Key.AsSpan().SequenceCompareTo(primaryKey.Span);
                        if (order > 0)
                        {
                            break;
                        }

                        shadowed = order == 0;
                        if (TakeOverlay(overlay[next], table, scan, predicates, builder) && builder.Count == _options.ScanBatchRows)
                        {
                            yield return builder.Build();
                        }

                        next++;
                    }

                    if (!shadowed)
                    {
                        builder.Append(row.WrittenSpan);
                        if (builder.Count == _options.ScanBatchRows)
                        {
                            yield return builder.Build();
                        }
                    }
                }
            }
        }

        for (; next < overlay.Count; next++)
        {
            if (TakeOverlay(overlay[next], table, scan, predicates, builder) && builder.Count == _options.ScanBatchRows)
            {
                yield return builder.Build();
            }
        }

        if (builder.Count > 0)
        {
            yield return builder.Build();
        }
    }

    /// <summary>The rows of <paramref name="table"/> visible at <paramref name="snapshotSeq"/>, in primary-key order, in <see cref="RowCodec"/> form.</summary>
    public async IAsyncEnumerable<byte[]> ScanRowsAsync(TableLayout table, ulong snapshotSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rowBuilder = new RowBuilder(table);
        var row = new ArrayBufferWriter<byte>(256);
        await foreach (var batch in ScanAsync(table, SegmentScan.All, snapshotSeq, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                row.ResetWrittenCount();
                table.Codec.EncodeFromArrow(batch, i, rowBuilder, row);
                yield return row.WrittenSpan.ToArray();
            }
        }
    }

    /// <summary>The primary key (without table prefix) of a row in <see cref="RowCodec"/> form.</summary>
    public static byte[] PrimaryKeyOf(TableLayout table, ReadOnlySpan<byte> row)
    {
        ArgumentNullException.ThrowIfNull(table);
        var key = new ArrayBufferWriter<byte>(64);
        table.Codec.WriteKey(row, key);
        return key.WrittenSpan[table.KeyPrefix.Length..].ToArray();
    }

    private static bool TakeOverlay(
        KeyValuePair<byte[], byte[]?> write, TableLayout table, SegmentScan scan, (int Column, ColumnPredicate Predicate)[] predicates, RowBatchBuilder builder)
    {
        if (write.Value is not { } row || (scan.Keys is { } keys && !keys.Contains(write.Key))
            || !ShardRowFilter.Matches(table, row, scan.Time, predicates))
        {
            return false;
        }

        builder.Append(row);
        return true;
    }

    private static ulong NewestSeqIn(Memtables.RowMemtable memtable, byte[] key)
    {
        if (!memtable.MayHold(key))
        {
            return 0;
        }

        var cursor = memtable.Scan(key, [.. key, 0xFF], ulong.MaxValue, includeTombstones: true);
        while (cursor.MoveNext())
        {
            if (cursor.Key.SequenceEqual(key))
            {
                return cursor.Seq;
            }
        }

        return 0;
    }
}
