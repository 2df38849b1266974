using System.Globalization;
using System.Text;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using LumaDB.Protocols.Prometheus.Scrape;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class ExpositionParserTests
{
    private sealed class RecordingSink : IExpositionSink
    {
        public List<string> Events { get; } = [];

        public void Help(ReadOnlySpan<byte> family, ReadOnlySpan<byte> help) => Events.Add($"help {S(family)} {S(help)}");

        public void Type(ReadOnlySpan<byte> family, MetricType type) => Events.Add($"type {S(family)} {type}");

        public void Unit(ReadOnlySpan<byte> family, ReadOnlySpan<byte> unit) => Events.Add($"unit {S(family)} {S(unit)}");

        public void Sample(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs) =>
            Events.Add($"{Format(buffer, labels)} {value.ToString(CultureInfo.InvariantCulture)}{(timestampMs is { } t ? " @" + t : "")}");

        public void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs) =>
            Events.Add($"exemplar {Format(buffer, labels)} {value.ToString(CultureInfo.InvariantCulture)}{(timestampMs is { } t ? " @" + t : "")}");

        private static string S(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

        private static string Format(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
        {
            var parts = new List<string>();
            foreach (var l in labels)
            {
                parts.Add($"{S(l.Name(buffer))}={S(l.Value(buffer))}");
            }

            return "{" + string.Join(",", parts) + "}";
        }
    }

    private static (bool Ok, int Samples, string? Error, List<string> Events) Parse(string text, ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        var sink = new RecordingSink();
        var ok = new ExpositionParser().TryParse(Encoding.UTF8.GetBytes(text), format, ref sink, out var samples, out var error);
        return (ok, samples, error, sink.Events);
    }

    [Fact]
    public void Prometheus_text_with_help_type_labels_escapes_and_timestamps()
    {
        var (ok, samples, error, events) = Parse("""
            # HELP http_requests_total The total number of HTTP requests.\nSecond line.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400",} 3 1395066363000

            # A free comment
            msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            something_weird{problem="division by zero"} +Inf -3982045
            nan_metric NaN
            """);

        Assert.True(ok, error);
        Assert.Equal(6, samples);
        Assert.Equal(
        [
            "help http_requests_total The total number of HTTP requests.\nSecond line.",
            "type http_requests_total Counter",
            "{__name__=http_requests_total,code=200,method=post} 1027 @1395066363000",
            "{__name__=http_requests_total,code=400,method=post} 3 @1395066363000",
            "{__name__=msdos_file_access_time_seconds,error=Cannot find file:\n\"FILE.TXT\",path=C:\\DIR\\FILE.TXT} 1458255915",
            "{__name__=metric_without_timestamp_and_labels} 12.47",
            "{__name__=something_weird,problem=division by zero} Infinity @-3982045",
            "{__name__=nan_metric} NaN",
        ], events);
    }

    [Fact]
    public void OpenMetrics_with_units_exemplars_second_timestamps_and_eof()
    {
        var (ok, samples, error, events) = Parse("""
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0 1520879607.789
            # TYPE foo histogram
            foo_bucket{le="0.01"} 0
            foo_bucket{le="+Inf"} 17 # {trace_id="KOO5S4vxi0o"} 0.67 1520879602.5
            # EOF
            """, ExpositionFormat.OpenMetrics);

        Assert.True(ok, error);
        Assert.Equal(4, samples);
        Assert.Contains("unit acme_http_router_request_seconds seconds", events);
        Assert.Contains("{__name__=acme_http_router_request_seconds_count,method=GET,path=/api/v1} 807283 @1520879607789", events);
        Assert.Equal("exemplar {trace_id=KOO5S4vxi0o} 0.67 @1520879602500", events[^1]);
        Assert.Equal("{__name__=foo_bucket,le=+Inf} 17", events[^2]);
    }

    [Fact]
    public void Quoted_utf8_metric_and_label_names_are_accepted()
    {
        var (ok, _, error, events) = Parse("""
            {"my.metric", "label.name"="v", job="x"} 1
            """);

        Assert.True(ok, error);
        Assert.Equal("{__name__=my.metric,job=x,label.name=v} 1", events.Single());
    }

    [Fact]
    public void OpenMetrics_without_eof_is_refused()
    {
        var (ok, _, error, _) = Parse("a 1\n", ExpositionFormat.OpenMetrics);

        Assert.False(ok);
        Assert.Equal("line 1: OpenMetrics body does not end with # EOF", error);
    }

    [Theory]
    [InlineData("metric{a=\"1\" 2", "line 1: expected , or } in a label set")]
    [InlineData("metric{a=1} 2", "line 1: expected a quoted label value")]
    [InlineData("metric two", "line 1: invalid value \"two\"")]
    [InlineData("ok 1\nmetric 1 1.5", "line 2: invalid timestamp \"1.5\"")]
    [InlineData("metric{a=\"1\",a=\"2\"} 1", "line 1: duplicate label name \"a\"")]
    [InlineData("# TYPE m histogrammy", "line 1: unknown metric type \"histogrammy\"")]
    [InlineData("9metric 1", "line 1: expected a metric or label name")]
    [InlineData("metric{a=\"unterminated} 1", "line 1: unterminated quoted string")]
    public void Malformed_lines_are_refused_with_the_line_number(string text, string expected)
    {
        var (ok, _, error, _) = Parse(text);

        Assert.False(ok);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Every_prefix_of_a_body_parses_or_fails_without_throwing()
    {
        const string body = "# HELP a x\\ny\n# TYPE a gauge\na{b=\"c\\\"d\",e=\"f\"} 1.5e3 123\n{\"q.r\"} -Inf\n";
        var parser = new ExpositionParser();
        var sink = new RecordingSink();
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var i = 0; i <= bytes.Length; i++)
        {
            parser.TryParse(bytes.AsSpan(0, i), ExpositionFormat.PrometheusText, ref sink, out _, out _);
            parser.TryParse(bytes.AsSpan(0, i), ExpositionFormat.OpenMetrics, ref sink, out _, out _);
        }
    }

    [Fact]
    public void Parsing_allocates_nothing_per_sample_once_warm()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"node_cpu_seconds_total{{cpu=\"{i % 8}\",mode=\"idle\"}} {i}.25\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var parser = new ExpositionParser();
        var sink = new NullSink();
        parser.TryParse(bytes, ExpositionFormat.PrometheusText, ref sink, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(parser.TryParse(bytes, ExpositionFormat.PrometheusText, ref sink, out var samples, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(300, samples);
        Assert.Equal(0, allocated);
    }

    private struct NullSink : IExpositionSink
    {
        public readonly void Help(ReadOnlySpan<byte> family, ReadOnlySpan<byte> help)
        {
        }

        public readonly void Type(ReadOnlySpan<byte> family, MetricType type)
        {
        }

        public readonly void Unit(ReadOnlySpan<byte> family, ReadOnlySpan<byte> unit)
        {
        }

        public readonly void Sample(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs)
        {
        }

        public readonly void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs)
        {
        }
    }
}
