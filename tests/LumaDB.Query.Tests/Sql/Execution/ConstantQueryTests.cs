using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Execution;

public class ConstantQueryTests
{
    [Fact]
    public void Select_without_from_runs_end_to_end()
    {
        var result = SqlRun.Query("SELECT 1 + 2 AS three, 'a' || 'b', now() - interval '1 day'");
        Assert.Equal(["three", "?column?", "?column?"], result.ColumnNames);
        Assert.Equal([SqlType.Int4, SqlType.Text, SqlType.TimestampTz], result.ColumnTypes);
        Assert.Equal(1, result.Batch.Length);
        Assert.Equal(["3", "ab", "2024-03-14 12:30:45+00"], result.TextRow(0));
    }

    [Fact]
    public void Values_resolve_one_type_per_column()
    {
        var result = SqlRun.Query("VALUES (1, 'a', NULL), (2.5, NULL, true)");
        Assert.Equal(["column1", "column2", "column3"], result.ColumnNames);
        Assert.Equal([SqlType.Numeric, SqlType.Text, SqlType.Boolean], result.ColumnTypes);
        Assert.Equal(["1", "a", null], result.TextRow(0));
        Assert.Equal(["2.5", null, "t"], result.TextRow(1));
    }

    [Fact]
    public void Column_names_follow_postgres()
    {
        var result = SqlRun.Query("SELECT now(), '1'::int8, CAST(2 AS text), extract(year from now()), CASE WHEN true THEN 1 END, current_date");
        Assert.Equal(["now", "int8", "text", "extract", "case", "current_date"], result.ColumnNames);
    }

