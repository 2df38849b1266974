using System.Text;
using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Snappier;
using static LumaDB.Protocols.Tests.Prometheus.RemoteWriteEncoder;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class MetricStoreReceiverTests
{
    private const string V2Type = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    private static async Task<(int Status, string Body, IHeaderDictionary Headers)> PostAsync(IRemoteWriteReceiver receiver, byte[] body, string contentType = "application/x-protobuf")
    {
        var endpoint = new RemoteWriteEndpoint(receiver, new RemoteWriteLimits(), NullLogger<RemoteWriteEndpoint>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Headers.ContentEncoding = "snappy";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        var response = new MemoryStream();
        context.Response.Body = response;
        await endpoint.HandleAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()), context.Response.Headers);
    }

    private static IReadOnlyList<StoredSeries> All(MetricStore store) =>
        store.Select([new SeriesMatcher(SeriesMatchType.Regex, "__name__", ".+", new Regex("^(?:.+)$"))], long.MinValue, long.MaxValue);

    [Fact]
    public async Task A_v1_request_lands_in_the_store_with_its_metadata()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        var body = Snappy.CompressToArray(V1(
            [new Series([("__name__", "http_requests_total"), ("job", "api")], [(1000, 1), (2000, 5)])],
            [(1, "http_requests_total", "Requests served.", "")]));

        var (status, _, _) = await PostAsync(receiver, body);

        Assert.Equal(204, status);
        var series = Assert.Single(All(store));
        Assert.Equal([1.0, 5], series.Values);
        Assert.True(store.TryGetMetadata("http_requests_total", out var metadata));
        Assert.Equal(new MetricMetadata("counter", "Requests served.", ""), metadata);
    }

    [Fact]
    public async Task A_v2_request_with_refused_samples_keeps_the_rest_and_counts_it_in_a_400()
    {
        using var store = new MetricStore(new MetricStoreOptions { OutOfOrderWindow = TimeSpan.FromSeconds(10) });
        using var receiver = new MetricStoreReceiver(store);
        string[] symbols = ["", "__name__", "up"];
        await PostAsync(receiver, Snappy.CompressToArray(V2(symbols, [(new uint[] { 1, 2 }, [(100_000, 1)], null)])), V2Type);

        // One in order, one late inside the window, one far too old.
        var (status, body, headers) = await PostAsync(receiver, Snappy.CompressToArray(V2(symbols, [(new uint[] { 1, 2 }, [(95_000, 2), (1_000, 3), (101_000, 4)], null)])), V2Type);

        Assert.Equal(400, status);
        Assert.Contains("1 samples older than the out-of-order window", body, StringComparison.Ordinal);
        Assert.Equal("2", headers["X-Prometheus-Remote-Write-Samples-Written"].ToString());
        Assert.Equal([95_000L, 100_000, 101_000], Assert.Single(All(store)).Timestamps);
    }

    [Fact]
    public async Task A_request_after_a_refused_one_writes_only_its_own_samples_and_metadata()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store, maxInFlight: 1);
        var big = Snappy.CompressToArray(V1(
            [.. Enumerable.Range(0, 50).Select(i => new Series([("__name__", "a"), ("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], [(1000, i)]))],
            [(1, "a", "First family.", "")]));
        Assert.Equal(204, (await PostAsync(receiver, big)).Status);

        // A request refused whole (malformed after its first series) and then a small one: each batch the receiver
        // reuses must start empty.
        var truncated = V1([new Series([("__name__", "b")], [(1000, 1)]), new Series([("__name__", "c")], [(1000, 1)])], []);
        Assert.Equal(400, (await PostAsync(receiver, Snappy.CompressToArray(truncated.AsSpan(0, truncated.Length - 3).ToArray()))).Status);
        var small = Snappy.CompressToArray(V1([new Series([("__name__", "d")], [(2000, 7)])], []));
        Assert.Equal(204, (await PostAsync(receiver, small)).Status);

        var series = All(store);
        Assert.Equal(51, series.Count);
        Assert.DoesNotContain(series, s => s.Labels.Get("__name__") is "b" or "c");
        Assert.Equal([7.0], series.Single(s => s.Labels.Get("__name__") == "d").Values);
        Assert.Equal(50, series.Count(s => s.Labels.Get("__name__") == "a" && s.Values.Length == 1));
    }

    [Fact]
    public async Task Later_requests_for_known_series_reuse_the_index_label_sets()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        // Same series again, labels in another order; a non-ASCII value; two series a value apart.
        await PostAsync(receiver, Snappy.CompressToArray(V1([
            new Series([("__name__", "temp"), ("room", "kitchen")], [(1000, 1)]),
            new Series([("__name__", "temp"), ("room", "küche")], [(1000, 2)]),
            new Series([("__name__", "temp"), ("room", "kitchem")], [(1000, 3)])])));
        var first = store.Index.LabelsOf(0);

        var (status, _, _) = await PostAsync(receiver, Snappy.CompressToArray(V1([
            new Series([("room", "kitchen"), ("__name__", "temp")], [(2000, 4)]),
            new Series([("__name__", "temp"), ("room", "küche")], [(2000, 5)]),
            new Series([("__name__", "temp"), ("room", "kitchem")], [(2000, 6)])])));

        Assert.Equal(204, status);
        Assert.Equal(3, store.Index.Count);
        Assert.Same(first, store.Index.LabelsOf(0));
        var byRoom = All(store).ToDictionary(s => s.Labels.Get("room"), s => s.Values);
        Assert.Equal([1.0, 4], byRoom["kitchen"]);
        Assert.Equal([2.0, 5], byRoom["küche"]);
        Assert.Equal([3.0, 6], byRoom["kitchem"]);
    }

    [Fact]
    public async Task A_malformed_request_is_a_400_and_writes_none_of_its_series()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        // The second series has no metric name: the whole request is refused, the first series included.
        var body = Snappy.CompressToArray(V1([new Series([("__name__", "a")], [(1, 1)]), new Series([("job", "b")], [(1, 1)])]));

        var (status, text, _) = await PostAsync(receiver, body);

        Assert.Equal(400, status);
        Assert.Contains("no metric name", text, StringComparison.Ordinal);
        Assert.Equal(0, store.Index.Count);
        Assert.Empty(All(store));
    }

    [Fact]
    public async Task A_request_past_the_series_limit_is_a_400_and_writes_nothing()
    {
        using var store = new MetricStore(new MetricStoreOptions { MaxActiveSeries = 1 });
        using var receiver = new MetricStoreReceiver(store);
        var body = Snappy.CompressToArray(V1([new Series([("__name__", "a")], [(1, 1)]), new Series([("__name__", "b")], [(1, 1)])]));

        var (status, text, _) = await PostAsync(receiver, body);

        Assert.Equal(400, status);
        Assert.Contains("max_active_series", text, StringComparison.Ordinal);
        Assert.Equal(0, store.Index.Count);
    }

    [Fact]
    public async Task A_series_sent_again_with_the_same_label_bytes_is_the_same_series()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        (string, string)[] labels = [("__name__", "node_cpu_seconds_total"), ("cpu", "0"), ("mode", "idle")];

        Assert.Equal(204, (await PostAsync(receiver, Snappy.CompressToArray(V1([new Series(labels, [(1000, 1)])])))).Status);
        Assert.Equal(204, (await PostAsync(receiver, Snappy.CompressToArray(V1([new Series(labels, [(2000, 2)])])))).Status);

        var series = Assert.Single(All(store));
        Assert.Equal([1000L, 2000], series.Timestamps);
        Assert.Equal(1, receiver.CachedSeries);
    }

    [Fact]
    public async Task Labels_sent_in_another_order_or_with_an_empty_value_name_the_same_series()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("__name__", "up"), ("job", "api")], [(1000, 1)])])));

        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("job", "api"), ("__name__", "up")], [(2000, 1)])])));
        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("__name__", "up"), ("env", ""), ("job", "api")], [(3000, 1)])])));
        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("job", "api"), ("__name__", "up")], [(4000, 1)])])));

        var series = Assert.Single(All(store));
        Assert.Equal([1000L, 2000, 3000, 4000], series.Timestamps);
    }

    [Fact]
    public async Task A_label_after_the_samples_is_part_of_the_series_even_when_the_leading_labels_are_known()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("__name__", "up")], [(1000, 1)])])));

        // The same leading label bytes, then a sample, then one more label: a different series.
        var stream = new MemoryStream();
        var output = new Google.Protobuf.CodedOutputStream(stream);
        WriteMessage(output, 1, series =>
        {
            WriteMessage(series, 1, label => WriteLabel(label, "__name__", "up"));
            WriteMessage(series, 2, sample => WriteSample(sample, 2000, 7));
            WriteMessage(series, 1, label => WriteLabel(label, "job", "api"));
        });
        output.Flush();

        Assert.Equal(204, (await PostAsync(receiver, Snappy.CompressToArray(stream.ToArray()))).Status);

        var stored = All(store);
        Assert.Equal(2, stored.Count);
        var withJob = Assert.Single(stored, s => s.Labels.Get("job") == "api");
        Assert.Equal([7.0], withJob.Values);
        Assert.Equal([1.0], Assert.Single(stored, s => s.Labels.Get("job").Length == 0).Values);
    }

    [Fact]
    public async Task A_known_series_in_a_request_that_is_malformed_later_writes_nothing()
    {
        using var store = new MetricStore();
        using var receiver = new MetricStoreReceiver(store);
        await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("__name__", "up")], [(1000, 1)])])));

        // A known series first, then a series with a label value that is not UTF-8.
        var valid = V1([new Series([("__name__", "up")], [(2000, 2)])]);
        var invalid = V1([new Series([("__name__", "bad"), ("v", "x")], [(2000, 2)])]);
        var at = invalid.AsSpan().LastIndexOf((byte)'x');
        invalid[at] = 0xFF;

        var (status, _, _) = await PostAsync(receiver, Snappy.CompressToArray([.. valid, .. invalid]));

        Assert.Equal(400, status);
        Assert.Equal([1000L], Assert.Single(All(store)).Timestamps);
    }

    [Fact]
    public async Task A_store_that_is_still_recovering_answers_503()
    {
        var directory = Directory.CreateTempSubdirectory("luma-rw-").FullName;
        try
        {
            await using var store = new MetricStore(new MetricStoreOptions { Directory = directory });
            using var receiver = new MetricStoreReceiver(store);

            var (status, _, _) = await PostAsync(receiver, Snappy.CompressToArray(V1([new Series([("__name__", "a")], [(1, 1)])])));

            Assert.Equal(503, status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
