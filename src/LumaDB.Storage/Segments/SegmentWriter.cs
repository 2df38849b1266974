using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.IO;
using LumaDB.Storage.Segments.ParquetFormat;

namespace LumaDB.Storage.Segments;

/// <summary>
/// Writes immutable segment files: Parquet, row groups of a fixed row count, sorted by primary key, with
/// LumaDB's key/time/column statistics in the footer. A file appears under its final name only complete and
/// fsynced (temp name, fsync, rename, fsync directory), so a crash leaves at most a stray temp file.
/// </summary>
public sealed class SegmentWriter
{
    /// <summary>Suffix of files being written; anything with it after a restart is garbage.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Prefix of the system columns a shard adds (table id, commit seq, tombstone flag).</summary>
    private const string SystemColumnPrefix = "_luma_";

    private readonly string _directory;
    private readonly SegmentWriterOptions _options;

    /// <summary>Creates a writer of segments into <paramref name="directory"/> (created when missing).</summary>
    public SegmentWriter(string directory, SegmentWriterOptions? options = null)
    {
        _directory = directory;
        _options = options ?? new SegmentWriterOptions();
        if (_options.RowGroupSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RowGroupSize must be positive.");
        }

        Directory.CreateDirectory(directory);
    }

    /// <summary>Writes one segment from batches already sorted by <paramref name="schema"/>'s primary key.</summary>
    public Task<SegmentDescriptor> WriteAsync(SegmentSchema schema, IEnumerable<RecordBatch> batches, CancellationToken cancellationToken = default) =>
        WriteAsync(schema, ToAsync(batches), cancellationToken);

    /// <summary>Writes one segment from batches already sorted by <paramref name="schema"/>'s primary key.</summary>
    public async Task<SegmentDescriptor> WriteAsync(SegmentSchema schema, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken = default)
    {
        var batchRows = new BatchRowSource(batches, cancellationToken);
        await using (batchRows.ConfigureAwait(false))
        {
            return await WriteAsync(schema, batchRows, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A segment needs at least one row.");
        }
    }

    /// <summary>
    /// Writes one segment of the rows <paramref name="rows"/> gives, already sorted by <paramref name="schema"/>'s
    /// primary key; null, and no file, when it gives none.
    /// </summary>
    internal async Task<SegmentDescriptor?> WriteAsync(SegmentSchema schema, ISegmentRowSource rows, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7();
        var fileName = SegmentDescriptor.FileNameFor(id);
        var finalPath = Path.Combine(_directory, fileName);
        var tempPath = finalPath + TempSuffix;
        SegmentFooter? footer;
        try
        {
            await using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                footer = await WriteFileAsync(schema, rows, stream, cancellationToken);
                if (footer is not null)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            if (footer is null)
            {
                File.Delete(tempPath);
                return null;
            }

            DurableFile.Publish(tempPath, finalPath);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }

        var ranges = footer.RowGroups.Select(g => g.Range).ToArray();
        var times = ranges.Where(r => r.MinTimeMicros.HasValue).ToArray();
        return new SegmentDescriptor(
            id,
            fileName,
            ranges.Sum(r => r.RowCount),
            new FileInfo(finalPath).Length,
            await Crc32C.ComputeFileAsync(finalPath, cancellationToken),
            ranges[0].MinKey,
            ranges[^1].MaxKey,
            times.Length == 0 ? null : times.Min(r => r.MinTimeMicros!.Value),
            times.Length == 0 ? null : times.Max(r => r.MaxTimeMicros!.Value),
            ranges);
    }

    /// <summary>Writes the file; null when the source had no rows (the stream then holds nothing).</summary>
    private async Task<SegmentFooter?> WriteFileAsync(SegmentSchema schema, ISegmentRowSource source, Stream stream, CancellationToken cancellationToken)
    {
        var footer = new SegmentFooter
        {
            KeyColumns = schema.KeyColumns.Select(i => schema.Columns[i].Name).ToArray(),
            TimeColumn = schema.TimeColumn >= 0 ? schema.Columns[schema.TimeColumn].Name : null,
        };
        var ordered = schema.Columns.Select(c => IsOrdered(schema, c)).ToArray();
        var vectors = schema.Columns.Select(ColumnVector.Create).ToArray();
        var rows = new SegmentRowGroup(schema, vectors);
        var keyOrder = new KeyOrderCheck(_options.VerifyKeyOrder);
        try
        {
            using var writer = new ParquetFileWriter(stream, schema, _options.Compression, _options.CompressionLevel);
            while (true)
            {
                var added = await source.FillAsync(rows, _options.RowGroupSize - rows.Count, cancellationToken).ConfigureAwait(false);
                if (rows.Count > 0 && (added == 0 || rows.Count >= _options.RowGroupSize))
                {
                    rows.CheckComplete();
                    await FlushRowGroupAsync(schema, vectors, ordered, writer, footer, keyOrder, cancellationToken);
                }

                if (added == 0)
                {
                    break;
                }
            }

            if (footer.RowGroups.Count == 0)
            {
                return null;
            }

            var metadata = new Dictionary<string, string> { [SegmentFooter.MetadataKey] = footer.Encode(schema) };
            var int64Timestamps = schema.Columns.Where(c => c.Kind == SegmentColumnKind.TimestampMicros && !c.TimestampAsDateTime).Select(c => c.Name).ToArray();
            if (int64Timestamps.Length > 0)
            {
                metadata[SegmentFooter.Int64TimestampsKey] = string.Join(',', int64Timestamps);
            }

            await writer.FinishAsync(metadata, cancellationToken);
        }
        finally
        {
            foreach (var vector in vectors)
            {
                vector.Dispose();
            }
        }

        return footer;
    }

    private static async Task FlushRowGroupAsync(
        SegmentSchema schema, ColumnVector[] vectors, bool[] ordered, ParquetFileWriter writer, SegmentFooter footer, KeyOrderCheck keyOrder, CancellationToken cancellationToken)
    {
        var rows = vectors[0].Count;
        var (minKey, maxKey) = keyOrder.Scan(schema, vectors, rows);
        var stats = new ColumnStatistics[vectors.Length];
        writer.BeginRowGroup(rows);
        for (var c = 0; c < vectors.Length; c++)
        {
            // Statistics after encoding: a dictionary-encoded text column compares its distinct values only.
            vectors[c].Encode(writer.Chunk, ordered[c]);
            stats[c] = vectors[c].ComputeStatistics();
            await writer.WriteColumnChunkAsync(c, cancellationToken);
        }

        writer.EndRowGroup();
        long? minTime = null, maxTime = null;
        if (schema.TimeColumn >= 0 && stats[schema.TimeColumn].HasRange)
        {
            minTime = stats[schema.TimeColumn].MinInteger;
            maxTime = stats[schema.TimeColumn].MaxInteger;
        }

        footer.RowGroups.Add(new RowGroupFooter(new RowGroupRange(rows, minKey, maxKey, minTime, maxTime), stats));
        foreach (var vector in vectors)
        {
            vector.Clear();
        }
    }

    /// <summary>
    /// Key and time columns are sorted or nearly so, and the commit seq of the system column rises with time
    /// within a key: delta encoding turns them into a few bits per row. Parquet.Net reads TIMESTAMP columns of
    /// older segments (<see cref="SegmentColumn.TimestampAsDateTime"/>) only plain.
    /// </summary>
    private static bool IsOrdered(SegmentSchema schema, SegmentColumn column) =>
        !(column.Kind == SegmentColumnKind.TimestampMicros && column.TimestampAsDateTime)
        && (schema.KeyColumns.Contains(column.Index) || schema.TimeColumn == column.Index
        || column.Name.StartsWith(SystemColumnPrefix, StringComparison.Ordinal)
        || column.Kind == SegmentColumnKind.TimestampMicros);

    private static async IAsyncEnumerable<RecordBatch> ToAsync(IEnumerable<RecordBatch> batches)
    {
        foreach (var batch in batches)
        {
            yield return batch;
        }

        await Task.CompletedTask;
    }

    /// <summary>Batches as a row source: each is checked against the schema and copied in slices of a row group.</summary>
    private sealed class BatchRowSource(IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken) : ISegmentRowSource, IAsyncDisposable
    {
        private readonly IAsyncEnumerator<RecordBatch> _batches = batches.GetAsyncEnumerator(cancellationToken);
        private RecordBatch? _batch;
        private int _offset;

        public async ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken)
        {
            while (_batch is null || _offset == _batch.Length)
            {
                if (!await _batches.MoveNextAsync().ConfigureAwait(false))
                {
                    return 0;
                }

                _batch = _batches.Current;
                _offset = 0;
                CheckBatch(rows.Schema, _batch);
            }

            var take = Math.Min(maxRows, _batch.Length - _offset);
            rows.AppendSlice(_batch, _offset, take);
            _offset += take;
            return take;
        }

        public ValueTask DisposeAsync() => _batches.DisposeAsync();

        private static void CheckBatch(SegmentSchema schema, RecordBatch batch)
        {
            if (batch.ColumnCount != schema.Columns.Count)
            {
                throw new ArgumentException($"Batch has {batch.ColumnCount} columns; the segment schema has {schema.Columns.Count}.", nameof(batch));
            }

            for (var c = 0; c < batch.ColumnCount; c++)
            {
                var column = schema.Columns[c];
                var kind = SegmentColumn.KindOf(column.Name, batch.Column(c).Data.DataType);
                if (kind != column.Kind)
                {
                    throw new ArgumentException($"Column '{column.Name}' is {column.Kind} in the schema but {kind} in the batch.", nameof(batch));
                }
            }
        }
    }

