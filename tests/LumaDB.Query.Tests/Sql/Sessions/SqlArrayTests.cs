using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Array constructors, subscripts, ANY/ALL over arrays, array operators, array functions and unnest.</summary>
public sealed class SqlArrayTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE tagged (id int PRIMARY KEY, tags text[], scores int[])");
        await _db.RunAsync("INSERT INTO tagged VALUES (1, ARRAY['red', 'blue'], '{1,2,3}'), (2, '{green}', ARRAY[10]), (3, NULL, '{}')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Array_constructor_takes_the_common_type_of_its_elements() =>
        Assert.Equal(["{1,2.5,3}|{a,b}|{{1,2},{3,4}}"], await _db.LinesAsync("SELECT ARRAY[1, 2.5, 3], ARRAY['a', 'b'], ARRAY[ARRAY[1, 2], ARRAY[3, 4]]"));

    [Fact]
    public async Task Empty_array_constructor_without_a_cast_is_an_error() =>
        Assert.Equal("42P18", (await _db.ErrorAsync("SELECT ARRAY[]")).SqlState);

    [Fact]
    public async Task Subscripts_are_one_based_and_out_of_range_is_null() =>
        Assert.Equal(["red|blue|NULL|{2,3}|{1,2}"], await _db.LinesAsync("SELECT tags[1], tags[2], tags[3], scores[2:], scores[:2] FROM tagged WHERE id = 1"));

    [Fact]
    public async Task Any_and_all_compare_against_every_element() =>
        Assert.Equal(
            ["1|t|f|t", "2|f|t|f", "3|NULL|t|f"],
            await _db.LinesAsync("SELECT id, 'red' = ANY(tags), 5 < ALL(scores), 2 = ANY(scores) FROM tagged ORDER BY id"));

    [Fact]
    public async Task Any_over_a_parameter_takes_the_array_type_of_the_left_side() =>
        Assert.Equal(["1", "3"], await _db.LinesAsync("SELECT id FROM tagged WHERE id = ANY($1) ORDER BY id", new object?[] { new object?[] { 1, 3, 7 } }));

    [Fact]
    public async Task All_over_an_empty_array_is_true_and_any_is_false() =>
        Assert.Equal(["t|f"], await _db.LinesAsync("SELECT 1 = ALL('{}'::int[]), 1 = ANY('{}'::int[])"));

    [Fact]
    public async Task Concatenation_appends_prepends_and_joins_arrays() =>
        Assert.Equal(
            ["{1,2,3,4}|{0,1,2,3}|{1,2,3,5,6}|{red,blue,x}"],
            await _db.LinesAsync("SELECT scores || 4, 0 || scores, scores || ARRAY[5, 6], tags || 'x'::text FROM tagged WHERE id = 1"));

    [Fact]
    public async Task Containment_and_overlap_operators() =>
        Assert.Equal(
            ["1|t|t|f", "2|f|f|t", "3|f|t|f"],
            await _db.LinesAsync("SELECT id, scores @> ARRAY[1, 3], scores <@ ARRAY[1, 2, 3], scores && ARRAY[10, 20] FROM tagged ORDER BY id"));

    [Fact]
    public async Task Array_functions_follow_postgres() =>
        Assert.Equal(
            ["3|3|1|3|[1:3]|1,2,3|2|{1,3}|{1,9,3}|{a,NULL,c}|1"],
            await _db.LinesAsync(
                "SELECT array_length(scores, 1), cardinality(scores), array_lower(scores, 1), array_upper(scores, 1), array_dims(scores), " +
                "array_to_string(scores, ','), array_position(scores, 2), array_remove(scores, 2), array_replace(scores, 2, 9), " +
                "string_to_array('a,-,c', ',', '-'), array_ndims(scores) FROM tagged WHERE id = 1"));

    [Fact]
    public async Task Array_length_of_an_empty_array_is_null() =>
        Assert.Equal(["NULL|0"], await _db.LinesAsync("SELECT array_length(scores, 1), cardinality(scores) FROM tagged WHERE id = 3"));

    [Fact]
    public async Task Array_to_string_skips_nulls_unless_given_a_replacement() =>
        Assert.Equal(["a,c|a,*,c"], await _db.LinesAsync("SELECT array_to_string(ARRAY['a', NULL, 'c'], ','), array_to_string(ARRAY['a', NULL, 'c'], ',', '*')"));

    [Fact]
    public async Task Unnest_in_from_yields_one_row_per_element_with_ordinality() =>
        Assert.Equal(["red|1", "blue|2"], await _db.LinesAsync("SELECT t, n FROM unnest(ARRAY['red', 'blue']) WITH ORDINALITY AS u(t, n)"));

    [Fact]
    public async Task Unnest_of_several_arrays_pads_the_shorter_with_nulls() =>
        Assert.Equal(["1|a", "2|NULL"], await _db.LinesAsync("SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a']) AS u(n, s)"));

    [Fact]
    public async Task Array_subquery_collects_a_column_correlated_to_the_outer_row() =>
        Assert.Equal(
            ["1|{1,2,3}", "2|{10}", "3|{}"],
            await _db.LinesAsync("SELECT id, ARRAY(SELECT s FROM unnest(scores) AS s ORDER BY s) FROM tagged ORDER BY id"));

    [Fact]
    public async Task Arrays_compare_element_by_element() =>
        Assert.Equal(["t|t|f|t"], await _db.LinesAsync("SELECT ARRAY[1, 2] = ARRAY[1, 2], ARRAY[1, 2] < ARRAY[1, 3], '{1}'::int[] <> ARRAY[1], ARRAY[1, 2] > ARRAY[1]"));

    [Fact]
    public async Task Subscripting_a_non_array_is_an_error()
    {
        var error = await _db.ErrorAsync("SELECT id[1] FROM tagged");
        Assert.Equal(SqlState.DatatypeMismatch, error.SqlState);
    }
}
