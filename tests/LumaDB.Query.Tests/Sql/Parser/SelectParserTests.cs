using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SelectParserTests
{
    private static QueryExpression Query(string sql) => Assert.IsType<SelectStatement>(SqlParser.ParseStatement(sql)).Query;

    private static SelectBody Select(string sql) => Assert.IsType<SelectBody>(Query(sql).Body);

    [Fact]
    public void Target_list_items_take_aliases_with_or_without_as()
    {
        var select = Select("SELECT a, b AS bee, c cee, \"D\" \"Dee\", * FROM t");
        Assert.Equal([null, "bee", "cee", "Dee", null], select.Targets.Select(t => t.Alias));
        Assert.Equal(new StarExpression(null), select.Targets[4].Expression);
    }

    [Fact]
    public void A_reserved_word_can_be_an_alias_only_after_as()
    {
        Assert.Equal("from", Select("SELECT 1 AS from").Targets[0].Alias);
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement("SELECT 1 select"));
    }

    [Fact]
    public void Distinct_and_distinct_on_are_recorded()
    {
        Assert.True(Select("SELECT DISTINCT a FROM t").Distinct);
        var on = Select("SELECT DISTINCT ON (a) a, b FROM t");
        Assert.Equal([Col("a")], on.DistinctOn!);
        Assert.Null(Select("SELECT ALL a FROM t").DistinctOn);
    }

    [Fact]
    public void Comma_separated_from_items_are_kept_as_a_list()
    {
        var select = Select("SELECT * FROM t1, s.t2 AS x");
        Assert.Equal(2, select.From.Count);
        var second = Assert.IsType<NamedTableReference>(select.From[1]);
        Assert.Equal(["s", "t2"], second.Name.Parts);
        Assert.Equal("x", second.Alias!.Name);
    }

    [Fact]
    public void Joins_nest_to_the_left_with_their_conditions()
    {
        var join = Assert.IsType<JoinTableReference>(Select("SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c USING (y)").From[0]);
        Assert.Equal(JoinKind.Inner, join.Kind);
        Assert.Equal(["y"], join.Using);
        var inner = Assert.IsType<JoinTableReference>(join.Left);
        Assert.Equal(JoinKind.Left, inner.Kind);
        Assert.Equal(Bin(BinaryOperator.Equal, Col("a", "x"), Col("b", "x")), inner.Condition);
    }

    [Theory]
    [InlineData("SELECT * FROM a CROSS JOIN b", JoinKind.Cross, false)]
    [InlineData("SELECT * FROM a NATURAL JOIN b", JoinKind.Inner, true)]
    [InlineData("SELECT * FROM a NATURAL FULL OUTER JOIN b", JoinKind.Full, true)]
    [InlineData("SELECT * FROM a RIGHT OUTER JOIN b ON true", JoinKind.Right, false)]
    [InlineData("SELECT * FROM a INNER JOIN b ON true", JoinKind.Inner, false)]
    public void Every_join_kind_parses(string sql, JoinKind kind, bool natural)
    {
        var join = Assert.IsType<JoinTableReference>(Select(sql).From[0]);
        Assert.Equal((kind, natural), (join.Kind, join.Natural));
    }

    [Fact]
    public void Derived_tables_take_aliases_with_column_names_and_lateral()
    {
        var select = Select("SELECT * FROM (SELECT 1) AS s (x), LATERAL (SELECT s.x) l");
        var first = Assert.IsType<SubqueryTableReference>(select.From[0]);
        Assert.Equal(new TableAlias("s", ["x"]), first.Alias);
        Assert.True(Assert.IsType<SubqueryTableReference>(select.From[1]).Lateral);
    }

    [Fact]
    public void Functions_in_from_are_table_functions()
    {
        var function = Assert.IsType<FunctionTableReference>(Select("SELECT * FROM generate_series(1, 3) WITH ORDINALITY AS g(n, i)").From[0]);
        Assert.Equal(Call("generate_series", Int(1), Int(3)), function.Function);
        Assert.True(function.WithOrdinality);
        Assert.Equal(["n", "i"], function.Alias!.Columns);
    }

    [Fact]
    public void Where_group_by_having_and_window_clauses_are_captured()
    {
        var select = Select("SELECT a, sum(b) OVER w FROM t WHERE c > 0 GROUP BY a, 2 HAVING count(*) > 1 WINDOW w AS (ORDER BY a)");
        Assert.NotNull(select.Where);
        Assert.Equal([Col("a"), Int(2)], select.GroupBy);
        Assert.NotNull(select.Having);
        Assert.Equal("w", Assert.Single(select.Windows).Name);
    }

    [Fact]
    public void Grouping_sets_rollup_and_cube_parse()
    {
        var select = Select("SELECT 1 FROM t GROUP BY ROLLUP (a, b), CUBE (c), GROUPING SETS ((a, b), a, ())");
        Assert.Equal(GroupingSetKind.Rollup, Assert.IsType<GroupingSetExpression>(select.GroupBy[0]).Kind);
        Assert.Equal(GroupingSetKind.Cube, Assert.IsType<GroupingSetExpression>(select.GroupBy[1]).Kind);
        var sets = Assert.IsType<GroupingSetExpression>(select.GroupBy[2]);
        Assert.Equal(new RowExpression([Col("a"), Col("b")], false), sets.Items[0]);
        Assert.Equal(GroupingSetKind.Empty, Assert.IsType<GroupingSetExpression>(sets.Items[2]).Kind);
    }

    [Fact]
    public void Order_by_items_carry_direction_nulls_and_using()
    {
        var query = Query("SELECT a FROM t ORDER BY a DESC NULLS FIRST, b, c USING >");
        Assert.Equal(new OrderByItem(Col("a"), SortDirection.Descending, null, NullsOrder.First), query.OrderBy[0]);
        Assert.Equal(new OrderByItem(Col("b")), query.OrderBy[1]);
        Assert.Equal(new OrderByItem(Col("c"), SortDirection.Using, ">"), query.OrderBy[2]);
    }

    [Fact]
    public void Limit_offset_and_fetch_first_fill_the_same_members()
    {
        var limit = Query("SELECT a FROM t LIMIT 10 OFFSET 5");
        Assert.Equal((Int(10), Int(5)), (limit.Limit, limit.Offset));
        var fetch = Query("SELECT a FROM t OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY");
        Assert.Equal((Int(10), Int(5), false), (fetch.Limit, fetch.Offset, fetch.WithTies));
        Assert.True(Query("SELECT a FROM t ORDER BY a FETCH NEXT ROW WITH TIES").WithTies);
        Assert.Null(Query("SELECT a FROM t LIMIT ALL").Limit);
    }

    [Fact]
    public void Locking_clauses_parse()
    {
        var locking = Assert.Single(Query("SELECT * FROM t FOR NO KEY UPDATE OF t SKIP LOCKED").Locking!);
        Assert.Equal(LockStrength.NoKeyUpdate, locking.Strength);
        Assert.Equal(LockWaitPolicy.SkipLocked, locking.WaitPolicy);
        Assert.Equal(LockStrength.Update, Assert.Single(Query("SELECT * FROM t FOR UPDATE").Locking!).Strength);
    }

    [Fact]
    public void A_locking_clause_may_come_before_limit()
    {
        var query = Query("SELECT * FROM t FOR UPDATE LIMIT 1");
        Assert.Single(query.Locking!);
        Assert.Equal(Int(1), query.Limit);
    }

    [Fact]
    public void Values_lists_are_query_bodies()
    {
        var values = Assert.IsType<ValuesBody>(Query("VALUES (1, 'a'), (2, 'b')").Body);
        Assert.Equal(2, values.Rows.Count);
        Assert.Equal([Int(2), Str("b")], values.Rows[1]);
    }

    [Fact]
    public void Intersect_binds_tighter_than_union_and_except()
    {
        var union = Assert.IsType<SetOperationBody>(Query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3").Body);
        Assert.Equal(SetOperator.Union, union.Operator);
        Assert.Equal(SetOperator.Intersect, Assert.IsType<SetOperationBody>(union.Right).Operator);
    }

    [Fact]
    public void Union_and_except_associate_to_the_left()
    {
        var outer = Assert.IsType<SetOperationBody>(Query("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3").Body);
        Assert.Equal(SetOperator.Except, outer.Operator);
        var left = Assert.IsType<SetOperationBody>(outer.Left);
        Assert.True(left.All);
    }

    [Fact]
    public void Parentheses_override_set_operation_precedence()
    {
        var intersect = Assert.IsType<SetOperationBody>(Query("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3").Body);
        Assert.Equal(SetOperator.Intersect, intersect.Operator);
        Assert.Equal(SetOperator.Union, Assert.IsType<SetOperationBody>(intersect.Left).Operator);
    }

    [Fact]
    public void A_parenthesized_operand_keeps_its_own_order_and_limit()
    {
        var query = Query("(SELECT a FROM t ORDER BY a LIMIT 1) UNION SELECT 2 ORDER BY 1");
        var union = Assert.IsType<SetOperationBody>(query.Body);
        var left = Assert.IsType<ParenthesizedQueryBody>(union.Left);
        Assert.Equal(Int(1), left.Query.Limit);
        Assert.Single(query.OrderBy);
    }

    [Fact]
    public void With_clauses_carry_recursion_columns_and_materialization()
    {
        var query = Query("WITH RECURSIVE r(n) AS MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r");
        Assert.True(query.With!.Recursive);
        var cte = Assert.Single(query.With.Tables);
        Assert.Equal(("r", CteMaterialization.Materialized), (cte.Name, cte.Materialization));
        Assert.Equal(["n"], cte.Columns);
        Assert.IsType<SelectStatement>(cte.Body);
    }

    [Fact]
    public void Table_is_shorthand_for_select_star()
    {
        var select = Select("TABLE t");
        Assert.Equal(new StarExpression(null), Assert.Single(select.Targets).Expression);
    }

    [Fact]
    public void Select_statements_record_their_span()
    {
        var statement = SqlParser.ParseStatement("  SELECT 1  ;");
        Assert.Equal(new SourceSpan(2, 8), statement.Span);
    }
}
