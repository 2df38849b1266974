using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Shards;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <content>
/// Native histogram samples: checked and applied beside the float samples of a write, durable as rows of the
/// histograms table (series_id, ts, encoded histogram) in the same WAL record, and held in their own hot tier.
/// </content>
public sealed partial class MetricStore
{
    private HistogramMemtable? _histogramTier;

    private HistogramMemtable HistogramTier =>
        LazyInitializer.EnsureInitialized(ref _histogramTier, () => new HistogramMemtable(_options.SamplesPerChunk, (long)_options.OutOfOrderWindow.TotalMilliseconds));

    /// <summary>Number of native histogram samples in the hot tier.</summary>
    public long HistogramSampleCount => _histogramTier?.SampleCount ?? 0;

    /// <summary>Appends one native histogram sample to the hot tier only (see <see cref="Append"/>).</summary>
    public SeriesAppendResult AppendHistogram(LabelSet labels, long timestampMs, FloatHistogram histogram) =>
        HistogramTier.Append(_index.GetOrAdd(labels), timestampMs, histogram);

    /// <inheritdoc/>
    public IReadOnlyList<StoredHistogramSeries> SelectHistograms(IReadOnlyList<SeriesMatcher> matchers, long mint, long maxt)
    {
        if (_histogramTier is not { } tier)
        {
            return [];
        }

        var ids = _index.Select(matchers);
        var result = new List<StoredHistogramSeries>();
        var times = new List<long>();
        var values = new List<FloatHistogram>();
        foreach (var id in ids.Ids)
        {
            times.Clear();
            values.Clear();
            if (tier.Read(id, mint, maxt, times, values) > 0)
            {
                result.Add(new StoredHistogramSeries(_index.LabelsOf(id), [.. times], [.. values]));
            }
        }

        return result;
    }

    private bool HasHistograms(ulong id, long mint, long maxt) => _histogramTier is { } tier && tier.HasSamples(id, mint, maxt);

    private void CheckHistograms(MetricWriteBatch batch, ulong[] ids)
    {
        var histograms = batch.Histograms;
        if (histograms.Count == 0)
        {
            batch.HistogramVerdicts = [];
            return;
        }

        var verdicts = new SeriesAppendResult[histograms.Count];
        for (var i = 0; i < histograms.Count; i++)
        {
            var (s, ts, h) = histograms[i];
            verdicts[i] = HistogramTier.Check(ids[s], ts, h);
        }

        batch.HistogramVerdicts = verdicts;
    }

    private static void AddHistogramRows(MetricWriteBatch batch, ulong[] ids, WriteBatch durable, ArrayBufferWriter<byte> scratch)
    {
        var histograms = batch.Histograms;
        if (histograms.Count == 0)
        {
            return;
        }

        var row = new RowBuilder(MetricTables.Histograms);
        var encoded = new ArrayBufferWriter<byte>(256);
        for (var i = 0; i < histograms.Count; i++)
        {
            if (batch.HistogramVerdicts[i] is not (SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder))
            {
                continue;
            }

            var (s, ts, h) = histograms[i];
            encoded.ResetWrittenCount();
            HistogramCodec.Encode(h, encoded);
            row.Reset();
            row.SetUInt64(0, ids[s]).SetTimestamp(1, ts * 1000).SetBytes(2, encoded.WrittenSpan);
            Put(durable, row, scratch);
        }
    }

    private MetricWriteResult ApplyHistograms(MetricWriteBatch batch, ulong[] ids, MetricWriteResult result)
    {
        var histograms = batch.Histograms;
        if (histograms.Count == 0)
        {
            return result;
        }

        var tally = default(AppendTally);
        for (var i = 0; i < histograms.Count; i++)
        {
            var (s, ts, h) = histograms[i];
            var verdict = batch.HistogramVerdicts[i];
            if (verdict is SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder)
            {
                verdict = HistogramTier.Append(ids[s], ts, h);
            }

            tally.Count(verdict);
        }

        return result with
        {
            OutOfOrder = result.OutOfOrder + tally.Late,
            Duplicates = result.Duplicates + tally.Duplicates,
            TooOld = result.TooOld + tally.TooOld,
            Conflicts = result.Conflicts + tally.Conflicts,
            HistogramsWritten = tally.Written,
        };
    }

    private async Task RestoreHistogramsAsync(Shard shard, ulong snapshot, CancellationToken cancellationToken)
    {
        await foreach (var batch in shard.ScanAsync(MetricTables.Histograms, null, snapshot, cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                var ids = (UInt64Array)batch.Column(0);
                var micros = (TimestampArray)batch.Column(1);
                var encoded = (BinaryArray)batch.Column(2);
                for (var i = 0; i < batch.Length; i++)
                {
                    HistogramTier.Append(ids.GetValue(i)!.Value, micros.GetValue(i)!.Value / 1000, HistogramCodec.Decode(encoded.GetBytes(i)));
                }
            }
        }
    }
}
