using LumaDB.Query.PromQL.Testing;

namespace LumaDB.Query.Tests.PromQL;

public sealed class TestScriptReaderTests
{
    private const string Script = """
        # A comment line is a blank line.
        load 5m
            http_requests{job="api-server", instance="0"}  0+10x3
            other 1 _ 3 stale _x2 1-2x2 2x1 1m
            {"dotted.name", a='x'} -Inf NaN 0x2

        eval instant at 50m sum by (job) (http_requests)
            {job="api-server"} 30

        eval range from 0 to 10m step 5m other
            other 1 _ 3
            expect warn msg: something happened (1:1)
            expect no_info

        clear
        eval instant at 1m foo
            expect fail regex: bad .*
            expect ordered

        eval_fail instant at 0 -{job="api"}
            expected_fail_message unary error

        eval instant at 0 "x"
            expect string "x"

        eval instant at 0 1
            1

        load_with_nhcb 1m
            h {{schema:0 sum:5 count:4 buckets:[1 2 1] counter_reset_hint:gauge}}x2 {{count:1}}+{{count:2}}x1
            s{a="b"}@st _ -30s 1mx1
            s{a="b"} 1 2 3 4
        """;

    private static PromQLTestScript Read() => PromQLTestScript.Parse(Script, "inline.test");

    [Fact]
    public void Commands_are_read_in_order()
    {
        Assert.Equal(
            ["LoadCommand", "EvalCommand", "EvalCommand", "ClearCommand", "EvalCommand", "EvalCommand", "EvalCommand", "EvalCommand", "LoadCommand"],
            Read().Commands.Select(c => c.GetType().Name));
    }

    [Fact]
    public void Load_lines_expand_the_value_notation()
    {
        var load = (LoadCommand)Read().Commands[0];
        Assert.Equal(TimeSpan.FromMinutes(5), load.Interval);
        var requests = load.Series[0];
        Assert.Equal([new("job", "api-server"), new("instance", "0"), new("__name__", "http_requests")], requests.Labels.OrderBy(l => l.Key == "__name__").ToList());
        Assert.Equal([0.0, 10, 20, 30], requests.Values.Select(v => v.Value));

        var other = load.Series[1].Values;
        Assert.Equal(
            [SampleKind.Float, SampleKind.Omitted, SampleKind.Float, SampleKind.Stale, SampleKind.Omitted, SampleKind.Omitted, SampleKind.Float, SampleKind.Float, SampleKind.Float, SampleKind.Float, SampleKind.Float, SampleKind.Float],
            other.Select(v => v.Kind));
        Assert.Equal([1.0, -1, -3, 2, 2, 60], other.Where(v => v.Kind == SampleKind.Float).Skip(2).Select(v => v.Value));
        Assert.Equal(SampleValue.StaleNaNBits, BitConverter.DoubleToUInt64Bits(other[3].Value));

        var dotted = load.Series[2];
        Assert.Equal("dotted.name", dotted.MetricName);
        Assert.Equal(double.NegativeInfinity, dotted.Values[0].Value);
        Assert.True(double.IsNaN(dotted.Values[1].Value));
        // Not hexadecimal: 0x2 is three zeros.
        Assert.Equal([0.0, 0, 0], dotted.Values.Skip(2).Select(v => v.Value));
    }

    [Fact]
    public void Eval_commands_carry_times_expressions_and_expectations()
    {
        var evals = Read().Evals.ToList();
        Assert.Equal(EvalKind.Instant, evals[0].Kind);
        Assert.Equal(TimeSpan.FromMinutes(50), evals[0].At);
        Assert.Equal("sum by (job) (http_requests)", evals[0].Expression);
        Assert.Equal(30, evals[0].ExpectedSeries[0].Values[0].Value);

        var range = evals[1];
        Assert.Equal(EvalKind.Range, range.Kind);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)), (range.Start, range.End, range.Step));
        Assert.Equal([SampleKind.Float, SampleKind.Omitted, SampleKind.Float], range.ExpectedSeries[0].Values.Select(v => v.Kind));
        Assert.Equal("something happened (1:1)", Assert.Single(range.Warnings).Message);
        Assert.True(range.NoInfos);

        Assert.Equal("bad .*", evals[2].Fail!.Regex);
        Assert.True(evals[2].Ordered);
        Assert.Empty(evals[2].ExpectedSeries);

        Assert.Equal("eval_fail", evals[3].Variant);
        Assert.Equal("unary error", evals[3].Fail!.Message);

        Assert.Equal("x", evals[4].ExpectedString);
        Assert.Equal(1, evals[5].ExpectedScalar);
    }

    [Fact]
    public void Histogram_literals_and_start_timestamps_are_read()
    {
        var load = (LoadCommand)Read().Commands[^1];
        Assert.True(load.WithNhcb);
        var h = load.Series[0].Values;
        Assert.Equal(5, h.Count);
        Assert.All(h, v => Assert.Equal(SampleKind.Histogram, v.Kind));
        var first = h[0].Histogram!;
        Assert.Equal((0, 5.0, 4.0, "gauge"), (first.Schema, first.Sum, first.Count, first.CounterResetHint));
        Assert.Equal([1.0, 2, 1], first.PositiveBuckets);
        Assert.Equal(1, h[4].Multiplier);
        Assert.Equal(2, h[4].HistogramIncrement!.Count);

        var s = load.Series[1];
        Assert.Equal([null, TimeSpan.FromSeconds(-30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)], s.StartTimestampOffsets!);
        Assert.Equal(4, s.Values.Count);
    }

    [Fact]
    public void A_malformed_script_names_the_failing_line()
    {
        var e = Assert.Throws<FormatException>(() => PromQLTestScript.Parse("load 5m\n  foo 1 2\n\nbogus command\n", "x.test"));
        Assert.StartsWith("x.test:4:", e.Message, StringComparison.Ordinal);
    }
}
