using BenchmarkDotNet.Attributes;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Benchmarks.Storage.Micro;

/// <summary>
/// Flushing a memtable of 40,000 span-like rows (hex ids, repeated names and resources, JSON attributes, times)
/// into one segment file: the memtable walk, the batch builder and the segment writer.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 20, invocationCount: 1)]
public class ShardFlushBenchmarks
{
    private const int Rows = 40_000;

    private static readonly TableLayout Spans = new(
        5,
        [
            new TableColumn("trace_id", SegmentColumnKind.Utf8, false),
            new TableColumn("span_id", SegmentColumnKind.Utf8, false),
            new TableColumn("parent_span_id", SegmentColumnKind.Utf8),
            new TableColumn("name", SegmentColumnKind.Utf8, false),
            new TableColumn("service_name", SegmentColumnKind.Utf8, false),
            new TableColumn("start_time", SegmentColumnKind.TimestampMicros, false),
            new TableColumn("duration_ns", SegmentColumnKind.Int64, false),
            new TableColumn("http_status_code", SegmentColumnKind.Int32),
            new TableColumn("attributes", SegmentColumnKind.Utf8),
            new TableColumn("resource_attributes", SegmentColumnKind.Utf8),
        ],
        [0, 1],
        5);

    private readonly List<WriteBatch> _batches = [];
    private string _directory = "";
    private Shard _shard = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var row = new RowBuilder(Spans);
        string[] services = ["frontend", "checkout", "cart", "auth", "shipping", "payment", "search", "ads"];
        for (var first = 0; first < Rows; first += 1_000)
        {
            var batch = new WriteBatch();
            for (var i = first; i < first + 1_000; i++)
            {
                var trace = i / 8;
                var service = services[trace % services.Length];
                row.Reset();
                row.SetText(0, $"{(ulong)trace * 0x9E3779B97F4A7C15UL:x16}{trace:x16}")
                    .SetText(1, $"{random.NextInt64():x16}")
                    .SetText(3, i % 8 == 0 ? "GET /api/cart" : $"SELECT shop.items {i % 5}")
                    .SetText(4, service)
                    .SetTimestamp(5, 1_764_028_800_000_000 + i)
                    .SetInt64(6, random.Next(1_000, 90_000_000))
                    .SetText(8, $$"""{"http.request.method":"GET","http.route":"/api/cart/{id}","user.id":"u{{random.Next(100_000)}}","net.peer.port":{{random.Next(1024, 65535)}}}""")
                    .SetText(9, $$"""{"service.name":"{{service}}","service.version":"1.4.2","host.name":"node-{{trace % 3}}","telemetry.sdk.language":"dotnet","telemetry.sdk.version":"1.9.0","os.type":"linux"}""");
                if (i % 8 != 0)
                {
                    row.SetText(2, $"{random.NextInt64():x16}").SetInt32(7, 200);
                }

                batch.Put(row);
            }

            _batches.Add(batch);
        }
    }

    [IterationSetup]
    public void Fill()
    {
        _directory = Directory.CreateTempSubdirectory("luma-flush-bench-").FullName;
        _shard = Shard.OpenAsync(new ShardOptions
        {
            Directory = _directory,
            Tables = [Spans],
            FsyncMode = LumaDB.Storage.Wal.WalFsyncMode.Never,
            MemtableBudgetBytes = 1L << 30,
            Compaction = new CompactionOptions { Background = false },
            MaintenanceInterval = null,
        }).GetAwaiter().GetResult();
        foreach (var batch in _batches)
        {
            _shard.CommitAsync(batch).AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public Task Flush() => _shard.FlushAsync();

    [IterationCleanup]
    public void Close()
    {
        _shard.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }
}
