using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Parquet;

namespace LumaDB.Storage.Segments;

/// <summary>
/// Reads a segment file as Arrow batches, one per row group read. Time-range, key-range and column predicates
/// first skip whole row groups by the statistics in the footer; in the row groups that are read, rows are then
/// filtered exactly. Counters of row groups read and skipped make the pruning observable. Scans of one reader
/// share its file position, so run them one at a time; open another reader for a concurrent scan.
/// </summary>
public sealed class SegmentReader : IAsyncDisposable
{
    private readonly ParquetReader _parquet;
    private readonly Stream _file;
    private readonly SegmentFooter _footer;
    private long _rowGroupsRead;
    private long _rowGroupsSkipped;
    private DecodedColumnCache? _columnCache;
    private Guid _segmentId;

    private SegmentReader(ParquetReader parquet, Stream file, SegmentSchema schema, SegmentFooter footer)
    {
        _parquet = parquet;
        _file = file;
        _footer = footer;
        Schema = schema;
    }

    /// <summary>The segment's schema, with its key and time columns.</summary>
    public SegmentSchema Schema { get; }

    /// <summary>Bounds of each row group, in file order.</summary>
    public IReadOnlyList<RowGroupRange> RowGroups => _footer.RowGroups.Select(g => g.Range).ToArray();

    /// <summary>Rows in the segment.</summary>
    public long RowCount => _footer.RowGroups.Sum(g => g.Range.RowCount);

    /// <summary>Row groups decoded by scans of this reader so far.</summary>
    public long RowGroupsRead => Interlocked.Read(ref _rowGroupsRead);

    /// <summary>Row groups scans of this reader skipped by their statistics so far.</summary>
    public long RowGroupsSkipped => Interlocked.Read(ref _rowGroupsSkipped);

