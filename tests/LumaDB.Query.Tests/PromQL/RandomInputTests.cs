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
}
