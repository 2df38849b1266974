using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// bit_and/bit_or/bit_xor, the (Y, X) statistics aggregates (corr, covar_*, regr_*) and mode() WITHIN GROUP, with
/// every expected value and error copied from PostgreSQL 15 over the same rows: without and with GROUP BY, NULLs,
/// empty input, single rows, FILTER, DISTINCT, window frames, and a table large enough that the typed per-group
/// states run on parallel workers and merge.
/// </summary>
public sealed class AggregateFunctionTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private SqlTestDatabase _db = null!;
    private SqlSession _serial = null!;
    private SqlSession _parallel = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();

        // Group a: a NULL Y and a NULL X row; b: extreme int2/int8 values; c: one row; d: only NULLs.
        await _db.RunAsync("CREATE TABLE s (id bigint PRIMARY KEY, g text, y float8, x float8, i int, b bigint, h smallint)");
        await _db.RunAsync(
            "INSERT INTO s VALUES (1, 'a', 1.0, 2.0, 12, -1, 7), (2, 'a', 2.5, 3.1, 10, 6, 3), (3, 'a', NULL, 4, NULL, NULL, NULL), "
            + "(4, 'a', 4.2, NULL, 7, 5, 5), (5, 'b', 3.3, 7.7, -8, 9223372036854775807, -32768), (6, 'b', 8.1, 5.5, 3, 3, 1), "
            + "(7, 'b', 0.7, 1.2, 255, 12, 6), (8, 'c', 5, 5, 1, 1, 1), (9, 'd', NULL, NULL, NULL, NULL, NULL)");

        await _db.RunAsync("CREATE TABLE p (id bigint PRIMARY KEY, g text, y float8, x float8, i int, b bigint)");
        const string Values = "SELECT n, 'c' || (n % 5), CASE WHEN n % 13 = 0 THEN NULL ELSE (n % 101) * 0.25 END, "
            + "CASE WHEN n % 17 = 0 THEN NULL ELSE (n % 37) * 0.5 + (n % 7) END, CASE WHEN n % 11 = 0 THEN NULL ELSE (n % 1000) + 4096 END, "
            + "n * 2654435761 FROM generate_series";
        await _db.RunAsync($"INSERT INTO p {Values}(1, 12000) n");
        await _db.Database.FlushAsync();
        await _db.RunAsync($"INSERT INTO p {Values}(12001, {Rows}) n");
        await _db.Database.FlushAsync();

        _serial = new SqlSession(_db.Database) { ParallelWorkers = 1 };
        _parallel = new SqlSession(_db.Database) { ParallelWorkers = 3, ParallelMinRows = 1 };
    }

    public async Task DisposeAsync()
    {
        await _serial.DisposeAsync();
        await _parallel.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static async Task<string[]> LinesAsync(SqlSession session, string sql)
    {
        var (rows, _) = await SqlTestDatabase.RunAsync(session, sql);
        return [.. rows.Select(r => string.Join('|', r.Select(v => v ?? "NULL")))];
    }

    /// <summary>The result column types of a query, as PostgreSQL's pg_typeof names them.</summary>
    private async Task<string[]> TypesAsync(string sql)
    {
        await using var result = await _db.Session.ExecuteAsync(_db.Session.Prepare(sql), []);
        return [.. result.Columns.Select(c => c.Type.DisplayName)];
    }

    private async Task<SqlException> ErrorAsync(string sql) => await _db.ErrorAsync(sql);

    private async Task<string[]> ParallelLinesAsync(string sql)
    {
        var plan = string.Join('\n', await LinesAsync(_parallel, "EXPLAIN ANALYZE " + sql));
        Assert.Contains("Workers Launched: 2", plan);
        return await LinesAsync(_parallel, sql);
    }

    [Fact]
    public async Task Statistics_aggregates_without_group_by_count_only_rows_where_both_arguments_are_present()
    {
        Assert.Equal(
            ["0.6353567806333419|3.572222222222221|4.286666666666665|4.083333333333333|3.433333333333333|6"],
            await _db.LinesAsync("SELECT corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_avgx(y, x), regr_avgy(y, x), regr_count(y, x) FROM s"));
        Assert.Equal(
            ["0.4714253482993976|0.40367823869676445|0.7253652208246373|29.548333333333336|21.433333333333326|38.513333333333335"],
            await _db.LinesAsync("SELECT regr_intercept(y, x), regr_r2(y, x), regr_slope(y, x), regr_sxx(y, x), regr_sxy(y, x), regr_syy(y, x) FROM s"));
    }

    [Fact]
    public async Task Statistics_aggregates_per_group_are_null_for_too_few_rows_and_zero_count_for_none()
    {
        Assert.Equal(
            [
                "a|1|0.4125000000000002|0.8250000000000004|2.55|1.75|2",
                "b|0.5124366374231805|4.2399999999999975|6.359999999999997|4.8|4.033333333333332|3",
                "c|NULL|0|NULL|5|5|1",
                "d|NULL|NULL|NULL|NULL|NULL|0",
            ],
            await _db.LinesAsync("SELECT g, corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_avgx(y, x), regr_avgy(y, x), regr_count(y, x) FROM s GROUP BY g ORDER BY g"));
        Assert.Equal(
            [
                "a|-1.7272727272727253|1.0000000000000002|1.363636363636363|0.6050000000000005|0.8250000000000004|1.125",
                "b|1.2402866727660868|0.2625913073735761|0.5818847209515096|21.859999999999992|12.719999999999994|28.186666666666664",
                "c|NULL|NULL|NULL|0|0|0",
                "d|NULL|NULL|NULL|NULL|NULL|NULL",
            ],
            await _db.LinesAsync("SELECT g, regr_intercept(y, x), regr_r2(y, x), regr_slope(y, x), regr_sxx(y, x), regr_sxy(y, x), regr_syy(y, x) FROM s GROUP BY g ORDER BY g"));
    }

    [Fact]
    public async Task Statistics_aggregates_over_empty_input_are_null_except_regr_count()
    {
        Assert.Equal(
            ["NULL|0|NULL|NULL|NULL|NULL|NULL"],
            await _db.LinesAsync("SELECT corr(y, x), regr_count(y, x), regr_sxx(y, x), bit_and(i), bit_or(b), bit_xor(h), covar_samp(y, x) FROM s WHERE id < 0"));
        Assert.Empty(await _db.LinesAsync("SELECT g, corr(y, x), bit_and(i) FROM s WHERE id < 0 GROUP BY g"));
    }

    [Fact]
    public async Task Vertical_and_horizontal_lines_give_null_correlation_and_an_exact_r2_for_constant_y()
    {
        Assert.Equal(["1|0|3|0|NULL|NULL|NULL"], await _db.LinesAsync(
            "SELECT regr_count(y, x), regr_sxx(y, x), regr_avgy(y, x), covar_pop(y, x), covar_samp(y, x), corr(y, x), regr_slope(y, x) FROM (VALUES (3.0::float8, 2.0::float8)) t(y, x)"));
        Assert.Equal(["NULL|1|0|3"], await _db.LinesAsync(
            "SELECT corr(y, x), regr_r2(y, x), regr_slope(y, x), regr_intercept(y, x) FROM (VALUES (3::float8, 2::float8), (3, 5)) t(y, x)"));
        Assert.Equal(["NULL|NULL|NULL|NULL|2"], await _db.LinesAsync(
            "SELECT corr(y, x), regr_r2(y, x), regr_slope(y, x), regr_intercept(y, x), regr_syy(y, x) FROM (VALUES (3::float8, 2::float8), (5, 2)) t(y, x)"));
    }

    [Fact]
    public async Task Statistics_aggregates_take_integer_numeric_and_untyped_arguments_as_float8()
    {
        Assert.Equal(
            ["-0.2227137561610151|29.03799453793918|0|1.5|7"],
            await _db.LinesAsync("SELECT corr(i, b), regr_slope(h, i), covar_pop(i, 2), regr_avgx(y, 1.5), regr_count(1, x) FROM s"));
        Assert.Equal(["0"], await _db.LinesAsync("SELECT covar_pop(1.5, x) FROM (VALUES (1), (2)) t(x)"));
        Assert.Equal(["double precision", "bigint"], await TypesAsync("SELECT corr(i, b), regr_count(y, x) FROM s"));
    }

    [Fact]
    public async Task Non_finite_inputs_make_the_deviation_sums_nan_and_finite_overflow_is_an_error()
    {
        Assert.Equal(["NaN|NaN|NaN|0.5|NaN"], await _db.LinesAsync(
            "SELECT corr(y, x), regr_avgx(y, x), regr_sxx(y, x), regr_syy(y, x), regr_r2(y, x) FROM (VALUES (1::float8, 'NaN'::float8), (2, 3)) t(y, x)"));
        Assert.Equal(["-Infinity|NaN|2|NaN"], await _db.LinesAsync(
            "SELECT regr_avgx(y, x), regr_sxx(y, x), regr_syy(y, x), covar_pop(y, x) FROM (VALUES (1::float8, 2::float8), (2, '-Infinity'), (3, 4)) t(y, x)"));

        // Sxx * Syy overflows in the final step: PostgreSQL 15 divides by its infinite root.
        Assert.Equal(["0|NaN"], await _db.LinesAsync(
            "SELECT corr(y, x), regr_r2(y, x) FROM (VALUES ('1e100'::float8, '1e100'::float8), ('2e100', '3e100'), ('5e100', '4e100')) t(y, x)"));
        var error = await ErrorAsync("SELECT regr_sxx(y, x) FROM (VALUES ('1e200'::float8, '1e200'::float8), ('-1e200', '-1e200')) t(y, x)");
        Assert.Equal(SqlState.NumericValueOutOfRange, error.SqlState);
        Assert.Equal("value out of range: overflow", error.Message);
    }

    [Fact]
    public async Task Bit_aggregates_fold_non_null_values_in_the_input_type()
    {
        Assert.Equal(
            ["0|-1|-252|0|-1|-9223372036854775795|0|-32761|-32761"],
            await _db.LinesAsync("SELECT bit_and(i), bit_or(i), bit_xor(i), bit_and(b), bit_or(b), bit_xor(b), bit_and(h), bit_or(h), bit_xor(h) FROM s"));
        Assert.Equal(
            [
                "a|0|15|1|4|-1|-4|1|7|1",
                "b|0|-1|-252|0|9223372036854775807|9223372036854775792|0|-32761|-32761",
                "c|1|1|1|1|1|1|1|1|1",
                "d|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL",
            ],
            await _db.LinesAsync("SELECT g, bit_and(i), bit_or(i), bit_xor(i), bit_and(b), bit_or(b), bit_xor(b), bit_and(h), bit_or(h), bit_xor(h) FROM s GROUP BY g ORDER BY g"));
        Assert.Equal(["integer", "bigint", "smallint"], await TypesAsync("SELECT bit_and(i), bit_or(b), bit_xor(h) FROM s"));
        Assert.Equal(["0|15|1"], await _db.LinesAsync("SELECT bit_and(x), bit_or(x), bit_xor(x) FROM (VALUES (12), (10), (7)) t(x)"));
    }

    [Fact]
    public async Task Filter_and_distinct_apply_to_the_new_aggregates()
    {
        Assert.Equal(
            ["0.9532746060115205|-1|2"],
            await _db.LinesAsync("SELECT corr(y, x) FILTER (WHERE id <> 5), bit_or(i) FILTER (WHERE g = 'b'), regr_count(y, x) FILTER (WHERE g = 'a') FROM s"));
        Assert.Equal(
            ["a|1.363636363636363|1", "b|-2.181818181818183|255", "c|NULL|NULL", "d|NULL|NULL"],
            await _db.LinesAsync("SELECT g, regr_slope(y, x) FILTER (WHERE id <> 7), bit_xor(i) FILTER (WHERE i > 5) FROM s GROUP BY g ORDER BY g"));

        // DISTINCT takes each (Y, X) pair once, in sorted order as PostgreSQL feeds it (the last digit shows it).
        Assert.Equal(
            ["6|29.548333333333332|-252|0"],
            await _db.LinesAsync("SELECT regr_count(DISTINCT y, x), regr_sxx(DISTINCT y, x), bit_xor(DISTINCT i), bit_xor(i) FROM (SELECT y, x, i FROM s UNION ALL SELECT y, x, i FROM s WHERE g = 'b') t"));
    }

    [Fact]
    public async Task The_new_aggregates_run_as_window_functions_over_their_frames()
    {
        Assert.Equal(
            [
                "1|12|2|1.363636363636363",
                "2|14|2|1.363636363636363",
                "3|14|2|NULL",
                "4|15|2|NULL",
                "5|-1|3|-2.181818181818183",
                "6|-1|3|0.5818847209515096",
                "7|-1|3|1.498191681735985",
                "8|-1|1|1.131578947368421",
                "9|-1|0|NULL",
            ],
            await _db.LinesAsync("SELECT id, bit_or(i) OVER (ORDER BY id), regr_count(y, x) OVER (PARTITION BY g), "
                + "regr_slope(y, x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM s ORDER BY id"));
    }

    [Fact]
    public async Task Mode_returns_the_most_frequent_value_and_the_first_in_sort_order_on_ties()
    {
        Assert.Equal(
            ["-8|a|a|0.7"],
            await _db.LinesAsync("SELECT mode() WITHIN GROUP (ORDER BY i), mode() WITHIN GROUP (ORDER BY g), mode() WITHIN GROUP (ORDER BY g DESC), mode() WITHIN GROUP (ORDER BY y) FROM s"));
        Assert.Equal(["3", "1"], await _db.LinesAsync(
            "SELECT mode() WITHIN GROUP (ORDER BY x DESC) FROM (VALUES (3), (1), (3), (1), (2)) t(x) UNION ALL SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (3), (1), (3), (1), (2)) t(x)"));
        Assert.Equal(
            ["a|0|4", "b|1|7.7", "c|1|5", "d|NULL|NULL"],
            await _db.LinesAsync("SELECT g, mode() WITHIN GROUP (ORDER BY i % 2), mode() WITHIN GROUP (ORDER BY x DESC) FROM s GROUP BY g ORDER BY g"));
    }

    [Fact]
    public async Task Mode_skips_nulls_takes_filter_and_having_and_keeps_the_input_type()
    {
        Assert.Equal(["b"], await _db.LinesAsync("SELECT mode() WITHIN GROUP (ORDER BY g) FILTER (WHERE id > 4) FROM s"));
        Assert.Equal(["NULL"], await _db.LinesAsync("SELECT mode() WITHIN GROUP (ORDER BY i) FROM s WHERE id < 0"));
        Assert.Equal(["2"], await _db.LinesAsync("SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (NULL::int), (NULL), (2)) t(x)"));
        const string Typed = "SELECT mode() WITHIN GROUP (ORDER BY b), mode() WITHIN GROUP (ORDER BY x) FROM (VALUES ('b', 1::bigint), ('a', 2), ('b', 2)) t(x, b)";
        Assert.Equal(["2|b"], await _db.LinesAsync(Typed));
        Assert.Equal(["bigint", "text"], await TypesAsync(Typed));
        Assert.Equal(["a"], await _db.LinesAsync("SELECT g FROM s GROUP BY g HAVING mode() WITHIN GROUP (ORDER BY i) > 1 ORDER BY g"));
    }

    [Theory]
    [InlineData("SELECT bit_and(x) FROM (VALUES (1.5)) t(x)", SqlState.UndefinedFunction, "function bit_and(numeric) does not exist")]
    [InlineData("SELECT bit_or(x) FROM (VALUES (true)) t(x)", SqlState.UndefinedFunction, "function bit_or(boolean) does not exist")]
    [InlineData("SELECT bit_xor(5.0::float8)", SqlState.UndefinedFunction, "function bit_xor(double precision) does not exist")]
    [InlineData("SELECT bit_or(x, 1) FROM (VALUES (1)) t(x)", SqlState.UndefinedFunction, "function bit_or(integer, integer) does not exist")]
    [InlineData("SELECT bit_and('5')", SqlState.AmbiguousFunction, "function bit_and(unknown) is not unique")]
    [InlineData("SELECT bit_and(NULL)", SqlState.AmbiguousFunction, "function bit_and(unknown) is not unique")]
    [InlineData("SELECT corr(y, x) FROM (VALUES ('1', '2')) t(y, x)", SqlState.UndefinedFunction, "function corr(text, text) does not exist")]
    [InlineData("SELECT corr(y) FROM (VALUES (1)) t(y)", SqlState.UndefinedFunction, "function corr(integer) does not exist")]
    [InlineData("SELECT corr(true, 1)", SqlState.UndefinedFunction, "function corr(boolean, integer) does not exist")]
    [InlineData("SELECT regr_count(x, 'a'::text) FROM (VALUES (1)) t(x)", SqlState.UndefinedFunction, "function regr_count(integer, text) does not exist")]
    [InlineData("SELECT corr('a', 1)", SqlState.InvalidTextRepresentation, "invalid input syntax for type double precision: \"a\"")]
    [InlineData("SELECT mode() FROM (VALUES (1)) t(x)", SqlState.UndefinedFunction, "function mode() does not exist")]
    [InlineData("SELECT mode(x) FROM (VALUES (1)) t(x)", SqlState.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate mode")]
    [InlineData("SELECT mode(x) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x)", SqlState.UndefinedFunction, "function mode(integer, integer) does not exist")]
    [InlineData("SELECT mode() WITHIN GROUP (ORDER BY x, x) FROM (VALUES (1)) t(x)", SqlState.UndefinedFunction, "function mode(integer, integer) does not exist")]
    [InlineData("SELECT mode() WITHIN GROUP (ORDER BY 'x')", SqlState.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")]
    [InlineData("SELECT mode() WITHIN GROUP (ORDER BY x) OVER () FROM (VALUES (1)) t(x)", SqlState.FeatureNotSupported, "OVER is not supported for ordered-set aggregate mode")]
    public async Task Bad_arguments_raise_the_postgres_error(string sql, string sqlState, string message)
    {
        var error = await ErrorAsync(sql);
        Assert.Equal((sqlState, message), (error.SqlState, error.Message));
    }

    [Fact]
    public async Task Bit_aggregates_merge_exactly_across_parallel_workers()
    {
        const string Grouped = "SELECT g, bit_and(i), bit_or(i), bit_xor(i), bit_and(b), bit_or(b), bit_xor(b), count(*) FROM p GROUP BY g ORDER BY g";
        string[] expected =
        [
            "c0|4096|5119|5108|0|70368744177663|23782610197472|4000",
            "c1|4096|5119|80|0|70368744177663|43653511361504|4000",
            "c2|4096|5119|316|0|70368744177663|47999650590208|4000",
            "c3|4096|5119|464|0|70368744177663|45402334825440|4000",
            "c4|4096|5119|4165|0|70368744177663|49787398969024|4000",
        ];
        Assert.Equal(expected, await ParallelLinesAsync(Grouped));
        Assert.Equal(expected, await LinesAsync(_serial, Grouped));
        Assert.Equal(["4096|5119|781|32669638220576"], await ParallelLinesAsync("SELECT bit_and(i), bit_or(i), bit_xor(i), bit_xor(b) FROM p"));
    }

    [Fact]
    public async Task Statistics_states_merge_across_parallel_workers()
    {
        // Counts and means of quarter multiples are exact in any order of rows.
        Assert.Equal(
            [
                "c0|3476|12.00258918296893|12.500719217491369",
                "c1|3475|11.997985611510792|12.496043165467626",
                "c2|3475|11.99410071942446|12.503021582733814",
                "c3|3475|12.002014388489208|12.496546762589928",
                "c4|3475|12.001007194244604|12.509712230215827",
            ],
            await ParallelLinesAsync("SELECT g, regr_count(y, x), regr_avgx(y, x), regr_avgy(y, x) FROM p GROUP BY g ORDER BY g"));

        // The deviation sums of merged partial states differ from one thread's only in the last bits.
        Assert.Equal(
            [
                "c0|-0.009830871|-0.012553491|12.651393618|-0.409462|113345.477",
                "c1|-0.009100072|-0.011655777|12.635889005|-0.377815|112607.486",
                "c2|0.004703761|0.006014299|12.430885475|0.195434|112887.129",
                "c3|0.007136157|0.009114861|12.387150066|0.296927|113169.486",
                "c4|0.004241283|0.005423207|12.444628290|0.176264|112911.246",
            ],
            await ParallelLinesAsync("SELECT g, round(corr(y, x)::numeric, 9), round(regr_slope(y, x)::numeric, 9), round(regr_intercept(y, x)::numeric, 9), "
                + "round(covar_samp(y, x)::numeric, 6), round(regr_sxx(y, x)::numeric, 3) FROM p GROUP BY g ORDER BY g"));
    }

    [Fact]
    public async Task Statistics_over_many_rows_on_one_thread_match_postgres_digit_for_digit_on_the_typed_and_general_paths()
    {
        string[] whole =
        [
            "-0.0005713042824023346|-0.023746278285664477|-0.02374764497793991|12.509972964292752|3.2638858309124646e-07|-0.0007303947528626569|564920.9963167602|-412.61533149170594|923353.5996201652",
        ];
        const string Whole = "corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_intercept(y, x), regr_r2(y, x), regr_slope(y, x), regr_sxx(y, x), regr_sxy(y, x), regr_syy(y, x)";
        Assert.Equal(whole, await LinesAsync(_serial, $"SELECT {Whole} FROM p"));

        // FILTER (WHERE true) sends every aggregate through the general accumulator instead of the typed per-group states.
        Assert.Equal(whole, await LinesAsync(_serial, $"SELECT {Whole.Replace("),", ") FILTER (WHERE true),", StringComparison.Ordinal)} FILTER (WHERE true) FROM p"));

        string[] grouped =
        [
            "c0|-0.009830871063958793|-0.012553491453008714|113345.47669735344|184820.12320195654",
            "c1|-0.00910007155747268|-0.01165577658856255|112607.4858992806|184739.63309352472",
            "c2|0.004703760903604354|0.006014298955699628|112887.12906474818|184554.21827338164",
            "c3|0.0071361568503692015|0.00911486134681138|113169.48589928065|184629.3335611512",
            "c4|0.004241283443420863|0.005423206512300799|112911.24647482016|184609.85971222975",
        ];
        Assert.Equal(grouped, await LinesAsync(_serial, "SELECT g, corr(y, x), regr_slope(y, x), regr_sxx(y, x), regr_syy(y, x) FROM p GROUP BY g ORDER BY g"));
        Assert.Equal(grouped, await LinesAsync(_serial, "SELECT g, corr(y, x) FILTER (WHERE true), regr_slope(y, x) FILTER (WHERE true), regr_sxx(y, x) FILTER (WHERE true), regr_syy(y, x) FILTER (WHERE true) FROM p GROUP BY g ORDER BY g"));
    }
}
