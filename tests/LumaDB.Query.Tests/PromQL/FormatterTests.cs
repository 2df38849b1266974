using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

public sealed class FormatterTests
{
    [Theory]
    [InlineData("sum by(job)(rate(http_requests_total{job=\"api\"}[5m]))", "sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))")]
    [InlineData("sum(rate(foo[5m])) by (job)", "sum by (job) (rate(foo[5m]))")]
    [InlineData("sum without(a,b)(foo)", "sum without (a, b) (foo)")]
    [InlineData("sum without()(foo)", "sum without () (foo)")]
    [InlineData("sum by (\"a.b\", c)(foo)", "sum by (\"a.b\", c) (foo)")]
    [InlineData("sum by()(foo)", "sum(foo)")]
    [InlineData("topk(3,foo)", "topk(3, foo)")]
    [InlineData("count_values('v',foo)", "count_values(\"v\", foo)")]
    [InlineData("foo{b=\"2\",a=\"1\"}", "foo{a=\"1\",b=\"2\"}")]
    [InlineData("{__name__=\"foo\"}", "{__name__=\"foo\"}")]
    [InlineData("{\"foo\", a=\"b\"}", "{__name__=\"foo\",a=\"b\"}")]
    [InlineData("foo{\"a.b\"=~'x'}", "foo{\"a.b\"=~\"x\"}")]
    [InlineData("foo offset 5m @ 100", "foo @ 100.000 offset 5m")]
    [InlineData("foo offset -90m", "foo offset -1h30m")]
    [InlineData("foo[90m] @ start()", "foo[1h30m] @ start()")]
    [InlineData("foo[5m:] offset 1d", "foo[5m:] offset 1d")]
    [InlineData("foo[7d:1w]", "foo[1w:1w]")]
    [InlineData("rate(foo[5m])[30m:1m]", "rate(foo[5m])[30m:1m]")]
    [InlineData("a+on(x)group_left(y)b", "a + on (x) group_left (y) b")]
    [InlineData("a+ignoring(x)group_right b", "a + ignoring (x) group_right () b")]
    [InlineData("a>bool 1", "a > bool 1")]
    [InlineData("a and on() b", "a and on () b")]
    [InlineData("1e3", "1000")]
    [InlineData("0x10", "16")]
    [InlineData("1.5e-7", "0.00000015")]
    [InlineData("-1", "-1")]
    [InlineData("+Inf", "+Inf")]
    [InlineData("-inf", "-Inf")]
    [InlineData("nan", "NaN")]
    [InlineData("5m", "5m")]
    [InlineData("-(foo)", "-(foo)")]
    [InlineData("'a\\n\"b\"'", "\"a\\n\\\"b\\\"\"")]
    [InlineData("`a\\b`", "\"a\\\\b\"")]
    [InlineData("foo[5m+1m]", "foo[5m + 1m]")]
    [InlineData("foo[(5m+1m)*2]", "foo[(5m + 1m) * 2]")]
    [InlineData("foo offset -step()", "foo offset -step()")]
    [InlineData("foo[min_of(step(),1m):]", "foo[min_of(step(), 1m):]")]
    [InlineData("increase(foo[1m] anchored)", "increase(foo[1m] anchored)")]
    [InlineData("a + fill(0) b", "a + fill (0) b")]
    [InlineData("a + fill_left(1) fill_right(2) b", "a + fill_left (1) fill_right (2) b")]
    [InlineData("h </ 2", "h </ 2")]
    public void Expressions_print_in_Prometheus_canonical_form(string query, string canonical)
    {
        Assert.Equal(canonical, PromQLFormatter.Format(PromQLParser.Parse(query)));
    }

