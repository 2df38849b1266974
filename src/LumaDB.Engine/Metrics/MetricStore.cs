using System.Buffers;
using System.Collections;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;
using LumaDB.Storage.Wal;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// Metric samples: a <see cref="SeriesIndex"/> that names series and a Gorilla-compressed
/// <see cref="SeriesMemtable"/>, the source of truth for recent samples. With a directory in the options, every
/// write is durable in a compact sample log before <see cref="WriteAsync"/> returns, and checkpoints store the hot
/// tier's chunks as (series_id, min_ts, max_ts, chunk) rows of a storage shard, whose Parquet segments are tiered,
/// compacted and retained like any table's; the sample log is then trimmed to the checkpoint.
/// </summary>
/// <remarks>
/// A write resolves its series (refusing the whole write if it would pass the active-series limit), decides per
/// sample what Prometheus's rules make of it (append, late but inside the window, exact duplicate, too old or
/// conflicting), logs the accepted samples, new series and changed metadata as one record, and only then applies
/// them to the hot tier. <see cref="OpenAsync"/> rebuilds the index, metadata and hot window from the shard and
/// replays the sample log after the last checkpoint.
/// </remarks>
public sealed partial class MetricStore : IMetricSource, IAsyncDisposable, IDisposable
{
    // Samples between two prefetch levels: an append takes about a microsecond, a load from memory a few hundred
    // nanoseconds, so two samples of warning are enough.
    private const int PrefetchStride = 2;

    private readonly MetricStoreOptions _options;
    private readonly SeriesIndex _index = new();
    private readonly SeriesMemtable _samples;
    private readonly MetricStoreMetrics _metrics;
    private readonly Lock _durableLock = new();
    private readonly BitArray _durableSeries = new(0);
    private readonly Dictionary<string, MetricMetadata> _metadata = new(StringComparer.Ordinal);
    private Shard? _shard;
    private WriteAheadLog? _log;
    private AppliedWatermark? _applied;
    private long _logBytesSinceCheckpoint;
    private long _replayedRecords;
    private volatile bool _ready;

    /// <summary>Creates a store; with a directory in the options it accepts writes once <see cref="OpenAsync"/> has run.</summary>
    public MetricStore(MetricStoreOptions? options = null)
    {
        _options = options ?? new MetricStoreOptions();
        _samples = new SeriesMemtable(new SeriesMemtableOptions
        {
            SamplesPerChunk = _options.SamplesPerChunk,
            OutOfOrderWindowMs = (long)_options.OutOfOrderWindow.TotalMilliseconds,
        });
        _metrics = new MetricStoreMetrics(this);
        _ready = _options.Directory is null;
    }

    /// <summary>The series index.</summary>
    public SeriesIndex Index => _index;

    /// <summary>Number of samples held in the hot tier.</summary>
    public long SampleCount => _samples.SampleCount;

    /// <summary>Estimated bytes the hot tier's chunks and series take.</summary>
    public long HotMemoryBytes => _samples.MemoryBytes;

    /// <summary>Whether writes are accepted: always in memory, after recovery with a directory.</summary>
    public bool IsReady => _ready;

    /// <summary>Whether writes go to a durable shard.</summary>
    public bool IsDurable => _options.Directory is not null;

    /// <summary>Parquet segments the store's shard holds (0 in memory).</summary>
    public int SegmentCount => _shard?.Segments.Count ?? 0;

    /// <summary>WAL records replayed by the last <see cref="OpenAsync"/>.</summary>
    public long ReplayedRecords => (_shard?.ReplayedRecords ?? 0) + Interlocked.Read(ref _replayedRecords);

    /// <summary>
    /// Appends one sample to the hot tier only, bypassing the WAL: for in-memory stores (tests, PromQL
    /// conformance). Durable stores take writes through <see cref="WriteAsync"/>.
    /// </summary>
    public SeriesAppendResult Append(LabelSet labels, long timestampMs, double value) =>
        _samples.Append(_index.GetOrAdd(labels), timestampMs, value);

