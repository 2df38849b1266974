using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class RoundTripTests
{
    public static TheoryData<string> Statements() => new(SampleStatements.All);

    [Theory]
    [MemberData(nameof(Statements))]
    public void Formatting_a_parsed_statement_parses_back_to_the_same_tree(string sql)
    {
        var parsed = SqlParser.ParseStatement(sql);
        var formatted = SqlFormatter.Format(parsed);
        var reparsed = SqlParser.ParseStatement(formatted);
        Assert.True(parsed.Equals(reparsed), $"{sql}\n=> {formatted}");
        Assert.Equal(formatted, SqlFormatter.Format(reparsed));
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Every_prefix_of_a_valid_statement_parses_or_fails_with_a_syntax_error(string sql)
    {
        for (var length = 0; length <= sql.Length; length++)
        {
            var prefix = sql[..length];
            if (!SqlParser.TryParseScript(prefix, out _, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error.Message));
                Assert.InRange(error.Position, 1, prefix.Length + 1);
            }
        }
    }

    [Fact]
    public void Parsed_trees_compare_equal_regardless_of_source_positions()
    {
        var a = SqlParser.ParseExpression("a + 1");
        var b = SqlParser.ParseExpression("   a   +   1");
        Assert.Equal(a, b);
        Assert.NotEqual(a.Span, b.Span);
    }
}
