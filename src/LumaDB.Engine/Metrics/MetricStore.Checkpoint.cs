using System.Buffers;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>
/// Checkpoints: the hot tier's chunks not yet stored become chunk rows of the shard (with the series and metadata
/// the sample log named), then the checkpoint row records the sample log LSN they cover and the log is trimmed.
/// </content>
public sealed partial class MetricStore
{
    // A checkpoint commits its rows in batches of about this many bytes of chunk data (closed chunks in their stored
    // form, head copies as Gorilla bytes, which encode smaller), so no single WAL record of the shard grows large:
    // the WAL writer's buffer and the batch's pooled buffers grow to fit a record and stay pooled afterwards (4 MiB
    // batches left 16 MiB arrays in the shared pool after every checkpoint).
    private const int CheckpointBatchBytes = 1024 * 1024;

    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly System.Collections.BitArray _seriesInShard = new(0);
    private HashSet<Guid> _segmentsAtOpen = [];
    private ulong _checkpointVersion;
    private ulong _checkpointedBelow;
    private long _checkpoints;
    private Task _background = Task.CompletedTask;
    private Exception? _checkpointError;

    /// <summary>Checkpoints taken since the store opened.</summary>
    public long CheckpointCount => Interlocked.Read(ref _checkpoints);

    /// <summary>Chunk rows the shard's segments hold (versions of a row not yet merged by compaction count each).</summary>
    public long StoredChunkRows => _shard?.Segments
        .Where(e => new LumaDB.Storage.Memtables.KeyReader(e.Descriptor.MinKey).ReadUInt64() == MetricTables.Chunks.TableId)
        .Sum(e => e.Descriptor.RowCount) ?? 0;

    /// <summary>Bytes of sample log records written since the last checkpoint.</summary>
    public long LogBytesSinceCheckpoint => Interlocked.Read(ref _logBytesSinceCheckpoint);

    /// <summary>
    /// Stores every sample the hot tier holds that no chunk row holds yet: closed chunks not yet persisted and the
    /// open head chunks (late samples folded in first) as chunk rows, with the series and metadata logged since the
    /// last checkpoint; then trims the sample log below the records they cover. Writes continue meanwhile. Does
    /// nothing in memory.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_shard is not { } shard || _log is not { } log || _applied is not { } applied)
            {
                return;
            }

            // Every record below this LSN is in the hot tier, so the chunks collected next hold its samples.
            var covered = applied.Below;
            var loggedBytes = Interlocked.Read(ref _logBytesSinceCheckpoint);
            var version = _checkpointVersion + 1;
            var batch = new WriteBatch();
            var row = new RowBuilder(MetricTables.Chunks);
            var scratch = new ArrayBufferWriter<byte>(1024);
            var stored = new ArrayBufferWriter<byte>(1024);

            // Slice by slice: each is stored, then marked, before the next is collected, so the head copies a
            // checkpoint makes are garbage within a slice instead of a second hot tier held for the whole pass. A
            // chunk marked before a later slice fails is durable in the shard all the same; recovery reads it back.
            foreach (var slice in _samples.CollectUnpersistedInSlices(CheckpointBatchBytes))
            {
                foreach (var p in slice)
                {
                    // Closed chunks are kept in the stored form; head copies are Gorilla bytes to encode.
                    var chunk = p.Chunk;
                    ReadOnlySpan<byte> bytes = chunk.Data;
                    if (!chunk.IsStoredForm)
                    {
                        stored.ResetWrittenCount();
                        StoredChunkCodec.EncodeTo(chunk.Data, chunk.Count, stored);
                        bytes = stored.WrittenSpan;
                    }

                    row.Reset();
                    row.SetUInt64(0, p.SeriesId)
                        .SetTimestamp(1, ClampMicros(chunk.MinTime))
                        .SetTimestamp(2, ClampMicros(chunk.MaxTime))
                        .SetUInt64(3, version)
                        .SetInt32(4, chunk.Count)
                        .SetBytes(5, bytes);
                    Put(batch, row, scratch);
                }

                await shard.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                SeriesMemtable.MarkPersisted(slice);
            }

            var newSeries = await StoreSeriesRowsAsync(shard, batch, scratch, cancellationToken).ConfigureAwait(false);
            AddMetadataRows(batch, scratch);
            row = new RowBuilder(MetricTables.Checkpoint);
            row.SetInt32(0, 0).SetUInt64(1, covered).SetUInt64(2, version);
            Put(batch, row, scratch);
            await shard.CommitAsync(batch, cancellationToken).ConfigureAwait(false);