    [Theory]
    [InlineData("SELECT 7 / 2", "3")]
    [InlineData("SELECT -7 / 2", "-3")]
    [InlineData("SELECT -7 % 3", "-1")]
    [InlineData("SELECT 7.0 / 2", "3.5000000000000000")]
    [InlineData("SELECT 1 / 3.0", "0.33333333333333333333")]
    [InlineData("SELECT 10 / 3.0", "3.3333333333333333")]
    [InlineData("SELECT 2 ^ 10", "1024")]
    [InlineData("SELECT 0.1::float8 + 0.2", "0.30000000000000004")]
    [InlineData("SELECT 1.5 + 1", "2.5")]
    [InlineData("SELECT 3000000000 * 2", "6000000000")]
    [InlineData("SELECT 'NaN'::float8 > '1e308'::float8", "t")]
    [InlineData("SELECT 'NaN'::float8 = 'NaN'::float8", "t")]
    [InlineData("SELECT '-Infinity'::float8", "-Infinity")]
    [InlineData("SELECT '1e300'::float8 * '1e-300'::float8", "1")]
    [InlineData("SELECT abs(-5)", "5")]
    [InlineData("SELECT round(2.5)", "3")]
    [InlineData("SELECT round(2.5::float8)", "2")]
    [InlineData("SELECT round(3.14159, 2)", "3.14")]
    [InlineData("SELECT ceil(1.2)", "2")]
    [InlineData("SELECT floor(-1.2::float8)", "-2")]
    [InlineData("SELECT sqrt(16)", "4")]
    [InlineData("SELECT power(2.0::float8, 0.5)", "1.4142135623730951")]
    [InlineData("SELECT mod(-7, 3)", "-1")]
    [InlineData("SELECT 5::float8::int4", "5")]
    [InlineData("SELECT 2.5::float8::int4", "2")]
    [InlineData("SELECT 2.5::int4", "3")]
    [InlineData("SELECT '12'::int2 + 1", "13")]
    public void Arithmetic_matches_postgres(string sql, string expected) => Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT length('héllo')", "5")]
    [InlineData("SELECT lower('ABC'), upper('abc')", "abc")]
    [InlineData("SELECT substr('hello', 2, 3)", "ell")]
    [InlineData("SELECT substring('hello' from 0 for 3)", "he")]
    [InlineData("SELECT substr('hello', 3)", "llo")]
    [InlineData("SELECT replace('abcabc', 'b', 'X')", "aXcaXc")]
    [InlineData("SELECT concat('a', NULL, 1, true)", "a1t")]
    [InlineData("SELECT concat(1.50, date '2024-01-02', array[1,2], '{\"a\":1}'::jsonb)", "1.502024-01-02{1,2}{\"a\": 1}")]
    [InlineData("SELECT left('a😀bc😀', 2)", "a😀")]
    [InlineData("SELECT left('a😀bc😀', -2)", "a😀b")]
    [InlineData("SELECT right('a😀bc😀', 2)", "c😀")]
    [InlineData("SELECT right('a😀bc😀', -2)", "bc😀")]
    [InlineData("SELECT substr('a😀bc😀d', 2, 3)", "😀bc")]
    [InlineData("SELECT substr('a😀bc😀d', 0, 3)", "a😀")]
    [InlineData("SELECT substring('a😀bc😀d' from 5)", "😀d")]
    [InlineData("SELECT strpos('a😀bc😀d', 'c')", "4")]
    [InlineData("SELECT position('d' in 'a😀bc😀d')", "6")]
    [InlineData("SELECT strpos('a😀bc', 'x')", "0")]
    [InlineData("SELECT left('hello', 2) || right('hello', -3)", "helo")]
    [InlineData("SELECT trim('  x  ')", "x")]
    [InlineData("SELECT trim(leading 'x' from 'xxaxx')", "axx")]
    [InlineData("SELECT rtrim('xxaxx', 'x')", "xxa")]
    [InlineData("SELECT position('lo' in 'hello')", "4")]
    [InlineData("SELECT strpos('hello', 'z')", "0")]
    [InlineData("SELECT 'abc' LIKE 'a%'", "t")]
    [InlineData("SELECT 'abc' LIKE 'a_d'", "f")]
    [InlineData("SELECT 'a%c' LIKE 'a\\%c'", "t")]
    [InlineData("SELECT 'ABC' ILIKE 'a%c'", "t")]
    [InlineData("SELECT 'abc' NOT LIKE '%b%'", "f")]
    [InlineData("SELECT 'x' || 1 || true", "x1true")]
    [InlineData("SELECT 'abc' < 'abd'", "t")]
    [InlineData("SELECT 'B' < 'a'", "t")]
    [InlineData("SELECT '\\x0102'::bytea || '\\x03'::bytea", "\\x010203")]
    public void Text_functions_match_postgres(string sql, string expected) => Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT now()", "2024-03-15 12:30:45+00")]
    [InlineData("SELECT current_date", "2024-03-15")]
    [InlineData("SELECT date '2024-01-31' + 1", "2024-02-01")]
    [InlineData("SELECT date '2024-03-01' - date '2024-02-01'", "29")]
    [InlineData("SELECT date '2024-01-31' + interval '1 month'", "2024-02-29 00:00:00")]
    [InlineData("SELECT timestamp '2024-01-01 10:00' - timestamp '2023-12-30 09:30'", "2 days 00:30:00")]
    [InlineData("SELECT interval '1 hour' * 2.5", "02:30:00")]
    [InlineData("SELECT interval '1 day' / 4", "06:00:00")]
    [InlineData("SELECT -interval '1 day 2 hours'", "-1 days -02:00:00")]
    [InlineData("SELECT interval '1 mon' + interval '1 day'", "1 mon 1 day")]
    [InlineData("SELECT time '23:00' + interval '2 hours'", "01:00:00")]
    [InlineData("SELECT date_trunc('month', timestamp '2024-03-15 10:20:30')", "2024-03-01 00:00:00")]
    [InlineData("SELECT date_trunc('week', timestamp '2024-03-15 10:20:30')", "2024-03-11 00:00:00")]
    [InlineData("SELECT date_trunc('hour', interval '1 day 03:45:12')", "1 day 03:00:00")]
    [InlineData("SELECT extract(year from timestamp '2024-03-15 10:20:30')", "2024")]
    [InlineData("SELECT extract(second from timestamp '2024-03-15 10:20:30.5')", "30.500000")]
    [InlineData("SELECT extract(epoch from timestamptz '1970-01-02 00:00:00+00')", "86400.000000")]
    [InlineData("SELECT extract(dow from date '2024-03-17')", "0")]
    [InlineData("SELECT extract(week from date '2021-01-03')", "53")]
    [InlineData("SELECT date_part('month', interval '1 year 14 mons')", "2")]
    [InlineData("SELECT to_timestamp(86400.5)", "1970-01-02 00:00:00.5+00")]
    [InlineData("SELECT make_interval(1, 2, 0, 3, 4, 5, 6.5)", "1 year 2 mons 3 days 04:05:06.5")]
    [InlineData("SELECT make_interval(days => 10)", "10 days")]
    [InlineData("SELECT date '2024-03-15' < timestamp '2024-03-15 00:00:01'", "t")]
    [InlineData("SELECT interval '1 mon' = interval '30 days'", "t")]
    [InlineData("SELECT '2024-01-01'::date::timestamptz", "2024-01-01 00:00:00+00")]
    [InlineData("SELECT timestamp '2024-01-01 23:59'::date", "2024-01-01")]
    public void Date_time_functions_match_postgres(string sql, string expected) => Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END", "b")]
    [InlineData("SELECT CASE 3 WHEN 1 THEN 'one' WHEN 3 THEN 'three' END", "three")]
    [InlineData("SELECT CASE WHEN false THEN 1 END", null)]
    [InlineData("SELECT CASE WHEN NULL THEN 1 ELSE 2 END", "2")]
    [InlineData("SELECT CASE WHEN 0 = 0 THEN 0 ELSE 1 / 0 END", "0")]
    [InlineData("SELECT coalesce(NULL, 2, 1 / 0)", "2")]
    [InlineData("SELECT coalesce(NULL::int, NULL)", null)]
    [InlineData("SELECT nullif(1, 1)", null)]
    [InlineData("SELECT nullif(1, 2)", "1")]
    [InlineData("SELECT greatest(1, NULL, 3)", "3")]
    [InlineData("SELECT least(2.5, 1, NULL)", "1")]
    [InlineData("SELECT greatest(NULL::int, NULL)", null)]
    [InlineData("SELECT 2 BETWEEN 1 AND 3", "t")]
    [InlineData("SELECT 2 NOT BETWEEN 1 AND 3", "f")]
    [InlineData("SELECT 2 BETWEEN SYMMETRIC 3 AND 1", "t")]
    [InlineData("SELECT 2 BETWEEN 3 AND 1", "f")]
    [InlineData("SELECT 2 IN (1, 2)", "t")]
    [InlineData("SELECT 3 IN (1, NULL)", null)]
    [InlineData("SELECT 1 IN (1, NULL)", "t")]
    [InlineData("SELECT 3 NOT IN (1, NULL)", null)]
    [InlineData("SELECT 3 NOT IN (1, 2)", "t")]
    [InlineData("SELECT NULL IS NULL", "t")]
    [InlineData("SELECT 1 IS NOT NULL", "t")]
    [InlineData("SELECT NULL::bool IS UNKNOWN", "t")]
    [InlineData("SELECT NULL::bool IS NOT TRUE", "t")]
    [InlineData("SELECT false IS FALSE", "t")]
    [InlineData("SELECT NULL IS DISTINCT FROM 1", "t")]
    [InlineData("SELECT NULL IS NOT DISTINCT FROM NULL", "t")]
    [InlineData("SELECT 1 IS DISTINCT FROM 1", "f")]
    [InlineData("SELECT 1 + NULL", null)]
    [InlineData("SELECT NULL = NULL", null)]
    [InlineData("SELECT 'a' || NULL", null)]
    [InlineData("SELECT abs(NULL::int)", null)]
    [InlineData("SELECT true::text", "true")]
    [InlineData("SELECT 1::bool", "t")]
    [InlineData("SELECT 'abc'::varchar(2)", "ab")]
    [InlineData("SELECT 'ab'::char(4) || '|'", "ab|")]
    [InlineData("SELECT 'ab'::char(4) = 'ab  '::char(4)", "t")]
    [InlineData("SELECT interval '-1 year -2 mons +3 days'", "-1 years -2 mons +3 days")]
    [InlineData("SELECT interval '1 year -2 mons'", "10 mons")]
    [InlineData("SELECT timestamptz '0001-01-01 00:00:00+00 BC'", "0001-01-01 00:00:00+00 BC")]
    [InlineData("SELECT time '10:00' - time '12:30'", "-02:30:00")]
    [InlineData("SELECT date '2024-01-01' + time '10:30'", "2024-01-01 10:30:00")]
    [InlineData("SELECT timestamptz '2024-01-01 00:00+00' = timestamp '2024-01-01 00:00'", "t")]
    public void Conditionals_and_nulls_follow_sql_rules(string sql, string? expected) => Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("true", "true", "t", "t")]
    [InlineData("true", "false", "f", "t")]
    [InlineData("true", "NULL", null, "t")]
    [InlineData("false", "true", "f", "t")]
    [InlineData("false", "false", "f", "f")]
    [InlineData("false", "NULL", "f", null)]
    [InlineData("NULL", "true", null, "t")]
    [InlineData("NULL", "false", "f", null)]
    [InlineData("NULL", "NULL", null, null)]
    public void And_or_follow_three_valued_logic(string a, string b, string? and, string? or)
    {
        var row = SqlRun.Query($"SELECT {a}::bool AND {b}::bool, {a}::bool OR {b}::bool, NOT {a}::bool").TextRow(0);
        Assert.Equal(and, row[0]);
        Assert.Equal(or, row[1]);
        Assert.Equal(a switch { "true" => "f", "false" => "t", _ => null }, row[2]);
    }

    [Theory]
    [InlineData("SELECT 1 / 0", "22012", "division by zero")]
    [InlineData("SELECT 1.0 / 0", "22012", "division by zero")]
    [InlineData("SELECT 1::float8 / 0", "22012", "division by zero")]
    [InlineData("SELECT 5 % 0", "22012", "division by zero")]
    [InlineData("SELECT interval '1 day' / 0", "22012", "division by zero")]
    [InlineData("SELECT 2147483647 + 1", "22003", "integer out of range")]
    [InlineData("SELECT -2147483648 * -1", "22003", "integer out of range")]
    [InlineData("SELECT 9223372036854775807 + 1", "22003", "bigint out of range")]
    [InlineData("SELECT 32767::int2 + 1::int2", "22003", "smallint out of range")]
    [InlineData("SELECT 3000000000::int4", "22003", "integer out of range")]
    [InlineData("SELECT '1e308'::float8 * 10", "22003", "value out of range: overflow")]
    [InlineData("SELECT sqrt(-1)", "2201F", "cannot take square root of a negative number")]
    [InlineData("SELECT 'abc'::int", "22P02", "invalid input syntax for type integer: \"abc\"")]
    [InlineData("SELECT 1 + true", "42883", "operator does not exist: integer + boolean")]
    [InlineData("SELECT nosuch", "42703", "column \"nosuch\" does not exist")]
    [InlineData("SELECT date_trunc('fortnight', now())", "22023", "unit \"fortnight\" not recognized for type timestamp with time zone")]
    public void Errors_carry_sqlstate_and_postgres_wording(string sql, string sqlState, string message)
    {
        var e = SqlRun.Error(sql);
        Assert.Equal(sqlState, e.SqlState);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("SELECT true", "t")]
    [InlineData("SELECT 1::int2", "1")]
    [InlineData("SELECT 1::int8", "1")]
    [InlineData("SELECT 1.5::float4", "1.5")]
    [InlineData("SELECT 'NaN'::float8", "NaN")]
    [InlineData("SELECT 1.50", "1.50")]
    [InlineData("SELECT 'x'::varchar(3)", "x")]
    [InlineData("SELECT '\\xff'::bytea", "\\xff")]
    [InlineData("SELECT date '0001-01-01 BC'", "0001-01-01 BC")]
    [InlineData("SELECT time '04:05:06.789'", "04:05:06.789")]
    [InlineData("SELECT timestamp 'infinity'", "infinity")]
    [InlineData("SELECT interval '1 year 2 mons 3 days 04:05:06.789'", "1 year 2 mons 3 days 04:05:06.789")]
    [InlineData("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [InlineData("SELECT '{\"b\":1,\"a\":2}'::jsonb", "{\"a\": 2, \"b\": 1}")]
    [InlineData("SELECT '[1, 2]'::json", "[1, 2]")]
    public void Every_scalar_type_survives_a_trip_through_arrow(string sql, string expected) => Assert.Equal(expected, SqlRun.Scalar(sql));
}