    /// <summary>Opens a segment file.</summary>
    public static async Task<SegmentReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        try
        {
            return await OpenAsync(stream, leaveOpen: false, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a segment from a readable, seekable stream.</summary>
    public static async Task<SegmentReader> OpenAsync(Stream stream, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        var parquet = await ParquetReader.CreateAsync(stream, null, leaveOpen, cancellationToken);
        try
        {
            if (!parquet.CustomMetadata.TryGetValue(SegmentFooter.MetadataKey, out var encoded))
            {
                throw new InvalidDataException("Not a LumaDB segment: the Parquet footer has no segment metadata.");
            }

            var (footer, rest) = SegmentFooter.DecodeHeader(encoded);
            using (rest)
            {
                var int64Timestamps = parquet.CustomMetadata.TryGetValue(SegmentFooter.Int64TimestampsKey, out var names)
                    ? names.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                    : [];
                var binaryText = parquet.CustomMetadata.TryGetValue(SegmentFooter.BinaryTextKey, out var texts)
                    ? texts.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ColumnPosition).ToHashSet()
                    : [];
                var schema = SegmentSchema.FromParquet(parquet.Schema, footer.KeyColumns, footer.TimeColumn, int64Timestamps, binaryText);
                footer.DecodeRowGroups(rest, schema);
                if (footer.RowGroups.Count != parquet.RowGroupCount)
                {
                    throw new InvalidDataException(
                        $"Segment footer describes {footer.RowGroups.Count} row groups; the file has {parquet.RowGroupCount}.");
                }

                return new SegmentReader(parquet, stream, schema, footer);
            }
        }
        catch
        {
            await parquet.DisposeAsync();
            throw;
        }
    }

    private static int ColumnPosition(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new InvalidDataException($"Segment footer entry {SegmentFooter.BinaryTextKey} holds '{text}', not a column position.");

    /// <summary>Streams the rows <paramref name="scan"/> asks for, one batch per row group that has any.</summary>
    public async IAsyncEnumerable<RecordBatch> ScanAsync(SegmentScan? scan = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        scan ??= SegmentScan.All;
        var plan = ScanPlan.Create(Schema, scan);
        var vectors = new ColumnVector?[Schema.Columns.Count];
        foreach (var index in plan.NeededColumns)
        {
            vectors[index] = ColumnVector.Create(Schema.Columns[index]);
        }

        var keyBuffer = new ArrayBufferWriter<byte>(64);
        try
        {
            for (var g = 0; g < _footer.RowGroups.Count; g++)
            {
                var group = _footer.RowGroups[g];
                if (!plan.MayMatch(Schema, group))
                {
                    Interlocked.Increment(ref _rowGroupsSkipped);
                    continue;
                }

                Interlocked.Increment(ref _rowGroupsRead);
                var rows = checked((int)group.Range.RowCount);
                using (var reader = OpenRowGroup(g))
                {
                    foreach (var index in plan.NeededColumns)
                    {
                        await vectors[index]!.ReadAsync(reader, rows, cancellationToken);
                    }
                }

                var batch = Select(plan, group, vectors, rows, keyBuffer, null);
                if (batch is not null)
                {
                    yield return batch;
                }
            }
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector?.Dispose();
            }
        }
    }

    /// <summary>
    /// Decodes one row group whole (every column), or null when it has no rows. Versions of one key may span
    /// neighbouring row groups, so a key range cannot select exactly one group; this reads it by index.
    /// </summary>
    public async Task<RecordBatch?> ReadRowGroupAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _footer.RowGroups.Count);
        var plan = ScanPlan.Create(Schema, SegmentScan.All);
        var vectors = new ColumnVector?[Schema.Columns.Count];
        try
        {
            foreach (var column in plan.NeededColumns)
            {
                vectors[column] = ColumnVector.Create(Schema.Columns[column]);
            }

            var group = _footer.RowGroups[index];
            Interlocked.Increment(ref _rowGroupsRead);
            var rows = checked((int)group.Range.RowCount);
            using (var reader = OpenRowGroup(index))
            {
                foreach (var column in plan.NeededColumns)
                {
                    await vectors[column]!.ReadAsync(reader, rows, cancellationToken);
                }
            }

            return Select(plan, group, vectors, rows, new ArrayBufferWriter<byte>(64), null);
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector?.Dispose();
            }
        }
    }

    private RowGroupColumns OpenRowGroup(int index) => new(_parquet.OpenRowGroupReader(index), _file);

    /// <summary>The footer entries of the row groups, in file order.</summary>
    internal IReadOnlyList<RowGroupFooter> RowGroupFooters => _footer.RowGroups;

    /// <summary>Lets <see cref="ReadVisibleRowsAsync"/> take decoded columns from, and add them to, <paramref name="cache"/> under the segment's id.</summary>
    internal void UseColumnCache(DecodedColumnCache cache, Guid segmentId)
    {
        _columnCache = cache;
        _segmentId = segmentId;
    }

    /// <summary>
    /// Decodes the columns <paramref name="columns"/> of row group <paramref name="index"/> into
    /// <paramref name="used"/>: from the column cache when there is one (decoding and adding what it lacks; the
    /// row group is opened only then), else into the reusable <paramref name="scratch"/> vectors.
    /// </summary>
    private async ValueTask DecodeColumnsAsync(int index, int rows, IEnumerable<int> columns, ColumnVector?[] used, ColumnVector?[] scratch, CancellationToken cancellationToken)
    {
        List<int>? missing = null;
        foreach (var column in columns)
        {
            if (used[column] is not null)
            {
                continue;
            }

            if (_columnCache?.TryGet(_segmentId, index, column) is { } cached)
            {
                used[column] = cached;
            }
            else
            {
                (missing ??= []).Add(column);
            }
        }

        if (missing is null)
        {
            return;
        }

        using var reader = OpenRowGroup(index);
        foreach (var column in missing)
        {
            if (_columnCache is { } cache)
            {
                // A cached vector is never reused or returned to the pool, so it is a fresh one.
                var fresh = ColumnVector.Create(Schema.Columns[column]);
                await fresh.ReadAsync(reader, rows, cancellationToken);
                fresh.ReleaseScratch();
                fresh.IsShared = true;
                cache.Add(_segmentId, index, column, fresh);
                used[column] = fresh;
            }
            else
            {
                var vector = scratch[column] ??= ColumnVector.Create(Schema.Columns[column]);
                await vector.ReadAsync(reader, rows, cancellationToken);
                used[column] = vector;
            }
        }
    }

    /// <summary>Resolves a scan against this segment's schema, once for many row groups.</summary>
    internal ScanPlan CreatePlan(SegmentScan scan) => ScanPlan.Create(Schema, scan);

    /// <summary>A plan whose batches are views of the decoded vectors where it can (see <see cref="ScanPlan.BorrowVectors"/>).</summary>
    internal ScanPlan CreateBorrowingPlan(SegmentScan scan) => ScanPlan.Create(Schema, scan, borrowVectors: true);

    /// <summary>
    /// Decodes one row group for <paramref name="plan"/> (its key range, time and predicates filter rows exactly),
    /// or null when no row survives. <paramref name="vectors"/> (one slot per schema column) is reused across calls.
    /// </summary>
    internal async Task<RecordBatch?> ReadRowGroupAsync(int index, ScanPlan plan, ColumnVector?[] vectors, ArrayBufferWriter<byte> keyBuffer, CancellationToken cancellationToken)
    {
        var group = _footer.RowGroups[index];
        Interlocked.Increment(ref _rowGroupsRead);
        var rows = checked((int)group.Range.RowCount);
        using (var reader = OpenRowGroup(index))
        {
            foreach (var column in plan.NeededColumns)
            {
                await (vectors[column] ??= ColumnVector.Create(Schema.Columns[column])).ReadAsync(reader, rows, cancellationToken);
            }
        }

        return Select(plan, group, vectors, rows, keyBuffer, null);
    }

    /// <summary>
    /// Decodes one row group and keeps the rows a snapshot sees: per key (rows in key order, versions newest
    /// first) the first version at or below <paramref name="snapshot"/>, unless it is a tombstone; then the
    /// plan's time range and predicates. Only right when no other source holds versions of the group's keys and
    /// the group's last key does not continue into the next group. Returns null when no row survives, also
    /// when the group's statistics rule out every row (then nothing is decoded).
    /// </summary>
    internal async Task<RecordBatch?> ReadVisibleRowsAsync(
        int index, ScanPlan plan, int seqColumn, int deletedColumn, ulong snapshot, ColumnVector?[] vectors, CancellationToken cancellationToken)
    {
        var group = _footer.RowGroups[index];
        if (!plan.MayMatch(Schema, group))
        {
            Interlocked.Increment(ref _rowGroupsSkipped);
            return null;
        }

        Interlocked.Increment(ref _rowGroupsRead);
        var rows = checked((int)group.Range.RowCount);

        // The footer statistics spare decoding what cannot matter: a key column holding one value throughout (the
        // table id) never separates keys, a group without tombstones needs no tombstone column, and one whose
        // newest version is at or below the snapshot needs no seq column.
        var seqStats = group.Columns[seqColumn];
        var readSeqs = !(seqStats is { HasRange: true, NullCount: 0 } && (ulong)(seqStats.MaxInteger ^ long.MinValue) <= snapshot);
        var deletedStats = group.Columns[deletedColumn];
        var readDeleted = !(deletedStats is { HasRange: true, NullCount: 0, MaxInteger: 0 });

        // Every version visible, no tombstone and (as an earlier scan found) one version per key: every row is
        // the one its key shows, so the keys need not be compared.
        var allVisible = !readSeqs && !readDeleted;
        if (allVisible && _columnCache is { } facts && facts.KeysDistinct(_segmentId, index))
        {
            var needed = new ColumnVector?[vectors.Length];
            await DecodeColumnsAsync(index, rows, plan.NeededColumns, needed, vectors, cancellationToken);
            return Select(plan, group, needed, rows, new ArrayBufferWriter<byte>(1), null);
        }

        var keyColumns = Schema.KeyColumns.Where(c => !IsConstant(group.Columns[c], Schema.Columns[c])).ToArray();
        var wanted = new List<int>(plan.NeededColumns);
        wanted.AddRange(keyColumns);
        if (readSeqs)
        {
            wanted.Add(seqColumn);
        }

        if (readDeleted)
        {
            wanted.Add(deletedColumn);
        }

        var scratch = vectors;
        vectors = new ColumnVector?[scratch.Length];
        await DecodeColumnsAsync(index, rows, wanted, vectors, scratch, cancellationToken);

        var mask = ArrayPool<bool>.Shared.Rent(rows);
        var changed = ArrayPool<bool>.Shared.Rent(rows);
        try
        {
            var newKey = changed.AsSpan(0, rows);
            newKey.Clear();
            if (rows > 0)
            {
                newKey[0] = true;
            }

            foreach (var column in keyColumns)
            {
                vectors[column]!.MarkChanges(newKey);
            }

            if (allVisible && rows > 0 && _columnCache is { } cache && !newKey[1..].Contains(false))
            {
                cache.MarkKeysDistinct(_segmentId, index);
            }

            var seqs = readSeqs ? ((NumericColumnVector<ulong>)vectors[seqColumn]!).Values : default;
            var deleted = readDeleted ? ((BooleanColumnVector)vectors[deletedColumn]!).Values : default;
            var keep = mask.AsSpan(0, rows);
            var taken = false;
            for (var i = 0; i < rows; i++)
            {
                taken &= !newKey[i];
                if (!taken && (!readSeqs || seqs[i] <= snapshot))
                {
                    taken = true;
                    keep[i] = !readDeleted || !deleted[i];
                }
                else
                {
                    keep[i] = false;
                }
            }

            return Select(plan, group, vectors, rows, new ArrayBufferWriter<byte>(1), mask);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(mask);
            ArrayPool<bool>.Shared.Return(changed);
        }
    }

    /// <summary>Whether the statistics prove an integer-like column holds one non-null value in the whole group.</summary>
    private static bool IsConstant(ColumnStatistics statistics, SegmentColumn column) =>
        column.IsInteger && statistics is { HasRange: true, NullCount: 0 } && statistics.MinInteger == statistics.MaxInteger;

    /// <summary>
    /// Filters the decoded row group into a selection vector and gathers the survivors; null when none survive.
    /// Rows an <paramref name="initial"/> mask rules out (false), the time range and the key range narrow a mask
    /// first (row checks, only where the statistics do not settle them); the pushed predicates and the top-k
    /// bound then run as kernels that produce or narrow the selection, the first over every row when nothing
    /// narrowed it before. <paramref name="initial"/> may be overwritten.
    /// </summary>
    private RecordBatch? Select(ScanPlan plan, RowGroupFooter group, ColumnVector?[] vectors, int rows, ArrayBufferWriter<byte> keyBuffer, bool[]? initial)
    {
        var selection = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        bool[]? rented = null;
        try
        {
            var range = group.Range;
            // A row group wholly inside the range needs no row check, unless some of its times are null.
            var checkTime = plan.Time is { } time && !(range.MinTimeMicros is { } min && range.MaxTimeMicros is { } max && time.Covers(min, max)
                && group.Columns[Schema.TimeColumn].NullCount == 0);
            var checkKeys = plan.Keys is not null && !plan.Keys.Covers(range.MinKey, range.MaxKey);
            var mask = initial;
            if (mask is null && (checkTime || checkKeys))
            {
                mask = rented = ArrayPool<bool>.Shared.Rent(rows);
                mask.AsSpan(0, rows).Fill(true);
            }

            if (checkTime)
            {
                var keep = mask.AsSpan(0, rows);
                var times = (TimestampColumnVector)vectors[Schema.TimeColumn]!;
                var values = times.Values;
                var within = plan.Time!.Value;
                for (var i = 0; i < rows; i++)
                {
                    keep[i] = keep[i] && times.IsValid(i) && within.Contains(values[i]);
                }
            }

            if (checkKeys)
            {
                var keep = mask.AsSpan(0, rows);
                var wanted = plan.Keys!;
                for (var i = 0; i < rows; i++)
                {
                    if (!keep[i])
                    {
                        continue;
                    }

                    keyBuffer.ResetWrittenCount();
                    foreach (var index in Schema.KeyColumns)
                    {
                        vectors[index]!.AppendKey(i, keyBuffer);
                    }

                    keep[i] = wanted.Contains(keyBuffer.WrittenSpan);
                }
            }

            // "all": the selection is implicitly every row, until a kernel or the mask makes it explicit.
            var all = true;
            var count = rows;
            if (mask is not null)
            {
                count = 0;
                for (var i = 0; i < rows; i++)
                {
                    selection[count] = i;
                    count += mask[i] ? 1 : 0;
                }

                all = false;
            }

            foreach (var (column, predicate) in plan.Predicates)
            {
                if (count == 0)
                {
                    break;
                }

                count = vectors[column]!.Select(predicate, selection, count, all);
                all = false;
            }

            if (count > 0 && plan.Bound is { } bound && bound.Current is { } value)
            {
                count = vectors[plan.BoundColumn]!.SelectBound(bound, value, selection, count, all);
                all = false;
            }

            if (count == 0)
            {
                return null;
            }

            if (all)
            {
                SelectionKernels.All(selection, rows);
            }

            var chosen = selection.AsSpan(0, count);
            var arrays = new IArrowArray[plan.OutputColumns.Count];
            for (var c = 0; c < arrays.Length; c++)
            {
                var vector = vectors[plan.OutputColumns[c]]!;
                arrays[c] = plan.DictionaryText && vector is BytesColumnVector text && text.ToArrowDictionary(chosen) is { } coded
                    ? coded
                    : plan.BorrowVectors && count == rows && vector.ViewAsArrow(chosen) is { } view
                        ? view
                        : vector.ToArrow(chosen);
            }

            return new RecordBatch(plan.OutputSchema, arrays, count);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<bool>.Shared.Return(rented);
            }

            ArrayPool<int>.Shared.Return(selection);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _parquet.DisposeAsync();
}