    /// <summary>Encodes row keys to find a row group's bounds and, when asked, to prove the rows are sorted.</summary>
    private sealed class KeyOrderCheck(bool verifyEveryRow)
    {
        private ArrayBufferWriter<byte> _current = new(64);
        private ArrayBufferWriter<byte> _previous = new(64);
        private bool _hasPrevious;

        public (byte[] Min, byte[] Max) Scan(SegmentSchema schema, ColumnVector[] vectors, int rows)
        {
            byte[]? min = null;
            var step = verifyEveryRow ? 1 : Math.Max(1, rows - 1);
            for (var row = 0; row < rows; row += step)
            {
                Encode(schema, vectors, row);
                min ??= _current.WrittenSpan.ToArray();
                // Equal keys are versions of one row (newest first), which shard segments keep for open snapshots.
                if (_hasPrevious && _previous.WrittenSpan.SequenceCompareTo(_current.WrittenSpan) > 0)
                {
                    throw new InvalidDataException($"Rows are not in primary-key order (row {row} of a row group).");
                }

                (_previous, _current) = (_current, _previous);
                _hasPrevious = true;
                if (row + step >= rows && row != rows - 1)
                {
                    step = rows - 1 - row;
                }
            }

            return (min!, _previous.WrittenSpan.ToArray());
        }

        private void Encode(SegmentSchema schema, ColumnVector[] vectors, int row)
        {
            _current.ResetWrittenCount();

            // Indexed, not foreach: an enumerator of the interface would be allocated for every row checked.
            var keys = schema.KeyColumns;
            for (var k = 0; k < keys.Count; k++)
            {
                vectors[keys[k]].AppendKey(row, _current);
            }
        }
    }
}
