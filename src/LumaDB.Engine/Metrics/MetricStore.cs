using System.Buffers;
using System.Collections;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// Metric samples: a <see cref="SeriesIndex"/> that names series, a Gorilla-compressed
/// <see cref="SeriesMemtable"/> that serves reads from the hot tier, and, when the options give a directory, a
/// storage shard that makes every write durable in its WAL before <see cref="WriteAsync"/> returns and flushes
/// samples as (series_id, ts, value) rows to Parquet segments, tiered like any table.
/// </summary>
/// <remarks>
/// A write resolves its series (refusing the whole write if it would pass the active-series limit), decides per
/// sample what Prometheus's rules make of it (append, late but inside the window, exact duplicate, too old or
/// conflicting), commits the accepted samples, new series and changed metadata as one WAL record, and only then
/// applies them to the hot tier. <see cref="OpenAsync"/> rebuilds the index, hot tier and metadata from the shard.
/// </remarks>
public sealed partial class MetricStore : IMetricSource, IAsyncDisposable, IDisposable
{
    private readonly MetricStoreOptions _options;
    private readonly SeriesIndex _index = new();
    private readonly SeriesMemtable _samples;
    private readonly MetricStoreMetrics _metrics;
    private readonly Lock _durableLock = new();
    private readonly BitArray _durableSeries = new(0);
    private readonly Dictionary<string, MetricMetadata> _metadata = new(StringComparer.Ordinal);
    private Shard? _shard;
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
    public long ReplayedRecords => _shard?.ReplayedRecords ?? 0;

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
    /// Writes a batch: durable in the shard's WAL (under the configured fsync policy) before this returns, then
    /// visible to reads. Samples refused by the out-of-order and duplicate rules are counted, not written.
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
                var (s, ts, value) = samples[i];
                verdicts[i] = _samples.Check(ids[s], ts, value);
            }

            CheckHistograms(batch, ids);

            if (_shard is { } shard)
            {
                var scratch = WriteScratch.Rent();
                try
                {
                    var durable = BuildWriteBatch(batch, ids, verdicts, scratch);
                    if (durable.Count > 0)
                    {
                        await shard.CommitAsync(durable, cancellationToken).ConfigureAwait(false);
                    }

                    MarkDurable(scratch.NewSeries);
                }
                finally
                {
                    WriteScratch.Return(scratch, batch.Samples.Count);
                }
            }

            var result = ApplyHistograms(batch, ids, Apply(batch, ids, verdicts, created));
            _metrics.Record(result);
            MaybeTrimHotTier();
            return result;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(ids);
            ArrayPool<SeriesAppendResult>.Shared.Return(verdicts);
        }
    }

    /// <summary>Flushes the shard's memtable to Parquet segments (nothing in memory).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_shard is { } shard)
        {
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

    /// <summary>Flushes the shard to segments and closes it; the hot tier's buffers are returned.</summary>
    public async ValueTask DisposeAsync()
    {
        _ready = false;
        if (_shard is { } shard)
        {
            _shard = null;
            try
            {
                await shard.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                await shard.DisposeAsync().ConfigureAwait(false);
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

    private WriteBatch BuildWriteBatch(MetricWriteBatch batch, ulong[] ids, SeriesAppendResult[] verdicts, WriteScratch buffers)
    {
        var durable = buffers.Batch;
        var scratch = buffers.Row;
        var labelBytes = buffers.Labels;
        var newSeries = buffers.NewSeries;
        var seriesRow = buffers.SeriesRow;
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
                MetricTables.EncodeLabels(batch.Series[i], labelBytes);
                seriesRow.Reset();
                seriesRow.SetUInt64(0, id).SetBytes(1, labelBytes.WrittenSpan);
                Put(durable, seriesRow, scratch);
            }
        }

        var samples = batch.Samples;
        Span<byte> sampleRow = stackalloc byte[MetricTables.SampleRowBytes];
        for (var i = 0; i < samples.Count; i++)
        {
            if (verdicts[i] is not (SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder))
            {
                continue;
            }

            var (s, ts, value) = samples[i];
            MetricTables.EncodeSample(ids[s], ts, value, sampleRow);
            durable.Put(MetricTables.Samples, sampleRow);
        }

        AddHistogramRows(batch, ids, durable, scratch);

        if (batch.Metadata.Count > 0)
        {
            var metadataRow = new RowBuilder(MetricTables.Metadata);
            lock (_metadata)
            {
                foreach (var (family, metadata) in batch.Metadata)
                {
                    if (_metadata.TryGetValue(family, out var known) && known == metadata)
                    {
                        continue;
                    }

                    metadataRow.Reset();
                    metadataRow.SetText(0, family).SetText(1, metadata.Type).SetText(2, metadata.Help).SetText(3, metadata.Unit);
                    Put(durable, metadataRow, scratch);
                }
            }
        }

        return durable;
    }

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

    private MetricWriteResult Apply(MetricWriteBatch batch, ulong[] ids, SeriesAppendResult[] verdicts, int created)
    {
        var tally = default(AppendTally);
        var samples = batch.Samples;
        for (var i = 0; i < samples.Count; i++)
        {
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
