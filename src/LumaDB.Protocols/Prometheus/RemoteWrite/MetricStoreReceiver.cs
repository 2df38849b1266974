using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>
/// Writes remote write requests into a <see cref="MetricStore"/>: 503 while the store recovers, 429 when more
/// requests are in flight than allowed, 400 (never retried) when the active-series limit refuses the request
/// or when samples are refused by the out-of-order or duplicate rules (the rest of the request is kept).
/// </summary>
public sealed class MetricStoreReceiver : IRemoteWriteReceiver, IDisposable
{
    /// <summary>Samples past which a request's batch is dropped after use instead of kept.</summary>
    private const int MaxPooledSamples = 64 * 1024;

    private readonly MetricStore _store;
    private readonly SeriesCache _series;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;

    // Batches of finished requests, reused: their sample lists grow to a request's size once instead of per request.
    private readonly ConcurrentQueue<MetricWriteBatch> _batches = new();

    /// <summary>Creates a receiver that lets at most <paramref name="maxInFlight"/> requests write at once.</summary>
    public MetricStoreReceiver(MetricStore store, int maxInFlight = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInFlight);
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _series = new SeriesCache(store.Index);
        _maxInFlight = maxInFlight;
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    /// <inheritdoc/>
    public async ValueTask<RemoteWriteCounts> ApplyAsync(ReadOnlyMemory<byte> body, RemoteWriteVersion version, RemoteWriteDecoder decoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (!_store.IsReady)
        {
            throw new RemoteWriteRejectedException(503, "storage is recovering; retry later");
        }

        if (!_inFlight.Wait(0, CancellationToken.None))
        {
            throw new RemoteWriteRejectedException(429, $"more than {_maxInFlight} remote write requests in flight; retry later");
        }

        var batch = _batches.TryDequeue(out var idle) ? idle : new MetricWriteBatch();
        try
        {
            var sink = new BatchSink(batch, _series);
            if (!decoder.TryDecode(body.Span, version, ref sink, out var counts, out var error))
            {
                // The whole request is decoded before anything is written, so a malformed one changes nothing.
                throw new RemoteWriteRejectedException(400, error ?? "malformed request");
            }

            MetricWriteResult result;
            try
            {
                result = await _store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (SeriesLimitExceededException e)
            {
                throw new RemoteWriteRejectedException(400, e.Message);
            }

            var written = counts with { Samples = result.Written + result.Duplicates, Histograms = result.HistogramsWritten, Exemplars = 0 };
            if (result.Refused > 0)
            {
                throw new RemoteWriteRejectedException(400, string.Create(CultureInfo.InvariantCulture,
                    $"{result.TooOld} samples older than the out-of-order window and {result.Conflicts} samples with a different value at an existing timestamp were refused; {written.Samples} samples were written"))
                {
                    Written = written,
                };
            }

            return written;
        }
        finally
        {
            // Only a batch of an ordinary request is kept, so one huge request does not pin its lists.
            if (batch.SampleCount + batch.HistogramCount <= MaxPooledSamples && _batches.Count < _maxInFlight)
            {
                batch.Clear();
                _batches.Enqueue(batch);
            }

            _inFlight.Release();
        }
    }

    /// <inheritdoc/>
    public bool DecodesBeforeApplying => true;

    /// <summary>Series whose label sets the receiver finds without building them.</summary>
    public int CachedSeries => _series.Count;

    /// <inheritdoc/>
    public void Dispose() => _inFlight.Dispose();

    /// <summary>Turns decoded series into label sets and samples of a batch.</summary>
    private readonly struct BatchSink(MetricWriteBatch batch, SeriesCache series) : IRemoteWriteSink
    {
        public void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels) =>
            batch.BeginSeries(series.Resolve(buffer, labels, encodedLabels));

        public bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash)
        {
            if (!series.TryResolve(encodedLabels, hash, out var set))
            {
                return false;
            }

            batch.BeginSeries(set);
            return true;
        }

        public void PrefetchEncodedSeries(ulong hash) => series.Prefetch(hash);

        public void Sample(long timestampMs, double value) => batch.AddSample(timestampMs, value);

        public void Histogram(NativeHistogram histogram) => batch.AddHistogram(histogram.TimestampMs, histogram.ToFloatHistogram());

        public void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs)
        {
            // Exemplars are not stored yet.
        }

        public void EndSeries()
        {
        }

        public void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit) =>
            batch.AddMetadata(Encoding.UTF8.GetString(familyName), new MetricMetadata(type.ToWord(), Encoding.UTF8.GetString(help), Encoding.UTF8.GetString(unit)));
    }
}
