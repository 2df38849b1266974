using Apache.Arrow;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using LumaDB.Storage.Wal;

namespace LumaDB.Engine.Metrics;

/// <content>Opening a durable store: the shard's recovery, the index, metadata and hot window rebuilt from it, then the sample log replayed.</content>
public sealed partial class MetricStore : SampleLog.IReader
{
    // Small segments, so a checkpoint can delete the log below it soon after.
    private const long SampleLogSegmentBytes = 16L * 1024 * 1024;
    /// <summary>
    /// Opens the store's shard (replaying its WAL after the last flush), reads the series, metadata and the hot
    /// window's chunks back (series keep their ids), then replays the sample log after the last checkpoint into the
    /// index, metadata and hot tier, in order, cutting a torn tail. Writes are accepted once this completes. Does
    /// nothing for an in-memory store.
    /// </summary>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Directory is not { } directory || _shard is not null)
        {
            return;
        }

        var shard = await Shard.OpenAsync(new ShardOptions
        {
            Directory = directory,
            Tables = MetricTables.All,
            FsyncMode = _options.FsyncMode,
            FsyncInterval = _options.FsyncInterval,
            MemtableBudgetBytes = _options.MemtableBudgetBytes,
            // Reads of recent samples go to the hot tier, so the row memtable only stages rows for the next flush:
            // half a memtable of idle arena is enough for reuse, where the default keeps two per active series load.
            MemtableArenaRetainedBytes = _options.MemtableBudgetBytes / 2,
            // A chunk row carries a hundred or more samples, so 16K rows already make megabytes of chunk bytes per
            // row group; the writer buffers a row group's columns in pooled arrays, and 64K rows grew them to 16 MiB
            // arrays that stayed in the shared pool after every flush and compaction.
            SegmentWriter = new SegmentWriterOptions { RowGroupSize = 16 * 1024 },
            RetentionTtl = _options.Retention is { } retention
                ? new Dictionary<ulong, TimeSpan> { [MetricTables.Chunks.TableId] = retention, [MetricTables.Histograms.TableId] = retention }
                : new Dictionary<ulong, TimeSpan>(),
            TimeProvider = _options.TimeProvider,
            Logger = _options.Logger,
        }, cancellationToken).ConfigureAwait(false);
        ulong logFrom = 0;
        try
        {
            var snapshot = shard.LastCommittedSeq;
            var restored = new List<ulong>();
            await foreach (var batch in shard.ScanAsync(MetricTables.Series, null, snapshot, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    var ids = (UInt64Array)batch.Column(0);
                    var labels = (BinaryArray)batch.Column(1);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        var id = ids.GetValue(i)!.Value;
                        _index.Restore(id, MetricTables.DecodeLabels(labels.GetBytes(i)));
                        restored.Add(id);
                    }
                }
            }

            MarkDurable(restored);
            MarkInShard(restored);

            await foreach (var batch in shard.ScanAsync(MetricTables.Checkpoint, null, snapshot, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    for (var i = 0; i < batch.Length; i++)
                    {
                        logFrom = ((UInt64Array)batch.Column(1)).GetValue(i)!.Value;
                        _checkpointVersion = ((UInt64Array)batch.Column(2)).GetValue(i)!.Value;
                    }
                }
            }

            // Only the hot window's chunks come back into memory; reads take older ones from the shard.
            var hotFrom = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.HotRetention.TotalMilliseconds;
            Interlocked.Exchange(ref _hotFrom, await HasChunksBeforeAsync(shard, hotFrom, snapshot, cancellationToken).ConfigureAwait(false) ? hotFrom : long.MinValue);
            var hot = new SegmentScan { Time = new TimeRange(ClampMicros(hotFrom), long.MaxValue) };
            var rows = new Dictionary<ulong, List<ChunkRow>>();
            ChunkRow.Collect(shard.ScanAsync(MetricTables.Chunks, hot, snapshot, cancellationToken).ToBlockingEnumerable(cancellationToken), null, long.MaxValue, rows);
            var decoded = new List<LumaDB.Storage.TimeSeries.Sample>();
            foreach (var (id, chunks) in rows)
            {
                if (!ChunkRow.Overlap(chunks))
                {
                    foreach (var row in chunks)
                    {
                        _samples.Adopt(id, row.Chunk);
                    }

                    continue;
                }

                decoded.Clear();
                ChunkRow.Decode(chunks, long.MinValue, long.MaxValue, decoded);
                foreach (var sample in decoded)
                {
                    _samples.Append(id, sample.TimestampMs, sample.Value);
                }
            }

            await RestoreHistogramsAsync(shard, snapshot, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in shard.ScanAsync(MetricTables.Metadata, null, snapshot, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    var family = (StringArray)batch.Column(0);
                    var type = (StringArray)batch.Column(1);
                    var help = (StringArray)batch.Column(2);
                    var unit = (StringArray)batch.Column(3);
                    lock (_metadata)
                    {
                        for (var i = 0; i < batch.Length; i++)
                        {
                            _metadata[family.GetString(i)] = new MetricMetadata(type.GetString(i), help.GetString(i), unit.GetString(i));
                        }
                    }
                }
            }
        }
        catch
        {
            await shard.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        WriteAheadLog log;
        try
        {
            log = OpenSampleLog(directory, logFrom);
        }
        catch
        {
            await shard.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _segmentsAtOpen = [.. shard.Segments.Select(e => e.Id)];
        _applied = new AppliedWatermark(log.NextLsn);
        _log = log;
        _shard = shard;
        Interlocked.Exchange(ref _lastTrimTicks, Environment.TickCount64);
        _ready = true;
    }

    private WriteAheadLog OpenSampleLog(string directory, ulong replayFrom)
    {
        long replayed = 0;
        var log = WriteAheadLog.Open(new WalOptions
        {
            Directory = Path.Combine(directory, "samples-wal"),
            FsyncMode = _options.FsyncMode,
            FsyncInterval = _options.FsyncInterval,
            SegmentSizeBytes = SampleLogSegmentBytes,
            TimeProvider = _options.TimeProvider,
        }, replayFrom, record =>
        {
            if (record.Type == SampleLog.RecordType)
            {
                SampleLog.Read(record.Payload, this);
                replayed++;
            }
        }, _options.Logger);
        if (log.NextLsn < replayFrom)
        {
            // New records would get LSNs the checkpoint claims to cover, and the next recovery would skip them.
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new InvalidDataException($"The sample log ends at LSN {log.NextLsn - 1} but the last checkpoint covers up to {replayFrom - 1}: log files are missing.");
        }

        Interlocked.Exchange(ref _replayedRecords, replayed);
        return log;
    }

    /// <inheritdoc/>
    void SampleLog.IReader.Series(ulong id, LabelSet labels)
    {
        if (!_index.TryGetId(labels, out _))
        {
            _index.Restore(id, labels);
        }

        MarkDurable([id]);
    }

    /// <inheritdoc/>
    void SampleLog.IReader.Metadata(string family, MetricMetadata metadata)
    {
        lock (_metadata)
        {
            _metadata[family] = metadata;
        }
    }

    /// <inheritdoc/>
    void SampleLog.IReader.Sample(ulong id, long timestampMs, double value) => _samples.Append(id, timestampMs, value);
}
