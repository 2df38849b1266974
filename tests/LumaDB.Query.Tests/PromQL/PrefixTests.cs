using LumaDB.Query.PromQL.Parser;

namespace LumaDB.Query.Tests.PromQL;

public sealed class PrefixTests
{
    public static TheoryData<string> Queries => new()
    {
        "sum by (job, \"my.label\") (rate(http_requests_total{job=~\"api|web\", code!=\"500\"}[5m] offset -1h @ start()))",
        "histogram_quantile(0.99, sum without (instance) (rate(foo_bucket{le!=\"+Inf\"}[1h:30s] @ 1609746000.5)))",
        "topk(3, foo) / on(a, b) group_left(c) bar > bool 0.5 and baz unless qux or -quux ^ 2 ^ -1",
        "label_replace(up{'a'='b', \"c\"=\"d\"}, \"dst\", \"$1\", \"src\", \"(.*)\") # comment\n + 0x1F - 1_000 * Inf % NaN atan2 1e-3",
        "count_over_time(metric1_total[(step() + 1) * 2:min_of(step(), 1m)] offset -(2 * 3s)) + fill_left(0) fill_right(-1) x",
        "increase(foo[1m] anchored) </ 1.5 >/ -Inf",
        "`raw string`",
        "'single \\' quote' ",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_prefix_of_a_valid_query_parses_or_gives_located_parse_errors(string query)
    {
        Assert.True(PromQLParser.TryParse(query).Success, PromQLParser.TryParse(query).ErrorMessage);
        for (var length = 0; length <= query.Length; length++)
        {
            var prefix = query[..length];
            var result = PromQLParser.TryParse(prefix);
            if (!result.Success)
            {
                Assert.NotEmpty(result.Errors);
                Assert.All(result.Errors, e =>
                {
                    Assert.InRange(e.Range.Start, 0, prefix.Length);
                    Assert.Contains("parse error: ", e.ToString(), StringComparison.Ordinal);
                });
            }
            else
            {
                Assert.NotNull(result.Expression);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Parsing_without_type_checks_never_throws_on_any_prefix_or_suffix(string query)
    {
        for (var i = 0; i <= query.Length; i++)
        {
            _ = PromQLParser.TryParse(query[..i], new PromQLParserOptions { CheckTypes = false });
            _ = PromQLParser.TryParse(query[i..]);
        }
    }
}