    /// <summary>The metadata of a metric family, if any was written.</summary>
    public bool TryGetMetadata(string family, out MetricMetadata metadata)
    {
        lock (_metadata)
        {
            return _metadata.TryGetValue(family, out metadata);
        }
    }

    /// <summary>Every family's metadata, sorted by family name.</summary>
    public IReadOnlyList<KeyValuePair<string, MetricMetadata>> AllMetadata()
    {
        lock (_metadata)
        {
            return [.. _metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Writes a batch: durable as one sample log record (under the configured fsync policy) before this returns,
    /// then visible to reads. Samples refused by the out-of-order and duplicate rules are counted, not written.
    /// </summary>
    /// <exception cref="SeriesLimitExceededException">The batch would pass the active-series limit; nothing was written.</exception>
    /// <exception cref="InvalidOperationException">The store has not finished recovery.</exception>
    public async ValueTask<MetricWriteResult> WriteAsync(MetricWriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!_ready)
        {
            throw new InvalidOperationException("The metric store is still recovering.");
        }

        // Read once: a stop clears them after a write passed the check above, and a durable store must then refuse
        // the write rather than apply it to memory alone and acknowledge what no log holds.
        var log = _log;
        var shard = _shard;
        if (_options.Directory is not null && (log is null || shard is null))
        {
            throw new InvalidOperationException("The metric store is closed.");
        }

        var series = batch.Series;
        var ids = ArrayPool<ulong>.Shared.Rent(Math.Max(1, series.Count));
        var verdicts = ArrayPool<SeriesAppendResult>.Shared.Rent(Math.Max(1, batch.Samples.Count));
        try
        {
            var created = _index.GetOrAddAll(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(series), ids, _options.MaxActiveSeries);
            if (created < 0)
            {
                _metrics.LimitRefused();
                var active = _index.Count;
                var unknown = series.Where(s => !_index.TryGetId(s, out _)).Distinct().Count();
                throw new SeriesLimitExceededException(_options.MaxActiveSeries, active, unknown);
            }

            var samples = batch.Samples;
            for (var i = 0; i < samples.Count; i++)
            {
                PrefetchAhead(samples, ids, i, SeriesMemtable.CheckPrefetchLevels);
                var (s, ts, value) = samples[i];
                verdicts[i] = _samples.Check(ids[s], ts, value);
            }

            CheckHistograms(batch, ids);

            var logged = false;
            ulong lsn = 0;
            try
            {
                if (log is not null && shard is not null)
                {
                    var scratch = WriteScratch.Rent();
                    try
                    {
                        if (BuildLogRecord(batch, ids, verdicts, scratch))
                        {
                            lsn = await log.AppendAsync(SampleLog.RecordType, scratch.Record.WrittenMemory).ConfigureAwait(false);
                            logged = true;
                            Interlocked.Add(ref _logBytesSinceCheckpoint, scratch.Record.WrittenCount);
                        }

                        MarkDurable(scratch.NewSeries);

                        // Native histograms keep their row path: rows of the histograms table in the shard's WAL.
                        AddHistogramRows(batch, ids, scratch.Batch, scratch.Row);
                        if (scratch.Batch.Count > 0)
                        {
                            await shard.CommitAsync(scratch.Batch, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        WriteScratch.Return(scratch, batch.Samples.Count);
                    }
                }

                var result = ApplyHistograms(batch, ids, Apply(batch, ids, verdicts, created));
                _metrics.Record(result);
                MaybeCheckpoint();
                return result;
            }
            finally
            {
                // Applied to the hot tier (or failed): a checkpoint from now on covers the record.
                if (logged)
                {
                    _applied?.Complete(lsn);
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(ids);
            ArrayPool<SeriesAppendResult>.Shared.Return(verdicts);
        }
    }

    /// <summary>
    /// Checkpoints the hot tier (every chunk not yet stored becomes a chunk row, the sample log is trimmed) and
    /// flushes the shard's memtable to Parquet segments; then trims the hot tier. Nothing in memory.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_shard is { } shard)
        {
            await CheckpointAsync(cancellationToken).ConfigureAwait(false);
            await shard.FlushAsync(cancellationToken).ConfigureAwait(false);
            TrimHotTier();
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredSeries> Select(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
    {
        var ids = _index.Select(matchers).Ids.ToArray();
        var samples = ReadSamples(ids, mint, maxt);
        var result = new List<StoredSeries>(samples.Count);
        foreach (var id in ids)
        {
            if (!samples.TryGetValue(id, out var buffer) || buffer.Count == 0)
            {
                continue;
            }

            var ts = new long[buffer.Count];
            var vs = new double[buffer.Count];
            for (var i = 0; i < buffer.Count; i++)
            {
                ts[i] = buffer[i].TimestampMs;
                vs[i] = buffer[i].Value;
            }

            result.Add(new StoredSeries(_index.LabelsOf(id), ts, vs));
        }

        return result;
    }

    /// <summary>
    /// Checkpoints the hot tier, flushes the shard to segments and closes it and the sample log (left empty); the
    /// hot tier's buffers are returned.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _ready = false;
        if (_shard is { } shard)
        {
            try
            {
                await _background.ConfigureAwait(false);
                await CheckpointAsync().ConfigureAwait(false);
                await shard.FlushAsync().ConfigureAwait(false);
                await CompactRewrittenHeadsAsync(shard).ConfigureAwait(false);
            }
            finally
            {
                _shard = null;
                var log = _log;
                _log = null;
                await shard.DisposeAsync().ConfigureAwait(false);
                if (log is not null)
                {
                    // Only records the last checkpoint covered are in chunk rows: a write in flight when the stop
                    // began can be applied after it, and its record must stay for the next open to replay.
                    await log.DisposeAndTrimAsync(_checkpointedBelow).ConfigureAwait(false);
                }
            }
        }

        Dispose();
    }

    /// <summary>Returns the hot tier's buffers. A durable store is closed with <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        _samples.Dispose();
        _metrics.Dispose();
    }

    /// <summary>
    /// Writes the sample log record of a write: series not logged before, changed metadata and the accepted samples.
    /// Returns false when there is nothing to log.
    /// </summary>
    private bool BuildLogRecord(MetricWriteBatch batch, ulong[] ids, SeriesAppendResult[] verdicts, WriteScratch buffers)
    {
        var record = buffers.Record;
        var newSeries = buffers.NewSeries;
        var newSeriesAt = buffers.NewSeriesAt;
        lock (_durableLock)
        {
            for (var i = 0; i < batch.Series.Count; i++)
            {
                var id = ids[i];
                if ((id < (ulong)_durableSeries.Length && _durableSeries[(int)id]) || !buffers.NewSeriesSet.Add(id))
                {
                    continue;
                }

                newSeries.Add(id);
                newSeriesAt.Add(i);
            }
        }

        SampleLog.WriteHeader(record);
        SampleLog.WriteCount(record, newSeries.Count);
        for (var i = 0; i < newSeries.Count; i++)
        {
            MetricTables.EncodeLabels(batch.Series[newSeriesAt[i]], buffers.Labels);
            SampleLog.WriteSeries(record, newSeries[i], buffers.Labels.WrittenSpan);
        }

        var metadataCount = 0;
        if (batch.Metadata.Count > 0)
        {
            var changed = new List<KeyValuePair<string, MetricMetadata>>();
            lock (_metadata)
            {
                foreach (var (family, metadata) in batch.Metadata)
                {
                    if (!_metadata.TryGetValue(family, out var known) || known != metadata)
                    {
                        changed.Add(new(family, metadata));
                    }
                }
            }

            SampleLog.WriteCount(record, changed.Count);
            foreach (var (family, metadata) in changed)
            {
                SampleLog.WriteMetadata(record, family, metadata);
            }

            metadataCount = changed.Count;
        }
        else
        {
            SampleLog.WriteCount(record, 0);
        }

        var samples = batch.Samples;
        var n = samples.Count;
        var first = 0;
        while (first < n && !IsAccepted(verdicts[first]))
        {
            first++;
        }

        if (first == n)
        {
            return newSeries.Count > 0 || metadataCount > 0;
        }

        // Samples of one request mostly share a timestamp or follow each other closely: each is logged as the
        // difference to the one before it in the record, whatever its series.
        var previousTs = samples[first].TimestampMs;
        SampleLog.WriteSigned(record, previousTs);
        ulong previousId = 0;
        var at = first;
        while (at < n)
        {
            if (!IsAccepted(verdicts[at]))
            {
                at++;
                continue;
            }

            // A run: the following samples of the same series, rejected ones skipped.
            var id = ids[samples[at].Series];
            var end = at;
            var count = 0;
            while (end < n && ids[samples[end].Series] == id)
            {
                count += IsAccepted(verdicts[end]) ? 1 : 0;
                end++;
            }

            SampleLog.WriteSigned(record, unchecked((long)(id - previousId)));
            SampleLog.WriteCount(record, count);
            previousId = id;
            ulong previousBits = 0;
            for (var i = at; i < end; i++)
            {
                if (IsAccepted(verdicts[i]))
                {
                    SampleLog.WriteSigned(record, unchecked(samples[i].TimestampMs - previousTs));
                    previousTs = samples[i].TimestampMs;
                    previousBits = SampleLog.WriteValue(record, samples[i].Value, previousBits);
                }
            }

            at = end;
        }

        return true;
    }

    private static bool IsAccepted(SeriesAppendResult verdict) =>
        verdict is SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder;

    private static void Put(WriteBatch batch, RowBuilder row, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        row.Encode(scratch);
        batch.Put(row.Layout, scratch.WrittenSpan);
    }

    private void MarkDurable(List<ulong> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        lock (_durableLock)
        {
            foreach (var id in ids)
            {
                if (id >= (ulong)_durableSeries.Length)
                {
                    _durableSeries.Length = (int)Math.Max((long)id + 1, _durableSeries.Length * 2L);
                }

                _durableSeries[(int)id] = true;
            }
        }
    }

    /// <summary>
    /// Prefetches what the series of samples ahead of <paramref name="i"/> will touch, one level per series: a
    /// batch's series are scattered over the heap, and each sample otherwise waits on several dependent loads.
    /// Level L runs (levels - L) × <see cref="PrefetchStride"/> samples ahead, so by the time a deeper level reads
    /// a reference, the level before has loaded it.
    /// </summary>
    private void PrefetchAhead(List<(int Series, long TimestampMs, double Value)> samples, ulong[] ids, int i, int levels)
    {
        for (var level = 0; level < levels; level++)
        {
            var ahead = i + ((levels - level) * PrefetchStride);
            if (ahead < samples.Count)
            {
                _samples.Prefetch(ids[samples[ahead].Series], level);
            }
        }
    }

    private MetricWriteResult Apply(MetricWriteBatch batch, ulong[] ids, SeriesAppendResult[] verdicts, int created)
    {
        var tally = default(AppendTally);
        var samples = batch.Samples;
        for (var i = 0; i < samples.Count; i++)
        {
            PrefetchAhead(samples, ids, i, SeriesMemtable.PrefetchLevels);
            var (s, ts, value) = samples[i];
            var verdict = verdicts[i];
            if (verdict is SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder)
            {
                // The WAL has the sample; a concurrent write to the series may change what the hot tier makes of it.
                verdict = _samples.Append(ids[s], ts, value);
            }

            tally.Count(verdict);
        }

        if (batch.Metadata.Count > 0)
        {
            lock (_metadata)
            {
                foreach (var (family, metadata) in batch.Metadata)
                {
                    _metadata[family] = metadata;
                }
            }
        }

        return new MetricWriteResult(created, tally.Written, tally.Late, tally.Duplicates, tally.TooOld, tally.Conflicts);
    }
}
