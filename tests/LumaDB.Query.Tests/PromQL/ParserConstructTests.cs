using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

public sealed class ParserConstructTests
{
    private static T Parse<T>(string query)
        where T : Expr
    {
        var result = PromQLParser.TryParse(query);
        Assert.True(result.Success, result.ErrorMessage);
        return Assert.IsType<T>(result.Expression);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1e3", 1000)]
    [InlineData("1E-2", 0.01)]
    [InlineData("0x1F", 31)]
    [InlineData("0755", 493)]
    [InlineData("1_000_000", 1000000)]
    [InlineData("-7", -7)]
    [InlineData("+7", 7)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("2w", 1209600)]
    [InlineData("1y", 31536000)]
    [InlineData("1500ms", 1.5)]
    public void Number_literals_parse_to_their_value(string query, double value)
    {
        Assert.Equal(value, Parse<NumberLiteral>(query).Value, 9);
    }

    [Theory]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("NaN", double.NaN)]
    [InlineData("nan", double.NaN)]
    public void Inf_and_NaN_are_numbers_in_any_case(string query, double value)
    {
        Assert.Equal(value, Parse<NumberLiteral>(query).Value);
    }

    [Fact]
    public void Duration_literals_are_numbers_of_seconds_and_remember_they_were_durations()
    {
        var n = Parse<NumberLiteral>("90s");
        Assert.True(n.IsDuration);
        Assert.Equal("1m30s", n.ToString());
        var b = Parse<BinaryExpr>("time() - 1h");
        Assert.Equal(3600, ((NumberLiteral)b.Right).Value);
    }

