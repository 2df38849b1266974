using LumaDB.Query.PromQL.Parser;

namespace LumaDB.Query.Tests.PromQL;

public sealed class PrecedenceTests
{
    [Theory]
    [InlineData("a + b * c", "(a + (b * c))")]
    [InlineData("a * b + c", "((a * b) + c)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a / b * c", "((a / b) * c)")]
    [InlineData("a ^ b ^ c", "(a ^ (b ^ c))")]
    [InlineData("a * b ^ c", "(a * (b ^ c))")]
    [InlineData("a % b atan2 c", "((a % b) atan2 c)")]
    [InlineData("a + b == c", "((a + b) == c)")]
    [InlineData("a == b and c", "((a == b) and c)")]
    [InlineData("a and b or c", "((a and b) or c)")]
    [InlineData("a or b and c", "(a or (b and c))")]
    [InlineData("a or b unless c", "(a or (b unless c))")]
    [InlineData("a unless b and c", "((a unless b) and c)")]
    [InlineData("a > b < c", "((a > b) < c)")]
    [InlineData("a or b or c", "((a or b) or c)")]
    [InlineData("a + b </ c", "(a + (b </ c))")]
    public void Binary_operators_bind_by_Prometheus_precedence_and_associativity(string query, string tree)
    {
        Assert.Equal(tree, TreeText.Of(PromQLParser.Parse(query)));
    }

    [Theory]
    [InlineData("-a ^ b", "(-(a ^ b))")]
    [InlineData("-a * b", "((-a) * b)")]
    [InlineData("-a + b", "((-a) + b)")]
    [InlineData("a * -b", "(a * (-b))")]
    [InlineData("2 ^ -a * b", "((2 ^ (-a)) * b)")]
    [InlineData("- -a", "(-(-a))")]
    [InlineData("+a", "(+a)")]
    [InlineData("-1 ^ 2", "(-(1 ^ 2))")]
    public void Unary_signs_bind_like_multiplication(string query, string tree)
    {
        Assert.Equal(tree, TreeText.Of(PromQLParser.Parse(query)));
    }

    [Fact]
    public void A_sign_in_front_of_a_literal_is_folded_into_the_literal()
    {
        Assert.Equal("-1", TreeText.Of(PromQLParser.Parse("-1")));
        Assert.Equal("(2 * -3)", TreeText.Of(PromQLParser.Parse("2 * -3")));
    }

    [Theory]
    [InlineData("a + b offset 5m", "(a + b)")]
    [InlineData("-a[5m] offset 1m", "(-a[range])")]
    [InlineData("a * b[5m:1m]", "(a * b[subquery])")]
    [InlineData("(a + b)[5m:]", "[(a + b)][subquery]")]
    public void Postfix_modifiers_bind_tighter_than_any_operator(string query, string tree)
    {
        // Some of these are rejected by the type check; the shape is what matters here.
        var result = PromQLParser.TryParse(query, new PromQLParserOptions { CheckTypes = false });
        Assert.True(result.Success, result.ErrorMessage);
        Assert.Equal(tree, TreeText.Of(result.Expression!));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        Assert.Equal("([(a + b)] * c)", TreeText.Of(PromQLParser.Parse("(a + b) * c")));
    }

    [Fact]
    public void Offset_takes_a_single_literal_so_following_arithmetic_applies_to_the_selector()
    {
        var e = PromQLParser.Parse("foo offset 100 + 2");
        Assert.Equal("(foo + 2)", TreeText.Of(e));
        var e2 = PromQLParser.Parse("foo offset -2 ^ 2");
        Assert.Equal("(foo ^ 2)", TreeText.Of(e2));
        Assert.Equal("foo offset -2s ^ 2", e2.ToString());
    }
}
