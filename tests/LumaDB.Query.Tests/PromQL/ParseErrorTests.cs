using LumaDB.Query.PromQL.Parser;

namespace LumaDB.Query.Tests.PromQL;

public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("", "1:1: parse error: no expression found in input")]
    [InlineData("# only a comment", "1:1: parse error: no expression found in input")]
    [InlineData("1 +", "1:4: parse error: unexpected end of input")]
    [InlineData("foo +\n", "2:1: parse error: unexpected end of input")]
    [InlineData("foo bar", "1:5: parse error: unexpected identifier \"bar\"")]
    [InlineData("sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation")]
    [InlineData("sum(foo", "1:8: parse error: unclosed left parenthesis")]
    [InlineData("foo)", "1:5: parse error: unexpected right parenthesis ')'")]
    [InlineData("(1))", "1:5: parse error: unexpected right parenthesis ')'")]
    [InlineData("((1)", "1:5: parse error: unclosed left parenthesis")]
    [InlineData(".", "1:1: parse error: unexpected character: '.'")]
    [InlineData("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\"")]
    [InlineData("100..4", "1:1: parse error: bad number or duration syntax: \"100..\"")]
    [InlineData("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\"")]
    [InlineData("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'")]
    [InlineData("@@", "1:1: parse error: unexpected <op:@>")]
    [InlineData("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>")]
    [InlineData("foo[5m", "1:7: parse error: unexpected end of input in duration expression")]
    [InlineData("\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'")]
    [InlineData("\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence")]
    [InlineData("\"\\", "1:1: parse error: escape sequence not terminated")]
    [InlineData("`\\``", "1:4: parse error: unterminated raw string")]
    [InlineData("-=", "1:2: parse error: unexpected \"=\"")]
    [InlineData("++-++-+-+-<", "1:11: parse error: unexpected <op:<>")]
    [InlineData("a>b()", "1:3: parse error: unknown function with name \"b\"")]
    [InlineData("topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args")]
    [InlineData("foo]", "1:4: parse error: unexpected right bracket ']'")]
    [InlineData("foo}", "1:4: parse error: unexpected character: '}'")]
    [InlineData("{", "1:2: parse error: unexpected end of input inside braces")]
    [InlineData("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string")]
    [InlineData("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'")]
    [InlineData("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'")]
    [InlineData("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string")]
    [InlineData("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\"")]
    [InlineData("foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces")]
    [InlineData("foo{a}", "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator")]
    [InlineData("foo{a=1}", "1:7: parse error: unexpected character inside braces: '1'")]
    [InlineData("foo{a=\"b\" c=\"d\"}", "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\"")]
    [InlineData("foo{=\"b\"}", "1:5: parse error: unexpected \"=\" in label matching, expected identifier or \"}\"")]
    [InlineData("foo{a=}", "1:7: parse error: unexpected \"}\" in label matching, expected string")]
    [InlineData("\"foo", "1:1: parse error: unterminated quoted string")]
    [InlineData("foo !~ bar", "1:5: parse error: unexpected character after '!': '~'")]
    [InlineData("foo & bar", "1:5: parse error: unexpected character: '&'")]
    [InlineData("sum by foo", "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\"")]
    [InlineData("sum by (a b) (foo)", "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"")]
    [InlineData("sum by (1) (foo)", "1:9: parse error: unexpected number \"1\" in grouping opts, expected label")]
    [InlineData("foo offset", "1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()")]
    [InlineData("foo offset bar", "1:12: parse error: unexpected identifier \"bar\" in offset, expected number, duration, step(), or range()")]
    [InlineData("foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp")]
    [InlineData("foo[]", "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()")]
    [InlineData("foo[5m 1m]", "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\"")]
    [InlineData("foo[5m:1m 1m]", "1:11: parse error: unexpected duration \"1m\" in subquery selector, expected \"]\"")]
    [InlineData("foo[5m:*]", "1:8: parse error: unexpected <op:*> in subquery selector, expected number, duration, step(), range(), or \"]\"")]
    [InlineData("rate(foo[5m],)", "1:13: parse error: trailing commas not allowed in function call args")]
    [InlineData("1 + * 2", "1:5: parse error: unexpected <op:*>")]
    [InlineData("foo and", "1:8: parse error: unexpected end of input")]
    [InlineData("sum(foo) by (a) by (b)", "1:17: parse error: unexpected <by>")]
    [InlineData("1m5", "1:1: parse error: bad number or duration syntax: \"1m5\"")]
    [InlineData("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\"")]
    [InlineData("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\"")]
    [InlineData("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\"")]
    [InlineData("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\"")]
    [InlineData("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'")]
    [InlineData("foo[-1]", "1:5: parse error: duration must be greater than 0")]
    [InlineData("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\"")]
    [InlineData("some_metric @ start() [5m]", "1:23: parse error: no @ modifiers allowed before range")]
    [InlineData("sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string")]
    public void Syntax_errors_are_reported_in_Prometheus_form(string query, string message)
    {
        var result = PromQLParser.TryParse(query);
        Assert.False(result.Success);
        Assert.Equal(message, result.ErrorMessage);
    }

    [Theory]
    [InlineData("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("foo{}", null)]
    [InlineData("{a=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("{a!=\"\"}", null)]
    [InlineData("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\"")]
    [InlineData("foo(bar)", "1:1: parse error: unknown function with name \"foo\"")]
    [InlineData("RATE(foo[5m])", "1:1: parse error: unknown function with name \"RATE\"")]
    [InlineData("rate(foo)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector")]
    [InlineData("abs(foo[5m])", "1:5: parse error: expected type instant vector in call to function \"abs\", got range vector")]
    [InlineData("abs(1, 2)", "1:1: parse error: expected 1 argument(s) in call to \"abs\", got 2")]
    [InlineData("round()", "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0")]
    [InlineData("round(foo, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3")]
    [InlineData("label_join(foo)", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1")]
    [InlineData("foo[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types")]
    [InlineData("1 + \"a\"", "1:5: parse error: binary expression must contain only scalar and instant vector types")]
    [InlineData("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier")]
    [InlineData("foo + bool 1", "1:5: parse error: bool modifier can only be used on comparison operators")]
    [InlineData("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression")]
    [InlineData("1 + on(a) foo", "1:1: parse error: vector matching only allowed between instant vectors")]
    [InlineData("foo and on(a) group_left bar", "1:1: parse error: no grouping allowed for \"and\" operation")]
    [InlineData("foo * on(a) group_left(a) bar", "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once")]
    [InlineData("topk(foo)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1")]
    [InlineData("sum()", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 0")]
    [InlineData("topk(\"a\", foo)", "1:6: parse error: expected type scalar in aggregation parameter, got string")]
    [InlineData("count_values(1, foo)", "1:14: parse error: expected type string in aggregation parameter, got scalar")]
    [InlineData("sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector")]
    [InlineData("-foo[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\"")]
    [InlineData("-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\"")]
    [InlineData("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery")]
    [InlineData("foo[5m][10m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead")]
    [InlineData("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors")]
    [InlineData("foo offset 5m[5m]", "1:14: parse error: no offset modifiers allowed before range")]
    [InlineData("foo @ 1 [5m]", "1:9: parse error: no @ modifiers allowed before range")]
    [InlineData("time() offset 5m", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery")]
    [InlineData("time() @ 1", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery")]
    [InlineData("foo offset 1m offset 2m", "1:1: parse error: offset may not be set multiple times")]
    [InlineData("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times")]
    [InlineData("foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf")]
    [InlineData("foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf")]
    [InlineData("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN")]
    [InlineData("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("{__name__=\"bar\", __name__=\"baz\"}", null)]
    [InlineData("info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})", "1:46: parse error: expected label selectors only, got vector selector instead")]
    [InlineData("info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)", "1:51: parse error: expected label selectors only")]
    [InlineData("info(foo, {__name__=~\".+_info\", data=~\".*\"})", null)]
    [InlineData("test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead")]
    [InlineData("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors")]
    [InlineData("foo[step]", "1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()")]
    [InlineData("foo[5s x 5s]", "1:8: parse error: unexpected character: 'x', expected ':'")]
    [InlineData("foo[9.5e10]", "1:5: parse error: duration out of range")]
    [InlineData("foo offset 9.5e10", "1:12: parse error: duration out of range")]
    [InlineData("foo offset (4d/0)", "1:15: parse error: division by zero")]
    [InlineData("1[5m] smoothed", "1:2: parse error: ranges only allowed for vector selectors")]
    [InlineData("foo[0s]", "1:5: parse error: duration must be greater than 0")]
    [InlineData("foo[1m/0]", "1:7: parse error: division by zero")]
    [InlineData("foo[1m%0]", "1:7: parse error: modulo by zero")]
    [InlineData("foo[5x]", "1:5: parse error: bad number or duration syntax: \"5x\"")]
    public void Semantic_errors_use_Prometheus_wording_and_positions(string query, string? message)
    {
        var result = PromQLParser.TryParse(query);
        Assert.Equal(message, result.ErrorMessage);
    }

    [Fact]
    public void An_invalid_regex_is_a_parse_error_at_the_matcher()
    {
        var result = PromQLParser.TryParse("foo{a=~\"(\"}");
        Assert.False(result.Success);
        Assert.StartsWith("1:5: parse error: error parsing regexp", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(4, result.Errors[0].Range.Start);
    }

    [Fact]
    public void Backreferences_are_rejected_as_RE2_does()
    {
        Assert.False(PromQLParser.TryParse("foo{a=~\"(a)\\\\1\"}").Success);
    }

    [Fact]
    public void Errors_expose_line_column_and_byte_range()
    {
        var result = PromQLParser.TryParse("sum(\n  rate(foo)\n)");
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal(8, error.Column);
        Assert.Equal(12, error.Range.Start);
        Assert.Equal("2:8: parse error: expected type range vector in call to function \"rate\", got instant vector", error.ToString());
    }

    [Fact]
    public void Columns_and_byte_ranges_count_UTF8_bytes_as_Prometheus_does()
    {
        var result = PromQLParser.TryParse("foo{a=\"é\"} bar");
        var error = Assert.Single(result.Errors);
        Assert.Equal("1:13: parse error: unexpected identifier \"bar\"", error.ToString());
        Assert.Equal(new LumaDB.Query.PromQL.Syntax.PositionRange(11, 14), error.Range);
        Assert.Equal(new LumaDB.Query.PromQL.Syntax.PositionRange(12, 15), error.ByteRange);
    }

    [Fact]
    public void Parse_throws_a_parse_exception_carrying_all_errors()
    {
        var e = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse("{}"));
        Assert.Equal("1:1: parse error: vector selector must contain at least one non-empty matcher", e.Message);
        Assert.Single(e.Errors);
    }

    [Theory]
    [InlineData("sort_by_label(foo, \"a\")", "1:1: parse error: function \"sort_by_label\" is not enabled")]
    [InlineData("limitk(1, foo)", "1:1: parse error: limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions")]
    [InlineData("foo[5m + 1m]", "1:5: parse error: experimental duration expression is not enabled")]
    [InlineData("foo offset step()", "1:12: parse error: experimental duration expression is not enabled")]
    [InlineData("rate(foo[1m] anchored)", "1:14: parse error: anchored modifier is experimental and must be enabled with --enable-feature=promql-extended-range-selectors")]
    [InlineData("a + fill(0) b", "1:5: parse error: fill modifiers are experimental and must be enabled with --enable-feature=promql-binop-fill-modifiers")]
    public void Feature_flagged_syntax_is_rejected_when_its_flag_is_off(string query, string message)
    {
        var strict = new PromQLParserOptions
        {
            EnableExperimentalFunctions = false,
            EnableDurationExpressions = false,
            EnableExtendedRangeSelectors = false,
            EnableFillModifiers = false,
        };
        Assert.Equal(message, PromQLParser.TryParse(query, strict).ErrorMessage);
        Assert.True(PromQLParser.TryParse(query).Success);
        Assert.True(PromQLParser.TryParse("foo[5m] offset -1m", strict).Success);
    }
}
