using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>
/// Set-returning functions in a select list (ProjectSet) and the ones FROM gained with them. Expected rows and
/// errors are PostgreSQL 15's.
/// </summary>
public sealed class SqlSetReturningFunctionTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE tagged (id int PRIMARY KEY, tags text[], doc jsonb)");
        await _db.RunAsync("INSERT INTO tagged VALUES (1, ARRAY['red', 'blue'], '{\"a\": 1, \"b\": [2, 3]}'), (2, '{green}', '[4, 5]'), (3, NULL, NULL), (4, '{}', '{}')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Each_series_row_repeats_the_other_targets() =>
        Assert.Equal(["1|x", "2|x", "3|x"], await _db.LinesAsync("SELECT generate_series(1, 3) AS g, 'x' AS c"));

    [Fact]
    public async Task Each_input_row_expands_and_a_row_whose_calls_give_nothing_is_dropped() =>
        Assert.Equal(["1|1", "2|1", "2|2"], await _db.LinesAsync("SELECT x, generate_series(1, x) FROM (VALUES (1), (2), (0)) t(x)"));

    [Fact]
    public async Task Calls_run_side_by_side_and_the_shorter_pads_with_nulls()
    {
        Assert.Equal(["1|1", "2|2", "NULL|3"], await _db.LinesAsync("SELECT generate_series(1, 2), generate_series(1, 3)"));
        Assert.Equal(["1|a", "2|b", "NULL|c"], await _db.LinesAsync("SELECT unnest(ARRAY[1, 2]), unnest(ARRAY['a', 'b', 'c'])"));
        Assert.Equal(["1|1.5", "5|2.5", "9|NULL"], await _db.LinesAsync("SELECT generate_series(1, 10, 4), generate_series(1.5, 3)"));
    }

    [Fact]
    public async Task A_call_over_another_calls_rows_runs_after_it() =>
        Assert.Equal(["1", "1", "2", "1", "2", "3"], await _db.LinesAsync("SELECT generate_series(1, generate_series(1, 3))"));

    [Fact]
    public async Task Calls_run_after_grouping_over_its_results()
    {
        Assert.Equal(["2|1", "2|2"], await _db.LinesAsync("SELECT count(*), generate_series(1, 2) FROM (VALUES (1), (2)) t(x)"));
        Assert.Equal(["5|5", "5|1"], await _db.LinesAsync("SELECT max(x), unnest(ARRAY[max(x), min(x)]) FROM (VALUES (1), (5)) t(x)"));
        Assert.Equal(["1|1", "1|2", "2|1"], await _db.LinesAsync("SELECT generate_series(1, 3), row_number() OVER () FROM (VALUES (1), (2)) t(x) ORDER BY 1, 2 LIMIT 3"));
    }

    [Fact]
    public async Task Distinct_order_by_and_limit_apply_to_the_expanded_rows()
    {
        Assert.Equal(["2", "1"], await _db.LinesAsync("SELECT DISTINCT unnest(ARRAY[1, 1, 2]) ORDER BY 1 DESC"));
        Assert.Equal(["1", "2"], await _db.LinesAsync("SELECT generate_series(1, 3) LIMIT 2"));
        Assert.Equal(["13", "12", "11"], await _db.LinesAsync("SELECT generate_series(1, 3) + 10 AS v ORDER BY v DESC"));
        Assert.Equal(["2", "3"], await _db.LinesAsync("SELECT * FROM (SELECT generate_series(1, 3) g) s WHERE g > 1"));
    }

    [Fact]
    public async Task Unnest_over_a_table_column_skips_null_and_empty_arrays() =>
        Assert.Equal(["1|blue", "1|red", "2|green"], await _db.LinesAsync("SELECT id, unnest(tags) FROM tagged ORDER BY id, 2"));

    [Fact]
    public async Task Unnest_flattens_a_multidimensional_array_and_a_null_array_gives_no_rows()
    {
        Assert.Equal(["1", "2", "3", "4"], await _db.LinesAsync("SELECT unnest(ARRAY[[1, 2], [3, 4]])"));
        Assert.Empty(await _db.LinesAsync("SELECT unnest(NULL::int[])"));
    }

    [Fact]
    public async Task Json_elements_and_keys_in_a_select_list()
    {
        Assert.Equal(["1|a", "\"a\"|NULL", "null|NULL"], await _db.LinesAsync("SELECT jsonb_array_elements('[1, \"a\", null]'), json_object_keys('{\"a\": 1}')"));
        Assert.Equal(["1|a", "1|b"], await _db.LinesAsync("SELECT id, jsonb_object_keys(doc) FROM tagged WHERE id = 1"));
        Assert.Equal(["2|4", "2|5"], await _db.LinesAsync("SELECT id, jsonb_array_elements_text(doc) FROM tagged WHERE id = 2"));
    }

    [Fact]
    public async Task Regexp_matches_gives_the_first_match_or_every_match_with_g()
    {
        Assert.Equal(["{b,c}", "{b,c}"], await _db.LinesAsync("SELECT regexp_matches('abcabc', '(b)(c)', 'g')"));
        Assert.Equal(["{b}"], await _db.LinesAsync("SELECT regexp_matches('abcabc', 'b')"));
        Assert.Empty(await _db.LinesAsync("SELECT regexp_matches('abc', '(z)')"));
    }

    [Fact]
    public async Task Split_to_table_functions_give_one_row_per_piece()
    {
        Assert.Equal(["a", "b", "c"], await _db.LinesAsync("SELECT regexp_split_to_table('a1b22c', '\\d+')"));
        Assert.Equal(["a", "b", "NULL", "c"], await _db.LinesAsync("SELECT string_to_table('a,b,,c', ',', '')"));
    }

    [Fact]
    public async Task Timestamp_series_steps_by_an_interval() =>
        Assert.Equal(
            ["2024-01-01 00:00:00", "2024-01-01 12:00:00", "2024-01-02 00:00:00"],
            await _db.LinesAsync("SELECT generate_series('2024-01-01'::timestamp, '2024-01-02', '12 hours')"));

    [Fact]
    public async Task A_long_series_spans_several_batches() =>
        Assert.Equal(["100000|5000050000"], await _db.LinesAsync("SELECT count(*), sum(g) FROM (SELECT generate_series(1, 100000) AS g) s"));

    [Fact]
    public async Task Regexp_and_split_functions_also_work_in_from()
    {
        Assert.Equal(["{1}", "{2}"], await _db.LinesAsync("SELECT * FROM regexp_matches('a1b2', '[a-z](\\d)', 'g')"));
        Assert.Equal(["a|1", "b|2"], await _db.LinesAsync("SELECT * FROM regexp_split_to_table('a,b', ',') WITH ORDINALITY"));
        Assert.Equal(["a", "b"], await _db.LinesAsync("SELECT v FROM string_to_table('a|b', '|') AS t(v)"));
    }

    [Fact]
    public async Task A_function_in_from_may_read_the_columns_before_it()
    {
        Assert.Equal(["1|blue", "1|red", "2|green"], await _db.LinesAsync("SELECT t.id, u.tag FROM tagged t, unnest(t.tags) AS u(tag) ORDER BY 1, 2"));
        Assert.Equal(["1|1", "3|1", "3|2", "3|3"], await _db.LinesAsync("SELECT * FROM (VALUES (1), (3)) v(x), generate_series(1, x) ORDER BY 1, 2"));
        Assert.Equal(["3"], await _db.LinesAsync("SELECT count(*) FROM tagged t, LATERAL unnest(t.tags)"));
        Assert.Equal(["a1b2|{1}", "a1b2|{2}"], await _db.LinesAsync("SELECT * FROM (VALUES ('a1b2')) v(s), regexp_matches(v.s, '\\d', 'g') m"));
    }

    [Fact]
    public async Task Lateral_joins_number_pad_and_filter_like_postgres()
    {
        Assert.Equal(["1|red|1", "1|blue|2", "2|green|1"], await _db.LinesAsync("SELECT id, tag, n FROM tagged CROSS JOIN LATERAL unnest(tags) WITH ORDINALITY AS u(tag, n) ORDER BY 1, 3"));
        Assert.Equal(["1|blue", "1|red", "2|green", "3|NULL", "4|NULL"], await _db.LinesAsync("SELECT id, u FROM tagged LEFT JOIN LATERAL unnest(tags) u ON true ORDER BY id, u"));
        Assert.Equal(["3|2", "3|3"], await _db.LinesAsync("SELECT x, g FROM (VALUES (1), (3)) v(x) JOIN LATERAL generate_series(1, x) g ON g > 1 ORDER BY 1, 2"));
        Assert.Equal(["1|1|a", "1|2|NULL"], await _db.LinesAsync("SELECT x, a, b FROM (VALUES (1)) v(x), unnest(ARRAY[x, 2], ARRAY['a']) AS u(a, b)"));
    }

    [Fact]
    public async Task Lateral_json_each_gives_keys_and_values()
    {
        Assert.Equal(["1|a|1", "1|b|[2, 3]"], await _db.LinesAsync("SELECT id, e.key, e.value FROM (SELECT * FROM tagged WHERE id = 1) t, jsonb_each(t.doc) e ORDER BY 2"));
        Assert.Equal(["1|a|1", "1|b|[2, 3]"], await _db.LinesAsync("SELECT id, k, v FROM (SELECT * FROM tagged WHERE id = 1) t, jsonb_each_text(t.doc) AS e(k, v) ORDER BY 2"));
    }

    [Fact]
    public async Task A_json_function_alias_names_its_one_result()
    {
        Assert.Equal(["a"], await _db.LinesAsync("SELECT elem->>'name' FROM jsonb_array_elements('[{\"name\": \"a\"}]') elem"));
        Assert.Equal(["2|4", "2|5"], await _db.LinesAsync("SELECT t.id, e::text FROM tagged t, jsonb_array_elements(t.doc) e WHERE id = 2"));
        Assert.Equal(["1"], await _db.LinesAsync("SELECT x.value FROM jsonb_array_elements('[1]') x"));
    }

    [Fact]
    public async Task Where_conditions_on_the_left_side_filter_before_the_function_runs() =>
        // Row 2's document is an array, on which jsonb_object_keys fails: the condition must keep it out first.
        Assert.Equal(["1|a", "1|b"], await _db.LinesAsync("SELECT id, k FROM tagged t, jsonb_object_keys(t.doc) k WHERE id <> 2 ORDER BY 1, 2"));

    [Fact]
    public async Task Left_join_lateral_with_a_condition_keeps_left_rows_without_a_match()
    {
        Assert.Equal(["1|NULL", "3|2", "3|3"], await _db.LinesAsync("SELECT x, g FROM (VALUES (1), (3)) v(x) LEFT JOIN LATERAL generate_series(1, x) g ON g > 1 ORDER BY 1, 2"));
        Assert.Equal(
            ["1|blue|2", "2|green|1", "3|NULL|NULL", "4|NULL|NULL"],
            await _db.LinesAsync("SELECT id, u, n FROM tagged LEFT JOIN LATERAL unnest(tags) WITH ORDINALITY AS t(u, n) ON u <> 'red' ORDER BY 1, 3"));
    }

    [Fact]
    public async Task Explain_shows_the_project_set()
    {
        var plan = string.Join('\n', await _db.LinesAsync("EXPLAIN SELECT id, unnest(tags) FROM tagged"));
        Assert.Contains("ProjectSet", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT 1 WHERE generate_series(1, 2) > 1", SqlState.FeatureNotSupported, "set-returning functions are not allowed in WHERE", null)]
    [InlineData("SELECT sum(generate_series(1, 3))", SqlState.FeatureNotSupported, "aggregate function calls cannot contain set-returning function calls",
        "You might be able to move the set-returning function into a LATERAL FROM item.")]
    [InlineData("SELECT lag(generate_series(1, 2)) OVER ()", SqlState.FeatureNotSupported, "window function calls cannot contain set-returning function calls",
        "You might be able to move the set-returning function into a LATERAL FROM item.")]
    [InlineData("SELECT x FROM (VALUES (1)) t(x) JOIN (VALUES (1)) u(y) ON generate_series(1, 2) = 1", SqlState.FeatureNotSupported,
        "set-returning functions are not allowed in JOIN conditions", null)]
    [InlineData("SELECT 1 HAVING generate_series(1, 2) > 1", SqlState.FeatureNotSupported, "set-returning functions are not allowed in HAVING", null)]
    [InlineData("SELECT generate_series(1, 2) OVER ()", SqlState.WrongObjectType, "OVER specified, but generate_series is not a window function nor an aggregate function", null)]
    [InlineData("SELECT unnest('{1,2}')", SqlState.AmbiguousFunction, "function unnest(unknown) is not unique",
        "Could not choose a best candidate function. You might need to add explicit type casts.")]
    [InlineData("SELECT * FROM unnest('{1,2}')", SqlState.AmbiguousFunction, "function unnest(unknown) is not unique",
        "Could not choose a best candidate function. You might need to add explicit type casts.")]
    [InlineData("SELECT unnest(1)", SqlState.UndefinedFunction, "function unnest(integer) does not exist",
        "No function matches the given name and argument types. You might need to add explicit type casts.")]
    [InlineData("SELECT regexp_split_to_table(1, 'x')", SqlState.UndefinedFunction, "function regexp_split_to_table(integer, unknown) does not exist",
        "No function matches the given name and argument types. You might need to add explicit type casts.")]
    public async Task Misplaced_or_mistyped_calls_fail_as_in_postgres(string sql, string state, string message, string? hint)
    {
        var error = await _db.ErrorAsync(sql);
        Assert.Equal((state, message, hint), (error.SqlState, error.Message, error.Hint));
    }

    [Fact]
    public async Task Record_returning_json_each_is_refused_in_a_select_list() =>
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.ErrorAsync("SELECT jsonb_each('{\"a\": 1}')")).SqlState);
}
