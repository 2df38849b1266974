using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class DataStatementParserTests
{
    private static T Parse<T>(string sql) where T : Statement => Assert.IsType<T>(SqlParser.ParseStatement(sql));

    [Fact]
    public void Insert_values_takes_a_column_list_several_rows_and_default()
    {
        var insert = Parse<InsertStatement>("INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 3)");
        Assert.Equal(["a", "b"], insert.Columns);
        var values = Assert.IsType<ValuesBody>(insert.Source!.Body);
        Assert.Equal(new DefaultExpression(), values.Rows[0][1]);
        Assert.Equal(2, values.Rows.Count);
    }

    [Fact]
    public void Insert_select_and_default_values_parse()
    {
        Assert.IsType<SelectBody>(Parse<InsertStatement>("INSERT INTO t SELECT * FROM u").Source!.Body);
        Assert.Null(Parse<InsertStatement>("INSERT INTO t DEFAULT VALUES").Source);
        Assert.IsType<SelectBody>(Parse<InsertStatement>("INSERT INTO t (SELECT 1)").Source!.Body);
    }

    [Fact]
    public void On_conflict_do_update_keeps_targets_assignments_and_condition()
    {
        var insert = Parse<InsertStatement>("INSERT INTO t AS x (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE x.c > 0 RETURNING a");
        Assert.Equal("x", insert.Alias);
        var conflict = insert.OnConflict!;
        Assert.True(conflict.DoUpdate);
        Assert.Equal([Col("a")], conflict.Targets);
        Assert.Equal(new Assignment(["b"], Col("excluded", "b"), false), Assert.Single(conflict.Assignments));
        Assert.NotNull(conflict.Where);
        Assert.Single(insert.Returning);
    }

    [Fact]
    public void On_conflict_on_constraint_do_nothing_parses()
    {
        var conflict = Parse<InsertStatement>("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING").OnConflict!;
        Assert.Equal("t_pkey", conflict.Constraint);
        Assert.False(conflict.DoUpdate);
    }

    [Fact]
    public void Update_takes_single_and_multi_column_assignments_from_and_returning()
    {
        var update = Parse<UpdateStatement>("UPDATE t x SET a = 1, (b, c) = (2, 3) FROM u WHERE x.id = u.id RETURNING *");
        Assert.Equal("x", update.Alias);
        Assert.Equal(new Assignment(["a"], Int(1), false), update.Assignments[0]);
        Assert.Equal(new Assignment(["b", "c"], new RowExpression([Int(2), Int(3)], false), true), update.Assignments[1]);
        Assert.Single(update.From);
        Assert.NotNull(update.Where);
        Assert.Single(update.Returning);
    }

    [Fact]
    public void Delete_takes_using_where_and_returning()
    {
        var delete = Parse<DeleteStatement>("DELETE FROM t USING u WHERE t.id = u.id RETURNING t.id");
        Assert.Single(delete.Using);
        Assert.NotNull(delete.Where);
        Assert.Single(delete.Returning);
    }

    [Fact]
    public void With_can_lead_a_data_modifying_statement()
    {
        var insert = Parse<InsertStatement>("WITH s AS (SELECT 1) INSERT INTO t SELECT * FROM s");
        Assert.NotNull(insert.With);
    }

    [Fact]
    public void Copy_from_stdin_keeps_its_options()
    {
        var copy = Parse<CopyStatement>("COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER, DELIMITER ',')");
        Assert.True(copy.IsFrom);
        Assert.Equal(["a", "b"], copy.Columns);
        Assert.Equal(
            [new SqlOption("format", Str("csv")), new SqlOption("header", null), new SqlOption("delimiter", Str(","))],
            copy.Options);
    }

    [Fact]
    public void Copy_with_old_style_options_uses_the_new_option_names()
    {
        var copy = Parse<CopyStatement>("COPY t TO STDOUT WITH CSV HEADER DELIMITER AS ';'");
        Assert.False(copy.IsFrom);
        Assert.Equal(
            [new SqlOption("format", Str("csv")), new SqlOption("header", null), new SqlOption("delimiter", Str(";"))],
            copy.Options);
    }

    [Fact]
    public void Copy_of_a_query_goes_to_stdout()
    {
        var copy = Parse<CopyStatement>("COPY (SELECT 1) TO STDOUT");
        Assert.NotNull(copy.Query);
        Assert.Null(copy.Table);
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement("COPY (SELECT 1) FROM STDIN"));
    }

    [Fact]
    public void Truncate_takes_several_tables_and_options()
    {
        var truncate = Parse<TruncateStatement>("TRUNCATE TABLE a, b RESTART IDENTITY CASCADE");
        Assert.Equal(2, truncate.Tables.Count);
        Assert.True(truncate.RestartIdentity);
        Assert.Equal(DropBehavior.Cascade, truncate.Behavior);
    }
}