    [Theory]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("'it''s'", null)]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData("`raw\\n`", "raw\\n")]
    [InlineData("\"\\u00e9\\x41\\101\"", "éAA")]
    [InlineData("\"\\\\\"", "\\")]
    public void String_literals_follow_Go_quoting(string query, string? value)
    {
        var result = PromQLParser.TryParse(query);
        if (value is null)
        {
            Assert.False(result.Success);
            return;
        }

        Assert.True(result.Success, result.ErrorMessage);
        Assert.Equal(value, Assert.IsType<StringLiteral>(result.Expression).Value);
    }

    [Fact]
    public void String_literals_remember_when_byte_escapes_are_not_valid_UTF8()
    {
        Assert.False(Parse<StringLiteral>("\"a\\xc5z\"").IsValidUtf8);
        Assert.True(Parse<StringLiteral>("\"a\\xc3\\xa9z\"").IsValidUtf8);
        Assert.Equal("aéz", Parse<StringLiteral>("\"a\\xc3\\xa9z\"").Value);
    }

    [Fact]
    public void A_vector_selector_has_its_name_as_a_trailing_name_matcher()
    {
        var vs = Parse<VectorSelector>("http_requests_total{job=\"api\", code!=\"200\", path=~\"/a.*\", method!~'GET|HEAD'}");
        Assert.Equal("http_requests_total", vs.Name);
        Assert.Equal(
            ["job=api", "code!=200", "path=~/a.*", "method!~GET|HEAD", "__name__=http_requests_total"],
            vs.Matchers.Select(m => m.Name + LabelMatcher.Symbol(m.Type) + m.Value));
    }

    [Theory]
    [InlineData("{__name__=\"foo\"}")]
    [InlineData("{\"foo\"}")]
    [InlineData("{'foo', job=\"x\"}")]
    public void The_metric_name_can_be_given_inside_braces(string query)
    {
        var vs = Parse<VectorSelector>(query);
        Assert.Null(vs.Name);
        Assert.Contains(vs.Matchers, m => m.Name == "__name__" && m.Value == "foo" && m.Type == LabelMatchType.Equal);
    }

    [Fact]
    public void Quoted_label_names_and_trailing_commas_are_accepted()
    {
        var vs = Parse<VectorSelector>("foo{\"my.label\"=\"v\",}");
        Assert.Equal("my.label", vs.Matchers[0].Name);
        Assert.Equal("foo{\"my.label\"=\"v\"}", vs.ToString());
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("by")]
    [InlineData("offset")]
    [InlineData("start")]
    [InlineData("anchored")]
    [InlineData("a:b:c")]
    public void Keywords_can_be_metric_names_where_an_expression_is_expected(string name)
    {
        Assert.Equal(name, Parse<VectorSelector>(name).Name);
    }

    [Fact]
    public void A_range_selector_keeps_range_offset_and_at()
    {
        var ms = Parse<MatrixSelector>("foo[5m] offset -1h @ 1609746000");
        Assert.Equal(TimeSpan.FromMinutes(5), ms.RangeDuration);
        Assert.Equal(TimeSpan.FromHours(-1), ms.Selector.Offset);
        Assert.Equal(1609746000000L, ms.Selector.Timestamp);
        Assert.Equal(PromQLValueType.Matrix, ms.Type);
    }

    [Theory]
    [InlineData("foo @ start()", AtBound.Start)]
    [InlineData("foo @ end()", AtBound.End)]
    [InlineData("foo[1m] @ END()", AtBound.End)]
    public void The_at_modifier_accepts_start_and_end(string query, AtBound bound)
    {
        var e = PromQLParser.Parse(query);
        var vs = e as VectorSelector ?? ((MatrixSelector)e).Selector;
        Assert.Equal(bound, vs.At);
    }

    [Fact]
    public void At_timestamps_are_stored_in_milliseconds_and_may_be_negative()
    {
        Assert.Equal(3334L, Parse<VectorSelector>("foo @ 3.3335").Timestamp);
        Assert.Equal(10000L, Parse<VectorSelector>("foo @ 0xA").Timestamp);
        Assert.Equal(3000L, Parse<VectorSelector>("foo @ 3.").Timestamp);
        Assert.Equal(-1500L, Parse<VectorSelector>("foo @ -1.5").Timestamp);
        Assert.Equal(60000L, Parse<VectorSelector>("foo @ 1m").Timestamp);
    }

    [Fact]
    public void Subqueries_take_a_range_and_an_optional_step()
    {
        var sq = Parse<SubqueryExpr>("rate(foo[5m])[30m:1m] offset 5m");
        Assert.Equal(TimeSpan.FromMinutes(30), sq.RangeDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), sq.Step);
        Assert.Equal(TimeSpan.FromMinutes(5), sq.Offset);
        Assert.Equal(TimeSpan.Zero, Parse<SubqueryExpr>("foo[30m:]").Step);
    }

    [Fact]
    public void Binary_vector_matching_is_captured()
    {
        var b = Parse<BinaryExpr>("a / on(job, instance) group_left(version) b");
        Assert.NotNull(b.Matching);
        Assert.True(b.Matching!.On);
        Assert.Equal(["job", "instance"], b.Matching.MatchingLabels);
        Assert.Equal(MatchCardinality.ManyToOne, b.Matching.Cardinality);
        Assert.Equal(["version"], b.Matching.Include);

        var r = Parse<BinaryExpr>("a - ignoring(x) group_right b");
        Assert.False(r.Matching!.On);
        Assert.Equal(MatchCardinality.OneToMany, r.Matching.Cardinality);
        Assert.Empty(r.Matching.Include);
    }

    [Fact]
    public void Set_operators_match_many_to_many_and_scalar_operations_have_no_matching()
    {
        Assert.Equal(MatchCardinality.ManyToMany, Parse<BinaryExpr>("a and b").Matching!.Cardinality);
        Assert.Null(Parse<BinaryExpr>("a * 2").Matching);
        Assert.Equal(PromQLValueType.Scalar, Parse<BinaryExpr>("1 + 2").Type);
    }

    [Fact]
    public void The_bool_modifier_applies_to_comparisons()
    {
        var b = Parse<BinaryExpr>("a > bool 1");
        Assert.True(b.ReturnBool);
        Assert.True(Parse<BinaryExpr>("1 == bool 2").ReturnBool);
    }

    [Theory]
    [InlineData("sum by (job) (foo)", false)]
    [InlineData("sum(foo) by (job)", false)]
    [InlineData("sum without (job) (foo)", true)]
    [InlineData("SUM(foo) WITHOUT (job,)", true)]
    public void Aggregation_grouping_may_come_before_or_after_the_arguments(string query, bool without)
    {
        var a = Parse<AggregateExpr>(query);
        Assert.Equal(["job"], a.Grouping);
        Assert.Equal(without, a.Without);
    }

    [Theory]
    [InlineData("topk(3, foo)", AggregationOperator.Topk)]
    [InlineData("bottomk(3, foo)", AggregationOperator.Bottomk)]
    [InlineData("quantile(0.9, foo)", AggregationOperator.Quantile)]
    [InlineData("count_values(\"v\", foo)", AggregationOperator.CountValues)]
    [InlineData("limitk(2, foo)", AggregationOperator.Limitk)]
    [InlineData("limit_ratio(0.5, foo)", AggregationOperator.LimitRatio)]
    public void Parameterised_aggregations_keep_their_parameter(string query, AggregationOperator op)
    {
        var a = Parse<AggregateExpr>(query);
        Assert.Equal(op, a.Operator);
        Assert.NotNull(a.Parameter);
    }

    [Theory]
    [InlineData("sum(foo)")]
    [InlineData("min(foo)")]
    [InlineData("max(foo)")]
    [InlineData("avg(foo)")]
    [InlineData("group(foo)")]
    [InlineData("stddev(foo)")]
    [InlineData("stdvar(foo)")]
    [InlineData("count(foo)")]
    public void Plain_aggregations_take_one_vector(string query)
    {
        Assert.Null(Parse<AggregateExpr>(query).Parameter);
    }

    [Theory]
    [InlineData("rate(foo[5m])")]
    [InlineData("histogram_quantile(0.9, sum by (le) (rate(foo_bucket[5m])))")]
    [InlineData("label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")")]
    [InlineData("label_join(up, \"a\", \",\", \"b\", \"c\", \"d\")")]
    [InlineData("quantile_over_time(0.5, foo[5m])")]
    [InlineData("predict_linear(foo[1h], 3600)")]
    [InlineData("clamp(foo, 0, 1)")]
    [InlineData("round(foo)")]
    [InlineData("round(foo, 0.5)")]
    [InlineData("time()")]
    [InlineData("pi()")]
    [InlineData("vector(1)")]
    [InlineData("scalar(foo)")]
    [InlineData("day_of_week()")]
    [InlineData("day_of_week(foo)")]
    [InlineData("sort_by_label(foo, \"a\", \"b\")")]
    [InlineData("double_exponential_smoothing(foo[5m], 0.5, 0.5)")]
    [InlineData("histogram_fraction(0, 0.1, foo)")]
    [InlineData("info(foo, {data=~\".*\"})")]
    [InlineData("absent_over_time(foo[5m])")]
    [InlineData("mad_over_time(foo[5m])")]
    public void Function_calls_are_checked_against_the_function_table(string query)
    {
        var c = Parse<Call>(query);
        Assert.Same(PromQLFunctions.All[c.Function.Name], c.Function);
    }

    [Fact]
    public void Every_table_function_is_known_to_the_parser()
    {
        foreach (var f in PromQLFunctions.All.Values)
        {
            var args = Enumerable.Range(0, f.MinArguments).Select(i => f.ArgumentType(i) switch
            {
                PromQLValueType.Scalar => "1",
                PromQLValueType.Vector => "foo",
                PromQLValueType.Matrix => "foo[5m]",
                _ => "\"s\"",
            });
            var query = f.Name + "(" + string.Join(", ", args) + ")";
            var result = PromQLParser.TryParse(query);
            Assert.True(result.Success, query + ": " + result.ErrorMessage);
        }
    }

    [Fact]
    public void Comments_are_ignored()
    {
        var e = PromQLParser.Parse("sum(foo) # the total\n + 1 # and one more");
        Assert.IsType<BinaryExpr>(e);
    }

    [Fact]
    public void Parenthesised_expressions_keep_their_parentheses()
    {
        var p = Parse<ParenExpr>("(foo)");
        Assert.IsType<VectorSelector>(p.Inner);
        Assert.Equal(new PositionRange(0, 5), p.Range);
    }

    [Fact]
    public void Nodes_carry_byte_positions()
    {
        var b = Parse<BinaryExpr>("foo + rate(bar[5m])");
        Assert.Equal(new PositionRange(0, 3), b.Left.Range);
        Assert.Equal(new PositionRange(6, 19), b.Right.Range);
        Assert.Equal(new PositionRange(0, 19), b.Range);
    }

    [Fact]
    public void Duration_expressions_are_kept_in_ranges_steps_and_offsets()
    {
        var ms = Parse<MatrixSelector>("foo[5m + 1m]");
        Assert.NotNull(ms.RangeExpr);
        Assert.Equal(360, DurationExpr.Evaluate(ms.RangeExpr!, 0, 0));

        var sq = Parse<SubqueryExpr>("foo[step() * 2:min_of(step(), 1m)]");
        Assert.Equal(20, DurationExpr.Evaluate(sq.RangeExpr!, 10, 0));
        Assert.Equal(10, DurationExpr.Evaluate(sq.StepExpr!, 10, 0));

        var vs = Parse<VectorSelector>("foo offset -(step() + 1)");
        Assert.Equal(-11, DurationExpr.Evaluate(vs.OffsetExpr!, 10, 0));
        Assert.Equal(1800, DurationExpr.Evaluate(Parse<MatrixSelector>("foo[60*30]").RangeExpr!, 0, 0));
    }

    [Fact]
    public void Step_range_start_and_end_are_scalar_functions_in_expressions()
    {
        Assert.Equal("step", Parse<Call>("step()").Function.Name);
        Assert.Equal("range", Parse<Call>("RANGE()").Function.Name);
        Assert.Equal(PromQLValueType.Scalar, Parse<BinaryExpr>("(end() + start()) / 2").Type);
    }

    [Fact]
    public void Fill_modifiers_set_fill_values_per_side()
    {
        var both = Parse<BinaryExpr>("a + fill(0) b");
        Assert.Equal(0, both.Matching!.FillLeft);
        Assert.Equal(0, both.Matching.FillRight);
        var sides = Parse<BinaryExpr>("a + on(job) group_left fill_left(5) fill_right(-Inf) b");
        Assert.Equal(5, sides.Matching!.FillLeft);
        Assert.Equal(double.NegativeInfinity, sides.Matching.FillRight);
    }

    [Fact]
    public void Anchored_and_smoothed_mark_the_range_selector()
    {
        Assert.True(Parse<Call>("increase(foo[1m] anchored)").Arguments[0] is MatrixSelector { Selector.Anchored: true });
        Assert.True(Parse<Call>("rate(foo[1m] smoothed)").Arguments[0] is MatrixSelector { Selector.Smoothed: true });
    }

    [Fact]
    public void Histogram_trim_operators_are_binary_operators()
    {
        Assert.Equal(BinaryOperator.TrimUpper, Parse<BinaryExpr>("h </ 1.5").Operator);
        Assert.Equal(BinaryOperator.TrimLower, Parse<BinaryExpr>("h >/ -Inf").Operator);
    }

    [Fact]
    public void Multiline_queries_parse()
    {
        Assert.IsType<AggregateExpr>(PromQLParser.Parse("sum by (job) (\n  rate(foo[5m])\n)"));
    }
}