            _checkpointVersion = version;
            _checkpointedBelow = covered;
            MarkInShard(newSeries);
            log.TruncateBefore(covered);
            Interlocked.Add(ref _logBytesSinceCheckpoint, -loggedBytes);
            Interlocked.Increment(ref _checkpoints);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>
    /// Each checkpoint stores the growing head chunks again under the same (series, first timestamp) key, so the
    /// segments flushed since the store opened that reach into the open heads' time hold older copies of those
    /// rows: merging them keeps each row once. Older segments hold no such copies and are left alone.
    /// </summary>
    private async Task CompactRewrittenHeadsAsync(Shard shard)
    {
        if (_samples.OldestHeadTime() is not { } oldestHead)
        {
            return;
        }

        var from = ClampMicros(oldestHead);
        var before = _segmentsAtOpen;
        await shard.CompactAsync(MetricTables.Chunks, d => !before.Contains(d.Id) && d.MaxTimeMicros >= from).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows for the series the shard does not hold yet, committed in batches like the chunk rows (the first checkpoint
    /// of a large store writes every series); the last batch is left in <paramref name="batch"/> for the caller to
    /// commit. Returns their ids.
    /// </summary>
    private async Task<List<ulong>> StoreSeriesRowsAsync(Shard shard, WriteBatch batch, ArrayBufferWriter<byte> scratch, CancellationToken cancellationToken)
    {
        var ids = new List<ulong>();
        lock (_durableLock)
        {
            foreach (var id in _index.Select([]).Ids)
            {
                if (id >= (ulong)_seriesInShard.Length || !_seriesInShard[(int)id])
                {
                    ids.Add(id);
                }
            }
        }

        var row = new RowBuilder(MetricTables.Series);
        var labels = new ArrayBufferWriter<byte>(256);
        foreach (var id in ids)
        {
            MetricTables.EncodeLabels(_index.LabelsOf(id), labels);
            row.Reset();
            row.SetUInt64(0, id).SetBytes(1, labels.WrittenSpan);
            Put(batch, row, scratch);
            if (batch.ByteCount >= CheckpointBatchBytes)
            {
                await shard.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        return ids;
    }

    private void AddMetadataRows(WriteBatch batch, ArrayBufferWriter<byte> scratch)
    {
        var row = new RowBuilder(MetricTables.Metadata);
        foreach (var (family, metadata) in AllMetadata())
        {
            row.Reset();
            row.SetText(0, family).SetText(1, metadata.Type).SetText(2, metadata.Help).SetText(3, metadata.Unit);
            Put(batch, row, scratch);
        }
    }

    private void MarkInShard(List<ulong> ids)
    {
        lock (_durableLock)
        {
            foreach (var id in ids)
            {
                if (id >= (ulong)_seriesInShard.Length)
                {
                    _seriesInShard.Length = (int)Math.Max((long)id + 1, _seriesInShard.Length * 2L);
                }

                _seriesInShard[(int)id] = true;
            }
        }
    }

    /// <summary>
    /// Starts a checkpoint and hot-tier trim in the background when the sample log has grown by
    /// <see cref="MetricStoreOptions.CheckpointLogBytes"/> since the last one or <see cref="MetricStoreOptions.CheckpointInterval"/> has passed.
    /// </summary>
    private void MaybeCheckpoint()
    {
        if (_log is null)
        {
            return;
        }

        var now = Environment.TickCount64;
        var due = Interlocked.Read(ref _logBytesSinceCheckpoint) >= _options.CheckpointLogBytes
            || now - Interlocked.Read(ref _lastTrimTicks) >= (long)_options.CheckpointInterval.TotalMilliseconds;
        if (!due || Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _lastTrimTicks, now);
        _background = Task.Run(async () =>
        {
            try
            {
                await CheckpointAsync().ConfigureAwait(false);

                // The checkpoint's rows are only staged in the shard's memtable: written out now, its arena goes back
                // instead of holding a memtable of rows (up to the budget) until the next checkpoint.
                if (_shard is { } shard)
                {
                    await shard.FlushAsync().ConfigureAwait(false);
                }

                TrimHotTier();
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The sample log keeps every record the checkpoint did not cover; the next one retries.
                _checkpointError = error;
            }
            finally
            {
                Volatile.Write(ref _trimming, 0);
            }
        });
    }

    /// <summary>The error of the last background checkpoint that failed, or null.</summary>
    public Exception? LastCheckpointError => Volatile.Read(ref _checkpointError);
}
