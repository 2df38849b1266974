using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SqlFormatterTests
{
    private static string Reformat(string sql) => SqlFormatter.Format(SqlParser.ParseStatement(sql));

    [Theory]
    [InlineData("select a+b*c from t", "SELECT a + b * c FROM t")]
    [InlineData("select (a+b)*c", "SELECT (a + b) * c")]
    [InlineData("select a-(b-c)", "SELECT a - (b - c)")]
    [InlineData("select (a-b)-c", "SELECT a - b - c")]
    [InlineData("select not (a and b) or c", "SELECT NOT (a AND b) OR c")]
    [InlineData("select (-1)::text, -x::int", "SELECT (-1)::text, -x::int4")]
    [InlineData("select - -1, -(-x)", "SELECT 1, - -x")]
    [InlineData("select (a = b) = c", "SELECT (a = b) = c")]
    [InlineData("select (t.a).b", "SELECT (t.a).b")]
    public void Parentheses_are_written_only_where_precedence_needs_them(string sql, string expected)
    {
        Assert.Equal(expected, Reformat(sql));
    }

    [Fact]
    public void Identifiers_are_quoted_only_when_needed()
    {
        Assert.Equal("SELECT \"Mixed\", \"select\", plain, \"a\"\"b\" FROM \"T\"", Reformat("select \"Mixed\", \"select\", PLAIN, \"a\"\"b\" from \"T\""));
    }

    [Fact]
    public void Strings_are_written_as_standard_string_constants()
    {
        Assert.Equal("SELECT 'it''s', 'a\nb'", Reformat("select 'it''s', E'a\\nb'"));
    }

    [Fact]
    public void Set_operations_get_parentheses_only_against_their_precedence()
    {
        Assert.Equal("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", Reformat("select 1 union (select 2 intersect select 3)"));
        Assert.Equal("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3", Reformat("(select 1 union select 2) intersect select 3"));
        Assert.Equal("SELECT 1 EXCEPT (SELECT 2 EXCEPT SELECT 3)", Reformat("select 1 except (select 2 except select 3)"));
    }

    [Fact]
    public void Typed_literals_and_types_print_in_postgresql_form()
    {
        Assert.Equal("SELECT INTERVAL '1' hour, date '2024-01-01', x::timestamptz, y::numeric(10,2)",
            Reformat("select interval '1' hour, DATE '2024-01-01', x::timestamp with time zone, y::decimal(10, 2)").Replace("(10, 2)", "(10,2)", StringComparison.Ordinal));
    }

    [Fact]
    public void Expressions_and_type_names_format_on_their_own()
    {
        Assert.Equal("a = ANY (ARRAY[1, 2])", SqlFormatter.Format(SqlParser.ParseExpression("a = any(array[1,2])")));
        Assert.Equal("float8[]", SqlFormatter.Format(SqlParser.ParseTypeName("double precision[]")));
        Assert.Equal("count(*) FILTER (WHERE x > 0)", SqlFormatter.Format(Call("count") with { IsStar = true, Filter = Bin(BinaryOperator.GreaterThan, Col("x"), Int(0)) }));
    }

    [Fact]
    public void Statements_print_in_canonical_keyword_form()
    {
        Assert.Equal(
            "CREATE TABLE IF NOT EXISTS m (ts timestamptz NOT NULL, v float8) WITH (time_index = 'ts')",
            Reformat("create table if not exists m (ts timestamp with time zone not null, v double precision) with (time_index='ts')"));
        Assert.Equal("COPY t TO STDOUT WITH (format 'csv', header)", Reformat("copy t to stdout with csv header"));
        Assert.Equal("EXPLAIN (analyze, verbose) SELECT 1", Reformat("explain analyze verbose select 1"));
    }
}
