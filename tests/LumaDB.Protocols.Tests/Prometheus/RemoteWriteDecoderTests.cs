using System.Text;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using static LumaDB.Protocols.Tests.Prometheus.RemoteWriteEncoder;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class RemoteWriteDecoderTests
{
    /// <summary>Records everything the decoder emits, as text, for assertions.</summary>
    private sealed class RecordingSink : IRemoteWriteSink
    {
        public List<string> Events { get; } = [];

        public void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels) => Events.Add("series " + Format(buffer, labels));

        public bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash) => false;

        public void PrefetchEncodedSeries(ulong hash)
        {
        }

        public void Sample(long timestampMs, double value) => Events.Add($"sample {timestampMs} {value}");

        public void Histogram(NativeHistogram h) => Events.Add(
            $"histogram ts={h.TimestampMs} float={h.IsFloat} count={h.Count} sum={h.Sum} schema={h.Schema} zt={h.ZeroThreshold} zc={h.ZeroCount} " +
            $"pos={string.Join(",", h.PositiveSpans.Select(s => $"{s.Offset}:{s.Length}"))} buckets={string.Join(",", h.PositiveBuckets)} hint={h.ResetHint}");

        public void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs) =>
            Events.Add($"exemplar {Format(buffer, labels)} {value} {timestampMs}");

        public void EndSeries() => Events.Add("end");

        public void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit) =>
            Events.Add($"metadata {type} {Encoding.UTF8.GetString(familyName)} '{Encoding.UTF8.GetString(help)}' '{Encoding.UTF8.GetString(unit)}'");

        private static string Format(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
        {
            var parts = new List<string>();
            foreach (var label in labels)
            {
                parts.Add($"{Encoding.UTF8.GetString(label.Name(buffer))}={Encoding.UTF8.GetString(label.Value(buffer))}");
            }

            return "{" + string.Join(",", parts) + "}";
        }
    }

    private static (bool Ok, RemoteWriteCounts Counts, string? Error, List<string> Events) Decode(byte[] body, RemoteWriteVersion version)
    {
        var sink = new RecordingSink();
        var ok = new RemoteWriteDecoder().TryDecode(body, version, ref sink, out var counts, out var error);
        return (ok, counts, error, sink.Events);
    }

    [Fact]
    public void V1_series_arrive_with_sorted_labels_samples_exemplars_and_histograms()
    {
        var body = V1(
            [new Series([("job", "node"), ("__name__", "up"), ("instance", "a:9100"), ("empty", "")], [(1000, 1), (2000, 0.5)], [("trace_id", "abc")], WithHistogram: true)],
            [(1, "http_requests_total", "Requests served.", "")]);

        var (ok, counts, error, events) = Decode(body, RemoteWriteVersion.V1);

        Assert.True(ok, error);
        Assert.Equal(
        [
            "series {__name__=up,instance=a:9100,job=node}",
            "sample 1000 1",
            "sample 2000 0.5",
            "exemplar {trace_id=abc} 0.25 1700000000123",
            "histogram ts=1700000000000 float=False count=10 sum=42.5 schema=1 zt=0.001 zc=2 pos=0:2,1:2 buckets=1,3,2,2 hint=No",
            "end",
            "metadata Counter http_requests_total 'Requests served.' ''",
        ], events);
        Assert.Equal(new RemoteWriteCounts(1, 2, 1, 1, 1), counts);
    }

    [Fact]
    public void V1_special_float_values_and_negative_timestamps_round_trip()
    {
        var stale = BitConverter.UInt64BitsToDouble(0x7ff0000000000002);
        var body = V1([new Series([("__name__", "x")], [(-5, double.PositiveInfinity), (0, double.NegativeInfinity), (7, stale)])]);
        var values = new List<(long, ulong)>();
        var sink = new CapturingSink(values);

        Assert.True(new RemoteWriteDecoder().TryDecode(body, RemoteWriteVersion.V1, ref sink, out _, out _));

        Assert.Equal([(-5L, BitConverter.DoubleToUInt64Bits(double.PositiveInfinity)), (0L, BitConverter.DoubleToUInt64Bits(double.NegativeInfinity)), (7L, 0x7ff0000000000002UL)], values);
    }

    [Fact]
    public void V2_resolves_labels_through_the_symbol_table_even_when_symbols_come_last()
    {
        string[] symbols = ["", "__name__", "http_requests_total", "job", "api", "Requests.", "requests"];
        var series = new[] { (new uint[] { 1, 2, 3, 4 }, new (long, double)[] { (10, 3) }, ((int, uint, uint)?)(1, 5u, 6u)) };

        foreach (var last in new[] { false, true })
        {
            var (ok, counts, error, events) = Decode(V2(symbols, series, symbolsLast: last), RemoteWriteVersion.V2);

            Assert.True(ok, error);
            Assert.Equal(["series {__name__=http_requests_total,job=api}", "metadata Counter http_requests_total 'Requests.' 'requests'", "sample 10 3", "end"], events);
            Assert.Equal(new RemoteWriteCounts(1, 1, 0, 0, 1), counts);
        }
    }

    [Fact]
    public void V2_reference_outside_the_symbol_table_is_refused()
    {
        var body = V2(["", "__name__", "up"], [(new uint[] { 1, 9 }, [(1, 1)], null)]);

        var (ok, _, error, _) = Decode(body, RemoteWriteVersion.V2);

        Assert.False(ok);
        Assert.Contains("outside the symbol table", error, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_odd_number_of_label_references_is_refused()
    {
        var (ok, _, error, _) = Decode(V2(["", "__name__", "up"], [(new uint[] { 1, 2, 1 }, [(1, 1)], null)]), RemoteWriteVersion.V2);

        Assert.False(ok);
        Assert.Contains("name/value pairs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_first_symbol_must_be_empty()
    {
        var (ok, _, error, _) = Decode(V2(["__name__", "up"], [(new uint[] { 0, 1 }, [(1, 1)], null)]), RemoteWriteVersion.V2);

        Assert.False(ok);
        Assert.Contains("first symbol must be the empty string", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "x", "names must be non-empty")]
    [InlineData("job", "a", "duplicate label name \"job\"")]
    public void Invalid_label_sets_are_refused_with_a_message(string name, string value, string expected)
    {
        var body = V1([new Series([("__name__", "up"), ("job", "a"), (name, value)], [(1, 1)])]);

        var (ok, _, error, _) = Decode(body, RemoteWriteVersion.V1);

        Assert.False(ok);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_series_without_a_metric_name_is_refused()
    {
        var (ok, _, error, _) = Decode(V1([new Series([("job", "a")], [(1, 1)])]), RemoteWriteVersion.V1);

        Assert.False(ok);
        Assert.Contains("no metric name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_label_value_is_refused()
    {
        var body = V1([new Series([("__name__", "up"), ("job", "MARK")], [(1, 1)])]);
        var at = body.AsSpan().IndexOf("MARK"u8);
        body[at] = 0xFF;

        var (ok, _, error, _) = Decode(body, RemoteWriteVersion.V1);

        Assert.False(ok);
        Assert.Contains("not UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_body_is_refused_or_decodes_a_prefix_and_never_throws()
    {
        var body = V1(
        [
            new Series([("__name__", "a"), ("job", "x")], [(1, 1), (2, 2)], [("t", "1")], WithHistogram: true),
            new Series([("__name__", "b")], [(3, 3)]),
        ]);
        var decoder = new RemoteWriteDecoder();
        var refused = 0;
        for (var length = 0; length < body.Length; length++)
        {
            var ok = decoder.TryValidate(body.AsSpan(0, length), RemoteWriteVersion.V1, out var counts, out var error);
            if (!ok)
            {
                refused++;
                Assert.False(string.IsNullOrEmpty(error));
            }
            else
            {
                Assert.True(counts.Series < 2);
            }
        }

        Assert.True(refused > body.Length / 2);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(42);
        var decoder = new RemoteWriteDecoder();
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            decoder.TryValidate(garbage, RemoteWriteVersion.V1, out _, out _);
            decoder.TryValidate(garbage, RemoteWriteVersion.V2, out _, out _);
        }
    }

    /// <summary>Knows series by their encoded label bytes once begun, and records what the decoder announced.</summary>
    private sealed class EncodedSink : IRemoteWriteSink
    {
        public HashSet<string> Known { get; } = [];

        public List<ulong> Announced { get; } = [];

        public List<string> Events { get; } = [];

        public void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels)
        {
            Events.Add("parsed");
            Known.Add(Convert.ToHexString(encodedLabels));
        }

        public bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash)
        {
            Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64(encodedLabels), hash);
            if (!Known.Contains(Convert.ToHexString(encodedLabels)))
            {
                return false;
            }

            Events.Add("known");
            return true;
        }

        public void PrefetchEncodedSeries(ulong hash) => Announced.Add(hash);

        public void Sample(long timestampMs, double value) => Events.Add($"sample {timestampMs} {value}");

        public void Histogram(NativeHistogram histogram)
        {
        }

        public void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs)
        {
        }

        public void EndSeries()
        {
        }

        public void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit)
        {
        }
    }

    [Fact]
    public void Every_series_is_announced_in_request_order_by_the_hash_of_its_label_bytes_and_found_by_it()
    {
        // More series than one announce window holds: they are announced window by window, all of them.
        var series = Enumerable.Range(0, 2_500).Select(i => new Series(
            [("__name__", "up"), ("instance", $"host-{i}:9100"), ("job", "node")], [(1000, i)])).ToArray();
        var body = V1(series);
        var sink = new EncodedSink();
        var decoder = new RemoteWriteDecoder();

        Assert.True(decoder.TryDecode(body, RemoteWriteVersion.V1, ref sink, out _, out _));
        Assert.Equal(2_500, sink.Announced.Count);
        Assert.Equal(2_500, sink.Events.Count(e => e == "parsed"));

        // The second time every series is found by its bytes, announced in request order with the same hashes.
        var first = sink.Announced.ToArray();
        sink.Announced.Clear();
        sink.Events.Clear();
        Assert.True(decoder.TryDecode(body, RemoteWriteVersion.V1, ref sink, out var counts, out _));
        Assert.Equal(first, sink.Announced);
        Assert.Equal(2_500, first.Distinct().Count());
        Assert.Equal(2_500, sink.Events.Count(e => e == "known"));
        Assert.Equal(2_500, counts.Samples);
        Assert.Equal(Enumerable.Range(0, 2_500).Select(i => $"sample 1000 {i}"), sink.Events.Where(e => e.StartsWith("sample", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_request_cut_short_after_announced_series_still_fails_as_malformed()
    {
        var body = V1([new Series([("__name__", "up"), ("job", "node")], [(1000, 1)]), new Series([("__name__", "up"), ("job", "api")], [(1000, 2)])]);
        var sink = new EncodedSink();
        var ok = new RemoteWriteDecoder().TryDecode(body.AsSpan(0, body.Length - 3), RemoteWriteVersion.V1, ref sink, out _, out var error);
        Assert.False(ok);
        Assert.Contains("malformed", error, StringComparison.Ordinal);
        Assert.Single(sink.Announced);
    }

    [Fact]
    public void Decoding_allocates_nothing_per_series_or_sample_once_warm()
    {
        var series = Enumerable.Range(0, 500).Select(i => new Series(
            [("__name__", "node_cpu_seconds_total"), ("cpu", (i % 8).ToString()), ("instance", $"host-{i}:9100"), ("job", "node"), ("mode", "idle")],
            [(1000, i), (2000, i + 1)]));
        var body = V1(series);
        var decoder = new RemoteWriteDecoder();
        decoder.TryValidate(body, RemoteWriteVersion.V1, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = decoder.TryValidate(body, RemoteWriteVersion.V1, out var counts, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ok);
        Assert.Equal(1000, counts.Samples);
        Assert.Equal(0, allocated);
    }

    private struct CapturingSink(List<(long, ulong)> values) : IRemoteWriteSink
    {
        public readonly void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels)
        {
        }

        public readonly bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash) => false;

        public readonly void PrefetchEncodedSeries(ulong hash)
        {
        }

        public readonly void Sample(long timestampMs, double value) => values.Add((timestampMs, BitConverter.DoubleToUInt64Bits(value)));

        public readonly void Histogram(NativeHistogram histogram)
        {
        }

        public readonly void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs)
        {
        }

        public readonly void EndSeries()
        {
        }

        public readonly void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit)
        {
        }
    }
}
