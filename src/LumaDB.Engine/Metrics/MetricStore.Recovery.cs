using Apache.Arrow;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Metrics;

/// <content>Opening a durable store: the shard's recovery, then the index, hot tier and metadata rebuilt from it.</content>
public sealed partial class MetricStore
{
    /// <summary>
    /// Opens the store's shard (replaying its WAL after the last flush), then reads the series, samples and
    /// metadata back: series keep their ids, samples come back in (series, time) order. Writes are accepted
    /// once this completes. Does nothing for an in-memory store.
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
            // Samples are read by series and time range, never looked up one by one: large row groups compress
            // the sorted (series, time) columns better and carry fewer statistics per sample.
            SegmentWriter = new SegmentWriterOptions { RowGroupSize = 64 * 1024 },
            Logger = _options.Logger,
        }, cancellationToken).ConfigureAwait(false);
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

            // Only the hot window comes back into memory; reads take older samples from the shard.
            var hotFrom = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.HotRetention.TotalMilliseconds;
            Interlocked.Exchange(ref _hotFrom, await HasSamplesBeforeAsync(shard, hotFrom, snapshot, cancellationToken).ConfigureAwait(false) ? hotFrom : long.MinValue);
            var hot = new SegmentScan { Time = new TimeRange(hotFrom * 1000, long.MaxValue) };
            await foreach (var batch in shard.ScanAsync(MetricTables.Samples, hot, snapshot, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    var ids = (UInt64Array)batch.Column(0);
                    var micros = (TimestampArray)batch.Column(1);
                    var values = (DoubleArray)batch.Column(2);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        _samples.Append(ids.GetValue(i)!.Value, micros.GetValue(i)!.Value / 1000, values.GetValue(i)!.Value);
                    }
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

        _shard = shard;
        _ready = true;
    }
}
