using Apache.Arrow;
using Apache.Arrow.Types;
using BenchmarkDotNet.Attributes;
using LumaDB.Storage.Segments;

namespace LumaDB.Benchmarks.Storage.Micro;

/// <summary>
/// Decoding a segment of 131,072 span-like rows (two row groups of the default 64K rows): hex ids, repeated names
/// and resources, JSON attributes and events, times. This is what a compaction reads per input and a full scan
/// per segment; text columns dominate it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SegmentScanBenchmarks
{
    private const int Rows = 131_072;

    private string _directory = "";
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("luma-scan-bench-").FullName;
        var schema = new Schema(
        [
            new Field("trace_id", StringType.Default, false),
            new Field("span_id", StringType.Default, false),
            new Field("parent_span_id", StringType.Default, true),
            new Field("name", StringType.Default, false),
            new Field("service_name", StringType.Default, false),
            new Field("start_time_unix_nano", Int64Type.Default, false),
            new Field("duration_ns", Int64Type.Default, false),
            new Field("attributes", StringType.Default, false),
            new Field("resource_attributes", StringType.Default, false),
            new Field("events", StringType.Default, false),
        ], metadata: null);
        var random = new Random(3);
        string[] services = ["frontend", "checkout", "cart", "auth", "shipping", "payment", "search", "ads"];
        var columns = Enumerable.Range(0, 5).Select(_ => new StringArray.Builder()).ToArray();
        var attributes = new StringArray.Builder();
        var resources = new StringArray.Builder();
        var events = new StringArray.Builder();
        var starts = new Int64Array.Builder();
        var durations = new Int64Array.Builder();
        for (var i = 0; i < Rows; i++)
        {
            var trace = i / 8;
            var service = services[trace % services.Length];
            columns[0].Append($"{trace:x16}{(ulong)trace * 0x9E3779B97F4A7C15UL:x16}");
            columns[1].Append($"{i % 8:x2}{random.NextInt64():x14}");
            if (i % 8 == 0)
            {
                columns[2].AppendNull();
            }
            else
            {
                columns[2].Append($"{random.NextInt64():x16}");
            }

            columns[3].Append(i % 8 == 0 ? "GET /api/cart" : $"SELECT shop.items {i % 5}");
            columns[4].Append(service);
            starts.Append(1_764_028_800_000_000_000 + (random.Next(1_000_000) * 1_000L));
            durations.Append(random.Next(1_000, 90_000_000));
            attributes.Append($$"""{"http.request.method":"GET","http.route":"/api/cart/{id}","user.id":"u{{random.Next(100_000)}}","net.peer.port":{{random.Next(1024, 65535)}}}""");
            resources.Append($$"""{"service.name":"{{service}}","service.version":"1.4.2","host.name":"node-{{trace % 3}}","telemetry.sdk.language":"dotnet","os.type":"linux"}""");
            events.Append(i % 3 == 0 ? $$$"""[{"name":"retry","time_unix_nano":{{{random.NextInt64()}}},"attributes":{"attempt":{{{i % 4}}}}}]""" : "[]");
        }

        var batch = new RecordBatch(
            schema,
            [.. columns[..5].Select(c => (IArrowArray)c.Build()), starts.Build(), durations.Build(), attributes.Build(), resources.Build(), events.Build()],
            Rows);
        var writer = new SegmentWriter(_directory);
        var descriptor = writer.WriteAsync(SegmentSchema.FromArrow(schema, ["trace_id", "span_id"], null), [batch]).GetAwaiter().GetResult();
        _path = Path.Combine(_directory, descriptor.FileName);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public async Task<long> ScanEveryColumn()
    {
        long rows = 0;
        await using var reader = await SegmentReader.OpenAsync(_path);
        await foreach (var batch in reader.ScanAsync())
        {
            rows += batch.Length;
            batch.Dispose();
        }

        return rows;
    }
}
