using BenchmarkDotNet.Attributes;
using LumaDB.Storage.Memtables;

namespace LumaDB.Benchmarks.Storage.Micro;

/// <summary>Point lookups and inserts in a memtable of 100,000 narrow rows.</summary>
[MemoryDiagnoser]
public class RowMemtableBenchmarks
{
    private const int Rows = 100_000;
    private readonly byte[] _key = new byte[NarrowRows.KeySize];
    private readonly byte[] _row = new byte[NarrowRows.RowSize];
    private RowMemtable _memtable = null!;
    private long[] _probes = [];
    private int _next;
    private ulong _seq;

    [GlobalSetup]
    public void Setup()
    {
        _memtable = new RowMemtable(1L << 30);
        var random = new Random(1);
        foreach (var id in Enumerable.Range(0, Rows).OrderBy(_ => random.Next()))
        {
            NarrowRows.WriteKey(_key, id);
            NarrowRows.WriteRow(_row, id);
            _memtable.Put(_key, ++_seq, _row);
        }

        _probes = Enumerable.Range(0, 4096).Select(_ => random.NextInt64(Rows)).ToArray();
    }

    [Benchmark]
    public MemtableLookup PointLookup()
    {
        NarrowRows.WriteKey(_key, _probes[_next++ & 4095]);
        return _memtable.TryGet(_key, ulong.MaxValue, out _);
    }

    [Benchmark]
    public void InsertNewVersion()
    {
        NarrowRows.WriteKey(_key, _probes[_next++ & 4095]);
        _memtable.Put(_key, ++_seq, _row);
    }
}
