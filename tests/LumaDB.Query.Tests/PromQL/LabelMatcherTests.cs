using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

public sealed class LabelMatcherTests
{
    [Theory]
    [InlineData("foo", "foo", true)]
    [InlineData("foo", "foobar", false)]
    [InlineData("foo", "xfoo", false)]
    [InlineData("a|b", "b", true)]
    [InlineData("a|b", "ab", false)]
    [InlineData(".*", "", true)]
    [InlineData(".+", "", false)]
    [InlineData("a.c", "a\nc", true)]
    [InlineData("abc", "abc\n", false)]
    [InlineData("\\d+", "123", true)]
    [InlineData("\\d+", "١٢٣", false)]
    [InlineData("\\w+", "é", false)]
    [InlineData("[\\d]+", "42", true)]
    [InlineData("\\pL+", "é", true)]
    [InlineData("(?P<x>a)b", "ab", true)]
    [InlineData("[]a]+", "]a", true)]
    public void Regex_matchers_are_fully_anchored_with_RE2_character_classes(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, LabelMatcher.Create(LabelMatchType.Regex, "l", pattern).Matches(value));
        Assert.Equal(!matches, LabelMatcher.Create(LabelMatchType.NotRegex, "l", pattern).Matches(value));
    }

    [Fact]
    public void Equality_matchers_treat_a_missing_label_as_empty()
    {
        Assert.True(LabelMatcher.Create(LabelMatchType.Equal, "l", "").Matches(""));
        Assert.True(LabelMatcher.Create(LabelMatchType.NotEqual, "l", "x").Matches(""));
    }

    [Theory]
    [InlineData("(a")]
    [InlineData("(a)\\1")]
    [InlineData("(?=a)")]
    public void Invalid_or_non_RE2_patterns_are_rejected(string pattern)
    {
        Assert.Throws<ArgumentException>(() => LabelMatcher.Create(LabelMatchType.Regex, "l", pattern));
    }

    [Fact]
    public void Matchers_print_with_Go_quoting()
    {
        Assert.Equal("job=~\"a\\\\d\"", LabelMatcher.Create(LabelMatchType.Regex, "job", "a\\d").ToString());
        Assert.Equal("\"a b\"!=\"x\"", LabelMatcher.Create(LabelMatchType.NotEqual, "a b", "x").ToString());
    }
}
