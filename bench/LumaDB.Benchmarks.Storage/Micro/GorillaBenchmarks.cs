using BenchmarkDotNet.Attributes;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Benchmarks.Storage.Micro;

/// <summary>Encoding and decoding one 120-sample chunk; the allocation columns should read zero for decode.</summary>
[MemoryDiagnoser]
public class GorillaBenchmarks
{
    private long[] _times = [];
    private double[] _values = [];
    private GorillaChunk _chunk = null!;
    private GorillaChunkEncoder _encoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_times, _values) = SeriesGenerator.Counter(120, 1);
        _encoder = new GorillaChunkEncoder();
        foreach (var i in Enumerable.Range(0, 120))
        {
            _encoder.Append(_times[i], _values[i]);
        }

        _chunk = _encoder.ToChunk();
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder.Dispose();

    [Benchmark(OperationsPerInvoke = 120)]
    public int Encode120()
    {
        _encoder.Reset();
        for (var i = 0; i < _times.Length; i++)
        {
            _encoder.Append(_times[i], _values[i]);
        }

        return _encoder.Bytes.Length;
    }

    [Benchmark(OperationsPerInvoke = 120)]
    public double Decode120()
    {
        var sum = 0.0;
        var iterator = _chunk.GetIterator();
        while (iterator.MoveNext())
        {
            sum += iterator.Value;
        }

        return sum;
    }
}
