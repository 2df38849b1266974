namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>json/jsonb operators, functions, casts and ordering, with PostgreSQL 15's results and errors.</summary>
public sealed class SqlJsonTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE docs (id int PRIMARY KEY, body jsonb, raw json)");
        await _db.RunAsync("""
            INSERT INTO docs VALUES
              (1, '{"method": "GET", "status": 200, "tags": ["a", "b"], "user": {"name": "ann", "age": 30}}', '{"b": 1,  "a": [1, 2]}'),
              (2, '{"method": "POST", "status": 500, "tags": ["b"], "user": {"name": "bob"}}', '[10, 20, 30]'),
              (3, '{"method": "GET", "status": 404, "tags": [], "user": null}', 'null'),
              (4, NULL, NULL)
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> One(string sql) => (await _db.LinesAsync(sql)).Single();

    [Fact]
    public async Task Arrow_gets_a_field_as_jsonb_and_double_arrow_as_text() =>
        Assert.Equal(
            ["1|\"GET\"|GET|200", "2|\"POST\"|POST|500", "3|\"GET\"|GET|404", "4|NULL|NULL|NULL"],
            await _db.LinesAsync("SELECT id, body->'method', body->>'method', body->>'status' FROM docs ORDER BY id"));

    [Fact]
    public async Task Double_arrow_filters_rows_in_where() =>
        Assert.Equal(["1", "3"], await _db.LinesAsync("SELECT id FROM docs WHERE body->>'method' = 'GET' ORDER BY id"));

    [Fact]
    public async Task Arrow_takes_array_indexes_counting_back_from_the_end_when_negative()
    {
        Assert.Equal("\"b\"|a|NULL|NULL", await One("SELECT body->'tags'->-1, body->'tags'->>0, body->'tags'->5, body->0 FROM docs WHERE id = 1"));
        Assert.Equal("30|[10, 20, 30]", await One("SELECT raw->-1, raw FROM docs WHERE id = 2"));
    }

    [Fact]
    public async Task Json_keeps_its_text_and_jsonb_is_normalised()
    {
        Assert.Equal("{\"b\": 1,  \"a\": [1, 2]}|[1, 2]", await One("SELECT raw, raw->'a' FROM docs WHERE id = 1"));
        Assert.Equal("{\"a\": [1, 2], \"b\": 1}", await One("SELECT raw::jsonb FROM docs WHERE id = 1"));
        Assert.Equal("{\"a\": 2, \"bb\": 1}", await One("SELECT '{\"bb\":1,\"a\":1,\"a\":2}'::jsonb"));
    }

    [Fact]
    public async Task Path_operators_follow_keys_and_indexes()
    {
        Assert.Equal("\"ann\"|ann|\"b\"|NULL", await One("SELECT body#>'{user,name}', body#>>'{user,name}', body#>'{tags,1}', body#>'{tags,x}' FROM docs WHERE id = 1"));
        Assert.Equal("{\"a\": 1}", await One("SELECT '{\"a\":1}'::jsonb #>> '{}'"));
        Assert.Equal("NULL|NULL", await One("SELECT body#>>'{user,name}', body->'user'->>'name' FROM docs WHERE id = 3"));
        Assert.Equal("ann|\"ann\"", await One("SELECT jsonb_extract_path_text(body, 'user', 'name'), jsonb_extract_path(body, 'user', 'name') FROM docs WHERE id = 1"));
        Assert.Equal("2", await One("SELECT json_extract_path_text(raw, 'a', '1') FROM docs WHERE id = 1"));
    }

    [Fact]
    public async Task Containment_and_key_existence()
    {
        Assert.Equal(["1", "3"], await _db.LinesAsync("SELECT id FROM docs WHERE body @> '{\"method\": \"GET\"}' ORDER BY id"));
        Assert.Equal(["1"], await _db.LinesAsync("SELECT id FROM docs WHERE body @> '{\"tags\": [\"b\", \"a\"], \"user\": {\"age\": 30}}'"));
        Assert.Equal(["1", "2"], await _db.LinesAsync("SELECT id FROM docs WHERE '{\"tags\": [\"b\"]}' <@ body ORDER BY id"));
        Assert.Equal("t|f|t|t|f", await One("SELECT '[\"a\", 1]'::jsonb @> '\"a\"', '[[\"a\"]]'::jsonb @> '\"a\"', '1.0'::jsonb @> '1', '[1, [2, 3]]'::jsonb @> '[[3]]', '{\"a\": [1]}'::jsonb @> '{\"a\": 1}'"));
        Assert.Equal("t|f|t|t|f|t", await One("SELECT '{\"a\":1}'::jsonb ? 'a', '{\"a\":1}'::jsonb ? 'b', '[\"a\",\"b\"]'::jsonb ? 'b', '{\"a\":1,\"b\":2}'::jsonb ?| '{x,b}', '{\"a\":1}'::jsonb ?& '{a,b}', '{\"a\":1}'::jsonb ?& '{}'"));
        Assert.Equal(["1", "2"], await _db.LinesAsync("SELECT id FROM docs WHERE body->'user' ? 'name' ORDER BY id"));
    }

    [Fact]
    public async Task Concatenation_and_deletion()
    {
        Assert.Equal("{\"a\": 1, \"b\": 3, \"c\": 4}", await One("SELECT '{\"a\":1,\"b\":2}'::jsonb || '{\"b\":3,\"c\":4}'"));
        Assert.Equal("[1, 2, 3, 4]|[1, 2]|[{\"a\": 1}, 2]|[1, 2]", await One("SELECT '[1,2]'::jsonb || '[3,4]'::jsonb, '1'::jsonb || '2'::jsonb, '{\"a\":1}'::jsonb || '2'::jsonb, '[1]'::jsonb || '2'::jsonb"));
        Assert.Equal("{\"b\": 2}|[\"b\"]|[1, 3]|[1, 2]|{}", await One("SELECT '{\"a\":1,\"b\":2}'::jsonb - 'a', '[\"a\",\"b\"]'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '[1,2,3]'::jsonb - -1, '{\"a\":1,\"b\":2}'::jsonb - '{a,b}'::text[]"));
        Assert.Equal("{\"a\": {\"c\": 2}}|[1, [3]]", await One("SELECT '{\"a\":{\"b\":1,\"c\":2}}'::jsonb #- '{a,b}', '[1,[2,3]]'::jsonb #- '{1,0}'"));
        Assert.Equal("text|x", await One("SELECT 'text' || '|' || 'x'"));
    }

    [Fact]
    public async Task Deletion_errors_match_postgres()
    {
        var e = await _db.ErrorAsync("SELECT '1'::jsonb - 'a'");
        Assert.Equal(("22023", "cannot delete from scalar"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '{\"a\":1}'::jsonb - 0");
        Assert.Equal(("22023", "cannot delete from object using integer index"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '[1]'::jsonb #- '{a}'");
        Assert.Equal(("22P02", "path element at position 1 is not an integer: \"a\""), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '5'::jsonb #- '{a}'");
        Assert.Equal(("22023", "cannot delete path in scalar"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Operators_on_wrong_types_are_undefined()
    {
        var e = await _db.ErrorAsync("SELECT 'x'::text -> 'a'");
        Assert.Equal(("42883", "operator does not exist: text -> unknown"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '{}'::json @> '{}'");
        Assert.Equal(("42883", "operator does not exist: json @> unknown"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '{}'::json ? 'a'");
        Assert.Equal("42883", e.SqlState);
        e = await _db.ErrorAsync("SELECT raw = raw FROM docs");
        Assert.Equal(("42883", "operator does not exist: json = json"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Bad_json_input_is_22P02()
    {
        var e = await _db.ErrorAsync("SELECT '{\"a\":'::jsonb");
        Assert.Equal(("22P02", "invalid input syntax for type json"), (e.SqlState, e.Message));
        Assert.Equal("The input string ended unexpectedly.", e.Detail);
        e = await _db.ErrorAsync("SELECT '{a:1}'::json");
        Assert.Equal(("22P02", "invalid input syntax for type json"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("INSERT INTO docs VALUES (9, '[1,', NULL)");
        Assert.Equal("22P02", e.SqlState);
        Assert.Equal(["4"], await _db.LinesAsync("SELECT count(*) FROM docs"));
    }

    [Fact]
    public async Task Build_functions_and_to_json()
    {
        Assert.Equal("{\"a\" : 1, \"b\" : [1,2], \"c\" : null}|{\"a\": 1, \"b\": [1, 2], \"c\": null}",
            await One("SELECT json_build_object('a', 1, 'b', '[1,2]'::json, 'c', NULL), jsonb_build_object('b', '[1,2]'::json, 'a', 1, 'c', NULL)"));
        Assert.Equal("[1, \"x\", true, null, 1.5]|[1, \"x\", true, null, 1.5]", await One("SELECT json_build_array(1, 'x', true, NULL, 1.5), jsonb_build_array(1, 'x', true, NULL, 1.5)"));
        Assert.Equal("\"a\\\"b\"|3|\"NaN\"|\"2024-01-02T03:04:05\"|[1,2]|\"2024-01-02\"", await One("SELECT to_json('a\"b'::text), to_jsonb(3), to_jsonb('NaN'::float8), to_json('2024-01-02 03:04:05'::timestamp), to_json('{1,2}'::int[]), to_jsonb('2024-01-02'::date)"));
        Assert.Equal("{}|[]|NULL", await One("SELECT jsonb_build_object(), json_build_array(), to_json(NULL::int)"));
        var e = await _db.ErrorAsync("SELECT jsonb_build_object('a')");
        Assert.Equal(("22023", "argument list must have even number of elements"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT json_build_object(NULL, 1)");
        Assert.Equal(("22023", "argument 1 cannot be null"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Typeof_and_array_length()
    {
        Assert.Equal(
            ["1|object|array|string|number|2", "2|object|array|string|NULL|1", "3|object|array|string|NULL|0", "4|NULL|NULL|NULL|NULL|NULL"],
            await _db.LinesAsync("SELECT id, jsonb_typeof(body), jsonb_typeof(body->'tags'), jsonb_typeof(body->'method'), jsonb_typeof(body->'user'->'age'), jsonb_array_length(body->'tags') + (id - id) FROM docs ORDER BY id"));
        Assert.Equal("boolean|3", await One("SELECT json_typeof('true'), json_array_length('[1,2,3]')"));
        var e = await _db.ErrorAsync("SELECT jsonb_array_length('{}')");
        Assert.Equal(("22023", "cannot get array length of a non-array"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT jsonb_array_length('1')");
        Assert.Equal(("22023", "cannot get array length of a scalar"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Set_insert_strip_nulls_and_pretty()
    {
        Assert.Equal("{\"a\": {\"b\": 9}}|{\"a\": {\"b\": 1, \"c\": 9}}|{\"a\": {\"b\": 1}}|[0, 1, 2, 9]|[9, 0, 1, 2]",
            await One("SELECT jsonb_set('{\"a\":{\"b\":1}}', '{a,b}', '9'), jsonb_set('{\"a\":{\"b\":1}}', '{a,c}', '9'), jsonb_set('{\"a\":{\"b\":1}}', '{a,c}', '9', false), jsonb_set('[0,1,2]', '{10}', '9'), jsonb_set('[0,1,2]', '{-10}', '9')"));
        Assert.Equal("[0, 9, 1]|[0, 1, 9]|{\"a\": 1, \"b\": 2}", await One("SELECT jsonb_insert('[0,1]', '{1}', '9'), jsonb_insert('[0,1]', '{1}', '9', true), jsonb_insert('{\"a\":1}', '{b}', '2')"));
        Assert.Equal("NULL", await One("SELECT jsonb_set('{}', '{a}', NULL)"));
        var e = await _db.ErrorAsync("SELECT jsonb_insert('{\"a\":1}', '{a}', '2')");
        Assert.Equal(("22023", "cannot replace existing key"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT jsonb_set('1', '{a}', '2')");
        Assert.Equal(("22023", "cannot set path in scalar"), (e.SqlState, e.Message));
        Assert.Equal("{\"a\": [null, {}]}|{\"a\":[null,{}]}", await One("SELECT jsonb_strip_nulls('{\"a\":[null,{\"x\":null}],\"b\":null}'), json_strip_nulls('{\"a\":[null,{\"x\":null}],\"b\":null}')"));
        Assert.Equal("{\n    \"a\": [\n        1,\n        {\n        }\n    ]\n}", await One("SELECT jsonb_pretty('{\"a\":[1,{}]}')"));
    }

    [Fact]
    public async Task Casts_between_json_jsonb_text_and_scalars()
    {
        Assert.Equal("1|12|t|1.5|2|2.5", await One("SELECT ('1'::jsonb)::int, ('12'::jsonb)::bigint, 'true'::jsonb::boolean, '1.5'::jsonb::numeric, '1.5'::jsonb::int, '2.5'::jsonb::float8"));
        Assert.Equal("\"GET\"", await One("SELECT (body->'method')::text FROM docs WHERE id = 1"));
        Assert.Equal("200", await One("SELECT (body->'status')::int FROM docs WHERE id = 1"));
        var e = await _db.ErrorAsync("SELECT '\"1\"'::jsonb::int");
        Assert.Equal(("22023", "cannot cast jsonb string to type integer"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '{}'::jsonb::boolean");
        Assert.Equal(("22023", "cannot cast jsonb object to type boolean"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '1'::json::int");
        Assert.Equal("42846", e.SqlState);
    }

    [Fact]
    public async Task Jsonb_equality_and_ordering_follow_postgres_rules()
    {
        Assert.Equal("t|t|t|t|t|t", await One("SELECT '1.0'::jsonb = '1', '{\"a\":1}'::jsonb > '[1,2,3]', '[1,2]'::jsonb > '[3]', 'true'::jsonb > '100', ('2'::jsonb > '10'::jsonb) = false, '[]'::jsonb < 'null'"));
        Assert.Equal(["{\"age\": 30, \"name\": \"ann\"}|1", "{\"name\": \"bob\"}|1", "null|1"],
            await _db.LinesAsync("SELECT body->'user', count(*) FROM docs WHERE body IS NOT NULL GROUP BY body->'user' ORDER BY body->'user'->>'name'"));
        Assert.Equal(["{\"a\": 1}|2"], await _db.LinesAsync("SELECT j, count(*) FROM (SELECT '{\"a\":1}'::jsonb AS j UNION ALL SELECT '{ \"a\" : 1 }'::jsonb) s GROUP BY j"));
        Assert.Equal(["\"GET\"", "\"POST\""], await _db.LinesAsync("SELECT DISTINCT body->'method' FROM docs WHERE body IS NOT NULL ORDER BY 1"));
    }

    [Fact]
    public async Task Json_aggregates()
    {
        Assert.Equal(
            "[1, 2, 3, 4]|[200, 500, 404, null]|{ \"1\" : \"GET\", \"2\" : \"POST\", \"3\" : \"GET\" }|{\"1\": \"GET\", \"2\": \"POST\", \"3\": \"GET\"}",
            await One("SELECT json_agg(id ORDER BY id), jsonb_agg(body->'status' ORDER BY id), json_object_agg(id, body->>'method') FILTER (WHERE id < 4), jsonb_object_agg(id, body->>'method') FILTER (WHERE id < 4) FROM docs"));
        Assert.Equal(["GET|[{\"id\": 1}, {\"id\": 3}]", "POST|[{\"id\": 2}]"],
            await _db.LinesAsync("SELECT body->>'method', jsonb_agg(jsonb_build_object('id', id) ORDER BY id) FROM docs WHERE body IS NOT NULL GROUP BY 1 ORDER BY 1"));
        Assert.Equal("NULL|NULL", await One("SELECT json_agg(id), jsonb_object_agg(id, id) FROM docs WHERE id > 100"));
        var e = await _db.ErrorAsync("SELECT jsonb_object_agg(NULL::text, 1)");
        Assert.Equal(("22023", "field name must not be null"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Set_returning_json_functions_in_from()
    {
        Assert.Equal(["1|number", "{\"a\": 1}|object"], await _db.LinesAsync("SELECT value, jsonb_typeof(value) FROM jsonb_array_elements('[1, {\"a\":1}]')"));
        Assert.Equal(["1", "{\"a\": 1}", "x"], await _db.LinesAsync("SELECT * FROM jsonb_array_elements_text('[1, {\"a\":1}, \"x\"]')"));
        Assert.Equal(["1", "{\"a\":1}"], await _db.LinesAsync("SELECT value FROM json_array_elements('[1, {\"a\":1}]')"));
        Assert.Equal(["a|1", "b|\"x\""], await _db.LinesAsync("SELECT key, value FROM jsonb_each('{\"b\":\"x\",\"a\":1}')"));
        Assert.Equal(["a|1", "b|x"], await _db.LinesAsync("SELECT * FROM jsonb_each_text('{\"b\":\"x\",\"a\":1}')"));
        Assert.Equal(["a", "b"], await _db.LinesAsync("SELECT jsonb_object_keys FROM jsonb_object_keys('{\"b\":1,\"a\":2}')"));
        Assert.Equal(["a|1", "b|1"], await _db.LinesAsync("SELECT k.k, count(*) FROM jsonb_object_keys('{\"b\":1,\"a\":2}') AS k(k) GROUP BY 1 ORDER BY 1"));
        var e = await _db.ErrorAsync("SELECT * FROM jsonb_array_elements('{}')");
        Assert.Equal(("22023", "cannot extract elements from an object"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT * FROM jsonb_object_keys('[1]')");
        Assert.Equal(("22023", "cannot call jsonb_object_keys on an array"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT * FROM jsonb_each('1')");
        Assert.Equal(("22023", "cannot call jsonb_each on a non-object"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Nulls_propagate_through_operators_and_functions() =>
        Assert.Equal(
            "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL",
            await One("SELECT body->'a', body->>'a', body#>'{a}', body @> '{}', body ? 'a', body || '{}', body - 'a', jsonb_typeof(body) FROM docs WHERE id = 4"));
}
