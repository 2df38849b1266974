using Snappier;

namespace LumaDB.Bench.RemoteWrite;

/// <summary>
/// Produces the load's snappy-compressed requests in order: every series once per round, so many series per
/// request, timestamps one interval apart per round. Label bytes are encoded once per series.
/// </summary>
internal sealed class RequestSource(int seriesCount, int seriesPerRequest, int samplesPerSeries, long startTs, int intervalMs)
{
    private readonly NodeExporterSeries _series = new(seriesCount);
    private readonly Random _random = new(2);
    private readonly WriteRequestEncoder _encoder = new();
    private readonly (long Ts, double Value)[] _samples = new (long, double)[samplesPerSeries];
    private byte[][]? _labels;
    private long _round;
    private int _first;

    /// <summary>The next request and its sample count.</summary>
    public (byte[] Body, int Samples) Next()
    {
        _labels ??= [.. _series.Series.Select(WriteRequestEncoder.EncodeLabels)];
        _encoder.Reset();
        var last = Math.Min(seriesCount, _first + seriesPerRequest);
        for (var s = _first; s < last; s++)
        {
            for (var k = 0; k < _samples.Length; k++)
            {
                _samples[k] = (startTs + ((_round * _samples.Length) + k) * intervalMs, _series.Next(s, _random));
            }

            _encoder.AddSeries(_labels[s], _samples);
        }

        var count = (last - _first) * _samples.Length;
        _first = last;
        if (_first >= seriesCount)
        {
            _first = 0;
            _round++;
        }

        return (Snappy.CompressToArray(_encoder.Written), count);
    }
}
