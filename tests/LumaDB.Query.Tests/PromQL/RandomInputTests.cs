using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

public sealed class RandomInputTests
{
    private static readonly string[] Fragments =
    [
        "foo", "sum", "by", "(", ")", "{", "}", "[", "]", ":", ",", "=", "!=", "=~", "!~", "\"a\"", "'b'", "`c`",
        "5m", "1", "0x1f", "-", "+", "*", "/", "%", "^", "==", ">", "<=", "and", "or", "unless", "atan2", "bool",
        "on", "ignoring", "group_left", "group_right", "offset", "@", "start()", "end()", "step()", "range()",
        "rate", "topk", "count_values", "without", "min_of", "fill", "(0)", "anchored", "smoothed", "#", "\n",
        " ", "Inf", "NaN", ".", "1e", "\\", "</", ">/", "label_replace", "time", "x:y", "__name__",
    ];

    [Fact]
    public void Random_token_soup_never_escapes_as_anything_but_parse_errors()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 20_000; i++)
        {
            var count = random.Next(1, 12);
            var query = string.Concat(Enumerable.Range(0, count).Select(_ => Fragments[random.Next(Fragments.Length)]));
            var result = PromQLParser.TryParse(query);
            if (result.Success)
            {
                // Whatever parses must print to text that parses to the same text.
                var printed = PromQLFormatter.Format(result.Expression!);
                var again = PromQLParser.TryParse(printed);
                Assert.True(again.Success, $"{query} printed as {printed}: {again.ErrorMessage}");
                // Prometheus prints infinity as "+Inf", which reads back as a unary plus; only the rest must be stable.
                if (!printed.Contains("Inf", StringComparison.Ordinal))
                {
                    Assert.Equal(printed, PromQLFormatter.Format(again.Expression!));
                }
            }
            else
            {
                Assert.All(result.Errors, e => Assert.InRange(e.Range.Start, 0, query.Length));
            }
        }
    }

    [Theory]
    [InlineData(200_000)]
    public void Pathologically_deep_nesting_is_a_parse_error_not_a_crash(int depth)
    {
        var parens = new string('(', depth) + "1" + new string(')', depth);
        var result = PromQLParser.TryParse(parens);
        Assert.False(result.Success);
        Assert.Contains("too deeply nested", result.ErrorMessage, StringComparison.Ordinal);

        var minuses = PromQLParser.TryParse(new string('-', depth) + "1");
        Assert.False(minuses.Success);

        var brackets = PromQLParser.TryParse("foo[" + new string('(', depth) + "1m" + new string(')', depth) + "]");
        Assert.False(brackets.Success);
    }

    [Fact]
    public void Moderately_deep_nesting_still_parses()
    {
        Assert.True(PromQLParser.TryParse(new string('(', 500) + "1" + new string(')', 500)).Success);
        Assert.True(PromQLParser.TryParse(string.Join(" + ", Enumerable.Repeat("foo", 5000))).Success);
    }
}
