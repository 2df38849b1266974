using LumaDB.Query.Sql.Parser;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SyntaxErrorTests
{
    private static SqlSyntaxError Fail(string sql)
    {
        Assert.False(SqlParser.TryParseScript(sql, out _, out var error));
        return error;
    }

    [Fact]
    public void A_misspelt_keyword_is_reported_at_or_near_the_token()
    {
        var error = Fail("SELECT * FORM t");
        Assert.Equal("syntax error at or near \"FORM\"", error.Message);
        Assert.Equal(10, error.Position);
        Assert.Equal((1, 10), (error.Line, error.Column));
    }

    [Fact]
    public void Input_that_stops_early_is_a_syntax_error_at_end_of_input()
    {
        var error = Fail("SELECT 1 +");
        Assert.Equal("syntax error at end of input", error.Message);
        Assert.Equal(11, error.Position);
    }

    [Fact]
    public void An_unterminated_string_is_reported_with_the_rest_of_the_input()
    {
        var error = Fail("SELECT 'abc");
        Assert.Equal("unterminated quoted string at or near \"'abc\"", error.Message);
        Assert.Equal(8, error.Position);
    }

    [Fact]
    public void An_empty_quoted_identifier_is_rejected()
    {
        Assert.Equal("zero-length delimited identifier at or near \"\"\"\"", Fail("SELECT \"\" FROM t").Message);
    }

    [Fact]
    public void Errors_report_line_and_column_of_multi_line_input()
    {
        var error = Fail("SELECT a\nFROM t\nWHERE AND b");
        Assert.Equal("syntax error at or near \"AND\"", error.Message);
        Assert.Equal((3, 7), (error.Line, error.Column));
        Assert.Equal(23, error.Position);
    }

    [Fact]
    public void Errors_list_what_was_expected()
    {
        var error = Fail("INSERT INTO t VALUES (1");
        Assert.Contains(",", error.Expected);
        Assert.Contains(")", error.Expected);
        Assert.NotNull(error.Hint);
        Assert.Contains("expression", Fail("SELECT a FROM t WHERE").Expected);
        Assert.Contains("FROM", Fail("DELETE t").Expected);
    }

    [Fact]
    public void The_message_stays_postgresql_like_when_expectations_are_known()
    {
        var error = Fail("CREATE TABLE t (a int,)");
        Assert.Equal("syntax error at or near \")\"", error.Message);
        Assert.Equal(23, error.Position);
    }

    [Fact]
    public void Reserved_words_cannot_be_used_as_bare_names()
    {
        Assert.Equal("syntax error at or near \"select\"", Fail("SELECT * FROM select").Message);
        Assert.Equal("syntax error at or near \"table\"", Fail("SELECT table FROM t").Message);
    }

    [Fact]
    public void The_throwing_entry_point_raises_a_syntax_exception_with_sqlstate_42601()
    {
        var exception = Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement("SELEC 1"));
        Assert.Equal("syntax error at or near \"SELEC\"", exception.Message);
        Assert.Equal(1, exception.Position);
        Assert.Equal("42601", SqlSyntaxException.SqlState);
        Assert.Equal("42601", SqlSyntaxError.SqlState);
    }

    [Fact]
    public void A_number_running_into_a_word_is_trailing_junk()
    {
        Assert.Equal("trailing junk after numeric literal at or near \"1a\"", Fail("SELECT 1abc").Message);
    }

    [Fact]
    public void Deep_nesting_fails_cleanly_instead_of_overflowing_the_stack()
    {
        var sql = "SELECT " + new string('(', 20_000) + "1" + new string(')', 20_000);
        var error = Fail(sql);
        Assert.Equal("statement is too deeply nested", error.Message);
    }

    [Fact]
    public void Parse_statement_rejects_more_than_one_statement()
    {
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement("SELECT 1; SELECT 2"));
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement(" ; "));
    }

    [Theory]
    [InlineData("SELECT 1 2")]
    [InlineData("SELECT (1")]
    [InlineData("SELECT a FROM")]
    [InlineData("SELECT CASE END")]
    [InlineData("SELECT a::")]
    [InlineData("UPDATE t SET")]
    [InlineData("CREATE TABLE")]
    [InlineData("DROP THING x")]
    [InlineData("SELECT * FROM a NATURAL b")]
    [InlineData("SELECT 1 UNION")]
    [InlineData("SELECT $0")]
    [InlineData("SELECT x::numeric(99999999999)")]
    [InlineData("SELECT 'a' 'b'")]
    public void Malformed_statements_fail_with_a_located_error(string sql)
    {
        var error = Fail(sql);
        Assert.InRange(error.Position, 1, sql.Length + 1);
    }
}
