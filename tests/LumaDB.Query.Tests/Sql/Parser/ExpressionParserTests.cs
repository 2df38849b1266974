using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class ExpressionParserTests
{
    private static Expression Parse(string sql) => SqlParser.ParseExpression(sql);

    [Fact]
    public void Multiplication_binds_tighter_than_addition()
    {
        Assert.Equal(Bin(BinaryOperator.Add, Int(1), Bin(BinaryOperator.Multiply, Int(2), Int(3))), Parse("1 + 2 * 3"));
    }

    [Fact]
    public void Subtraction_is_left_associative()
    {
        Assert.Equal(Bin(BinaryOperator.Subtract, Bin(BinaryOperator.Subtract, Col("a"), Col("b")), Col("c")), Parse("a - b - c"));
    }

    [Fact]
    public void Exponentiation_is_left_associative_as_in_postgresql()
    {
        Assert.Equal(Bin(BinaryOperator.Power, Bin(BinaryOperator.Power, Int(2), Int(3)), Int(2)), Parse("2 ^ 3 ^ 2"));
    }

    [Fact]
    public void Unary_minus_binds_tighter_than_exponentiation()
    {
        Assert.Equal(Bin(BinaryOperator.Power, Int(-2), Int(2)), Parse("-2 ^ 2"));
        Assert.Equal(Bin(BinaryOperator.Power, new UnaryExpression(UnaryOperator.Negate, Col("a")), Int(2)), Parse("- a ^ 2"));
    }

    [Fact]
    public void A_minus_sign_before_a_number_folds_into_the_literal()
    {
        Assert.Equal(Int(-5), Parse("-5"));
        Assert.Equal(new NumericLiteral("-1.5"), Parse("-1.5"));
        Assert.Equal(Int(long.MinValue), Parse("-9223372036854775808"));
    }

    [Fact]
    public void A_typecast_binds_tighter_than_unary_minus()
    {
        Assert.Equal(new UnaryExpression(UnaryOperator.Negate, new CastExpression(Col("x"), Type("int4"), true)), Parse("-x::int"));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_binds_looser_than_comparison()
    {
        Assert.Equal(Bin(BinaryOperator.Or, Col("a"), Bin(BinaryOperator.And, Col("b"), Col("c"))), Parse("a OR b AND c"));
        Assert.Equal(new UnaryExpression(UnaryOperator.Not, Bin(BinaryOperator.Equal, Col("a"), Col("b"))), Parse("NOT a = b"));
    }

    [Fact]
    public void Is_null_applies_to_a_whole_comparison()
    {
        Assert.Equal(new IsExpression(Bin(BinaryOperator.Equal, Col("a"), Col("b")), IsTest.Null, false), Parse("a = b IS NULL"));
    }

    [Fact]
    public void Other_operators_sit_between_comparison_and_addition()
    {
        Assert.Equal(Bin(BinaryOperator.Concat, Bin(BinaryOperator.Add, Col("a"), Col("b")), Col("c")), Parse("a + b || c"));
        Assert.Equal(Bin(BinaryOperator.Equal, Bin(BinaryOperator.JsonGetText, Col("j"), Str("k")), Str("v")), Parse("j ->> 'k' = 'v'"));
        Assert.Equal(Bin(BinaryOperator.JsonGet, Bin(BinaryOperator.Concat, Col("a"), Col("b")), Str("c")), Parse("a || b -> 'c'"));
    }

    [Theory]
    [InlineData("a <-> b", BinaryOperator.L2Distance)]
    [InlineData("a <=> b", BinaryOperator.CosineDistance)]
    [InlineData("a <#> b", BinaryOperator.NegativeInnerProduct)]
    [InlineData("a @> b", BinaryOperator.Contains)]
    [InlineData("a <@ b", BinaryOperator.ContainedBy)]
    [InlineData("a ? b", BinaryOperator.JsonHasKey)]
    [InlineData("a ?| b", BinaryOperator.JsonHasAnyKey)]
    [InlineData("a ?& b", BinaryOperator.JsonHasAllKeys)]
    [InlineData("a #> b", BinaryOperator.JsonGetPath)]
    [InlineData("a #>> b", BinaryOperator.JsonGetPathText)]
    [InlineData("a ~* b", BinaryOperator.RegexMatchInsensitive)]
    [InlineData("a !~ b", BinaryOperator.RegexNotMatch)]
    [InlineData("a != b", BinaryOperator.NotEqual)]
    [InlineData("a % b", BinaryOperator.Modulo)]
    public void Named_operators_map_to_their_typed_operator(string sql, BinaryOperator op)
    {
        Assert.Equal(Bin(op, Col("a"), Col("b")), Parse(sql));
    }

    [Fact]
    public void Unknown_operators_are_kept_by_symbol()
    {
        Assert.Equal(new CustomOperatorExpression("@@", Col("a"), Col("b")), Parse("a @@ b"));
        Assert.Equal(new CustomOperatorExpression("|/", null, Int(25)), Parse("|/ 25"));
    }

    [Fact]
    public void Schema_qualified_operator_syntax_keeps_the_operator()
    {
        // COLLATE binds tighter than any operator, so it applies to the pattern.
        var expected = Bin(BinaryOperator.RegexMatch, Col("c", "relname"), new CollateExpression(Str("^(t)$"), new QualifiedName(["pg_catalog", "default"])));
        Assert.Equal(expected, Parse("c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default"));
    }

    [Fact]
    public void Between_takes_its_bounds_before_a_following_and()
    {
        var expected = Bin(BinaryOperator.And, new BetweenExpression(Col("a"), Int(1), Int(2), false, false), Col("b"));
        Assert.Equal(expected, Parse("a BETWEEN 1 AND 2 AND b"));
        Assert.Equal(new BetweenExpression(Col("a"), Int(2), Int(1), true, true), Parse("a NOT BETWEEN SYMMETRIC 2 AND 1"));
    }

    [Fact]
    public void In_accepts_a_list_or_a_subquery()
    {
        Assert.Equal(new InListExpression(Col("a"), [Int(1), Int(2)], true), Parse("a NOT IN (1, 2)"));
        var subquery = Assert.IsType<InSubqueryExpression>(Parse("a IN (SELECT b FROM t)"));
        Assert.False(subquery.Negated);
    }

    [Fact]
    public void Like_ilike_and_similar_to_take_an_optional_escape()
    {
        Assert.Equal(new LikeExpression(Col("a"), Str("x%"), Str("!"), LikeKind.Like, false), Parse("a LIKE 'x%' ESCAPE '!'"));
        Assert.Equal(new LikeExpression(Col("a"), Str("x"), null, LikeKind.ILike, true), Parse("a NOT ILIKE 'x'"));
        Assert.Equal(new LikeExpression(Col("a"), Str("x"), null, LikeKind.SimilarTo, false), Parse("a SIMILAR TO 'x'"));
    }

    [Fact]
    public void Is_tests_cover_null_booleans_unknown_and_distinct_from()
    {
        Assert.Equal(new IsExpression(Col("a"), IsTest.True, true), Parse("a IS NOT TRUE"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.Unknown, false), Parse("a IS UNKNOWN"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.Null, true), Parse("a NOTNULL"));
        Assert.Equal(new IsExpression(Col("a"), IsTest.Null, false), Parse("a ISNULL"));
        Assert.Equal(new IsDistinctFromExpression(Col("a"), Col("b"), true), Parse("a IS NOT DISTINCT FROM b"));
    }

    [Fact]
    public void Column_references_may_be_qualified_and_quoted()
    {
        Assert.Equal(Col("s", "t", "a"), Parse("s.t.a"));
        Assert.Equal(Col("T", "a"), Parse("\"T\".A"));
        Assert.Equal(new StarExpression(QualifiedName.Of("t")), Parse("t.*"));
    }

    [Fact]
    public void Parameters_are_numbered_from_one()
    {
        Assert.Equal(Bin(BinaryOperator.Add, new ParameterReference(1), new ParameterReference(2)), Parse("$1 + $2"));
    }

    [Fact]
    public void Case_comes_in_simple_and_searched_forms()
    {
        var simple = Assert.IsType<CaseExpression>(Parse("CASE a WHEN 1 THEN 'x' ELSE 'y' END"));
        Assert.Equal(Col("a"), simple.Operand);
        Assert.Equal(Str("y"), simple.Else);
        var searched = Assert.IsType<CaseExpression>(Parse("CASE WHEN a > 0 THEN 1 WHEN a < 0 THEN -1 END"));
        Assert.Null(searched.Operand);
        Assert.Equal(2, searched.Whens.Count);
    }

    [Theory]
    [InlineData("double precision", "float8", new int[0], new int[0], null)]
    [InlineData("character varying(10)", "varchar", new[] { 10 }, new int[0], null)]
    [InlineData("char(3)", "bpchar", new[] { 3 }, new int[0], null)]
    [InlineData("timestamp with time zone", "timestamptz", new int[0], new int[0], null)]
    [InlineData("timestamp(3) without time zone", "timestamp", new[] { 3 }, new int[0], null)]
    [InlineData("time with time zone", "timetz", new int[0], new int[0], null)]
    [InlineData("numeric(10, 2)", "numeric", new[] { 10, 2 }, new int[0], null)]
    [InlineData("decimal", "numeric", new int[0], new int[0], null)]
    [InlineData("int[]", "int4", new int[0], new[] { -1 }, null)]
    [InlineData("integer[3]", "int4", new int[0], new[] { 3 }, null)]
    [InlineData("bigint ARRAY", "int8", new int[0], new[] { -1 }, null)]
    [InlineData("text[][]", "text", new int[0], new[] { -1, -1 }, null)]
    [InlineData("vector(3)", "vector", new[] { 3 }, new int[0], null)]
    [InlineData("float(10)", "float4", new int[0], new int[0], null)]
    [InlineData("real", "float4", new int[0], new int[0], null)]
    [InlineData("boolean", "bool", new int[0], new int[0], null)]
    [InlineData("interval", "interval", new int[0], new int[0], null)]
    [InlineData("interval hour to minute", "interval", new int[0], new int[0], "hour to minute")]
    [InlineData("interval second(3)", "interval", new[] { 3 }, new int[0], "second")]
    public void Type_names_map_standard_spellings_to_postgresql_names(string sql, string name, int[] modifiers, int[] bounds, string? fields)
    {
        Assert.Equal(Type(name, modifiers, bounds, fields), SqlParser.ParseTypeName(sql));
    }

    [Fact]
    public void Casts_come_in_function_and_operator_syntax()
    {
        Assert.Equal(new CastExpression(Col("a"), Type("text"), false), Parse("CAST(a AS text)"));
        Assert.Equal(new CastExpression(new CastExpression(Col("a"), Type("int8"), true), Type("text"), true), Parse("a::bigint::text"));
    }

    [Fact]
    public void Typed_literals_name_their_type()
    {
        Assert.Equal(new TypedLiteral(Type("date"), "2024-01-01"), Parse("DATE '2024-01-01'"));
        Assert.Equal(new TypedLiteral(Type("timestamptz"), "2024-01-01"), Parse("TIMESTAMP WITH TIME ZONE '2024-01-01'"));
        Assert.Equal(new TypedLiteral(Type("interval"), "1 hour"), Parse("INTERVAL '1 hour'"));
        Assert.Equal(new TypedLiteral(Type("interval", fields: "hour"), "1"), Parse("INTERVAL '1' HOUR"));
        Assert.Equal(new TypedLiteral(Type("interval", [2], fields: "minute to second"), "1:30"), Parse("INTERVAL '1:30' MINUTE TO SECOND(2)"));
    }

    [Fact]
    public void Function_calls_carry_distinct_ordering_filter_and_window()
    {
        var call = Assert.IsType<FunctionCall>(Parse("string_agg(DISTINCT b, ',' ORDER BY b DESC) FILTER (WHERE c > 0) OVER (PARTITION BY d)"));
        Assert.True(call.Distinct);
        Assert.Equal(2, call.Arguments.Count);
        Assert.Equal(SortDirection.Descending, Assert.Single(call.OrderBy!).Direction);
        Assert.NotNull(call.Filter);
        var window = Assert.IsType<WindowSpecification>(call.Over);
        Assert.Equal([Col("d")], window.PartitionBy);
    }

    [Fact]
    public void Count_star_is_marked_as_a_star_call()
    {
        var call = Assert.IsType<FunctionCall>(Parse("count(*)"));
        Assert.True(call.IsStar);
        Assert.Empty(call.Arguments);
    }

    [Fact]
    public void Within_group_holds_the_ordered_set_ordering()
    {
        var call = Assert.IsType<FunctionCall>(Parse("percentile_cont(0.5) WITHIN GROUP (ORDER BY x)"));
        Assert.Equal(Col("x"), Assert.Single(call.WithinGroup!).Expression);
    }

    [Fact]
    public void Window_frames_parse_units_bounds_and_exclusions()
    {
        var call = Assert.IsType<FunctionCall>(Parse("sum(x) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)"));
        var frame = Assert.IsType<WindowSpecification>(call.Over).Frame!;
        Assert.Equal(FrameUnit.Rows, frame.Unit);
        Assert.Equal(new FrameBound(FrameBoundKind.Preceding, Int(2)), frame.Start);
        Assert.Equal(new FrameBound(FrameBoundKind.UnboundedFollowing, null), frame.End);
        Assert.Equal(FrameExclusion.CurrentRow, frame.Exclusion);
        Assert.Equal(new NamedWindowReference("w"), Assert.IsType<FunctionCall>(Parse("rank() OVER w")).Over);
    }

    [Fact]
    public void Special_function_syntax_becomes_plain_calls()
    {
        Assert.Equal(Call("substring", Col("s"), Int(2), Int(3)), Parse("SUBSTRING(s FROM 2 FOR 3)"));
        Assert.Equal(Call("position", Col("s"), Str("a")), Parse("POSITION('a' IN s)"));
        Assert.Equal(Call("ltrim", Col("s"), Str("x")), Parse("TRIM(LEADING 'x' FROM s)"));
        Assert.Equal(Call("btrim", Col("s")), Parse("TRIM(s)"));
        Assert.Equal(Call("overlay", Col("s"), Str("x"), Int(2), Int(1)), Parse("OVERLAY(s PLACING 'x' FROM 2 FOR 1)"));
        Assert.Equal(Call("coalesce", Col("a"), Int(0)), Parse("COALESCE(a, 0)"));
        Assert.Equal(new ExtractExpression("year", Col("ts")), Parse("EXTRACT(YEAR FROM ts)"));
    }

    [Fact]
    public void Quantified_comparisons_take_a_subquery_or_an_array()
    {
        var any = Assert.IsType<QuantifiedComparison>(Parse("a = ANY (ARRAY[1, 2])"));
        Assert.Equal((BinaryOperator.Equal, Quantifier.Any), (any.Operator, any.Quantifier));
        Assert.Equal(new ArrayExpression([Int(1), Int(2)]), any.Right);
        var all = Assert.IsType<QuantifiedComparison>(Parse("a > ALL (SELECT b FROM t)"));
        Assert.IsType<SubqueryExpression>(all.Right);
        Assert.Equal(Quantifier.Any, Assert.IsType<QuantifiedComparison>(Parse("a < SOME (SELECT 1)")).Quantifier);
    }

    [Fact]
    public void Arrays_subscripts_and_slices_parse()
    {
        Assert.Equal(new ArrayExpression([new ArrayExpression([Int(1)]), new ArrayExpression([Int(2)])]), Parse("ARRAY[[1], [2]]"));
        Assert.IsType<ArraySubqueryExpression>(Parse("ARRAY(SELECT 1)"));
        Assert.Equal(new SubscriptExpression(Col("a"), Int(1), null, false), Parse("a[1]"));
        Assert.Equal(new SubscriptExpression(Col("a"), Int(1), Int(2), true), Parse("a[1:2]"));
        Assert.Equal(new SubscriptExpression(Col("a"), null, Int(2), true), Parse("a[:2]"));
    }

    [Fact]
    public void Rows_and_field_selection_parse()
    {
        Assert.Equal(new RowExpression([Col("a"), Col("b")], true), Parse("ROW(a, b)"));
        Assert.Equal(new RowExpression([Col("a"), Col("b")], false), Parse("(a, b)"));
        Assert.Equal(new FieldSelectionExpression(Col("c"), "f"), Parse("(c).f"));
        Assert.Equal(new FieldSelectionExpression(Col("c"), null), Parse("(c).*"));
        Assert.Equal(Col("a"), Parse("((a))"));
    }

    [Fact]
    public void Subqueries_and_exists_parse()
    {
        Assert.IsType<SubqueryExpression>(Parse("(SELECT 1)"));
        Assert.IsType<ExistsExpression>(Parse("EXISTS (SELECT 1)"));
    }

    [Fact]
    public void Sql_value_functions_need_no_parentheses()
    {
        Assert.Equal(new SqlValueFunction(SqlValueFunctionKind.CurrentTimestamp, 3), Parse("CURRENT_TIMESTAMP(3)"));
        Assert.Equal(new SqlValueFunction(SqlValueFunctionKind.CurrentDate, null), Parse("current_date"));
        Assert.Equal(new SqlValueFunction(SqlValueFunctionKind.SessionUser, null), Parse("SESSION_USER"));
        Assert.Equal(new SqlValueFunction(SqlValueFunctionKind.LocalTimestamp, null), Parse("LOCALTIMESTAMP"));
    }

    [Fact]
    public void Collate_and_at_time_zone_are_postfix_forms()
    {
        Assert.Equal(new CollateExpression(Col("a"), QualifiedName.Of("C")), Parse("a COLLATE \"C\""));
        Assert.Equal(new AtTimeZoneExpression(Col("ts"), Str("UTC")), Parse("ts AT TIME ZONE 'UTC'"));
        Assert.Equal(Bin(BinaryOperator.Add, new AtTimeZoneExpression(Col("a"), Str("z")), Col("b")), Parse("a AT TIME ZONE 'z' + b"));
    }

    [Fact]
    public void Literals_of_every_kind_parse()
    {
        Assert.Equal(new BooleanLiteral(true), Parse("TRUE"));
        Assert.Equal(new NullLiteral(), Parse("NULL"));
        Assert.Equal(new BitStringLiteral("0101", false), Parse("B'0101'"));
        Assert.Equal(Int(31), Parse("0x1F"));
        Assert.Equal(new NumericLiteral("99999999999999999999"), Parse("99999999999999999999"));
        Assert.Equal(Int(1000), Parse("1_000"));
    }

    [Fact]
    public void Expressions_record_their_source_span()
    {
        var expression = Assert.IsType<BinaryExpression>(Parse("  a + foo(1)"));
        Assert.Equal(new SourceSpan(2, 10), expression.Span);
        Assert.Equal(new SourceSpan(6, 6), expression.Right.Span);
    }
}
