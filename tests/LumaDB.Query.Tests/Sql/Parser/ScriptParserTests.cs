using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class ScriptParserTests
{
    [Fact]
    public void A_script_yields_each_statement_with_its_source_text()
    {
        var script = SqlParser.ParseScript("SELECT 1;\n  INSERT INTO t VALUES (1) ;  -- done\nCOMMIT");
        Assert.Equal(3, script.Statements.Count);
        Assert.Equal(["SELECT 1", "INSERT INTO t VALUES (1)", "COMMIT"], script.Statements.Select(script.TextOf));
        Assert.IsType<TransactionStatement>(script.Statements[2]);
    }

    [Fact]
    public void Empty_statements_are_skipped()
    {
        Assert.Empty(SqlParser.ParseScript(";; ;").Statements);
        Assert.Empty(SqlParser.ParseScript("  -- only a comment").Statements);
        Assert.Single(SqlParser.ParseScript(";SELECT 1;;").Statements);
    }

    [Fact]
    public void Semicolons_inside_literals_and_comments_do_not_split_statements()
    {
        var script = SqlParser.ParseScript("SELECT ';' /* ; */; SELECT $$;$$");
        Assert.Equal(2, script.Statements.Count);
    }

    [Fact]
    public void Two_statements_without_a_semicolon_are_an_error_at_the_second()
    {
        Assert.False(SqlParser.TryParseScript("SELECT 1 SELECT 2", out _, out var error));
        Assert.Equal(10, error.Position);
    }

    [Fact]
    public void Formatting_a_script_joins_its_statements()
    {
        var script = SqlParser.ParseScript("select 1; select a from t");
        Assert.Equal("SELECT 1;\nSELECT a FROM t", SqlFormatter.Format(script));
    }
}