    public static TheoryData<string> RoundTripQueries => new()
    {
        "sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(foo_bucket[5m] offset 1h)))",
        "(a + b) * c / d % e ^ f ^ g atan2 h",
        "a == bool b and c or d unless e",
        "-foo + +bar",
        "foo @ 1609746000.123 offset -5m",
        "max_over_time(deriv(rate(foo[1m])[5m:])[10m:1m] @ end())",
        "label_join(up, \"a\", \",\", \"b\", \"c\")",
        "quantile(0.5, foo) by (a)",
        "{__name__=~\"foo|bar\", job!=\"\"}",
        "vector(1) > bool scalar(foo)",
        "absent(nonexistent{job=\"myjob\",instance=~\".*\"})",
        "time() - 1h30m",
        "foo[step() * 2] offset (1m + 30s)",
    };

    [Theory]
    [MemberData(nameof(RoundTripQueries))]
    public void Formatting_then_parsing_gives_the_same_canonical_text(string query)
    {
        var first = PromQLFormatter.Format(PromQLParser.Parse(query));
        var second = PromQLFormatter.Format(PromQLParser.Parse(first));
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(-2.5e-5, "-0.000025")]
    [InlineData(123456789.125, "123456789.125")]
    public void Floats_print_like_Go_FormatFloat_with_shortest_digits(double value, string text)
    {
        Assert.Equal(text, GoText.FormatFloat(value));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(86_400_000L * 90, "90d")]
    [InlineData(86_400_000L * 14, "2w")]
    [InlineData(86_400_000L * 365, "1y")]
    [InlineData(3_600_001, "1h1ms")]
    public void Durations_print_like_Prometheus_model_Duration(long millis, string text)
    {
        Assert.Equal(text, PromDuration.Format(TimeSpan.FromMilliseconds(millis)));
    }

    [Theory]
    [InlineData("1h30m", 5400_000)]
    [InlineData("0", 0)]
    [InlineData("5m1ms", 300_001)]
    [InlineData("1y2w3d4h5m6s7ms", 31_536_000_000L + 1_209_600_000L + 259_200_000L + 14_400_000L + 300_000L + 6_000L + 7L)]
    public void Durations_parse_from_largest_to_smallest_unit(string text, long millis)
    {
        Assert.True(PromDuration.TryParse(text, out var d, out var error), error);
        Assert.Equal(millis, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("1m1h")]
    [InlineData("1h1h")]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1.5h")]
    public void Malformed_durations_are_rejected(string text)
    {
        Assert.False(PromDuration.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Prettify_splits_calls_and_aggregations_whose_text_is_too_long()
    {
        var label = new string('x', 90);
        var query = "topk(5, sum without (instance) (rate(foo{a=\"" + label + "\"}[5m])))";
        Assert.Equal(
            "topk(\n  5,\n  sum without (instance) (\n    rate(\n      foo{a=\"" + label + "\"}[5m]\n    )\n  )\n)",
            PromQLFormatter.Prettify(PromQLParser.Parse(query)));
    }

    [Fact]
    public void Prettify_keeps_expressions_of_up_to_100_characters_on_one_line()
    {
        var e = PromQLParser.Parse("sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))");
        Assert.Equal(PromQLFormatter.Format(e), PromQLFormatter.Prettify(e));
    }

    [Fact]
    public void Prettify_splits_long_expressions_with_two_space_indents()
    {
        var query = "sum by (job) (rate(http_requests_total{job=\"api-server-with-a-long-name\",code=~\"5..\"}[5m])) / "
            + "sum by (job) (rate(http_requests_total{job=\"api-server-with-a-long-name\"}[5m]))";
        var pretty = PromQLFormatter.Prettify(PromQLParser.Parse(query));
        Assert.Equal(
            """
              sum by (job) (rate(http_requests_total{code=~"5..",job="api-server-with-a-long-name"}[5m]))
            /
              sum by (job) (rate(http_requests_total{job="api-server-with-a-long-name"}[5m]))
            """,
            pretty);
        // The multi-line form parses back to the same expression.
        Assert.Equal(PromQLFormatter.Format(PromQLParser.Parse(query)), PromQLFormatter.Format(PromQLParser.Parse(pretty)));
    }
}
