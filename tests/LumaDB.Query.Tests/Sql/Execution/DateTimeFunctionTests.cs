using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>Date/time, time zone and session information functions; every expected value was taken from PostgreSQL 15.</summary>
public class DateTimeFunctionTests
{
    [Theory]
    [InlineData("SELECT age(timestamp '2001-04-10', timestamp '1957-06-13')", "43 years 9 mons 27 days")]
    [InlineData("SELECT age(timestamp '1957-06-13', timestamp '2001-04-10')", "-43 years -9 mons -27 days")]
    [InlineData("SELECT age(timestamp '2024-03-31', timestamp '2024-02-29')", "1 mon 2 days")]
    [InlineData("SELECT age(timestamp '2024-03-01', timestamp '2024-01-31')", "1 mon 1 day")]
    [InlineData("SELECT age(timestamp '2024-01-31', timestamp '2024-03-01')", "-1 mons -1 days")]
    [InlineData("SELECT age(timestamp '2024-03-01 10:00', timestamp '2024-01-31 12:00:00.5')", "1 mon 21:59:59.5")]
    [InlineData("SELECT age(timestamp '2023-12-31 23:59:59', timestamp '2024-01-01')", "-00:00:01")]
    [InlineData("SELECT age(timestamp '2024-02-29', timestamp '2023-03-01')", "11 mons 28 days")]
    [InlineData("SELECT age(timestamptz '2024-02-29 12:00+00', timestamptz '2023-02-28 13:00+00')", "1 year 23:00:00")]
    [InlineData("SELECT age(timestamp '0001-01-01 BC', timestamp '0001-01-01')", "-1 years")]
    [InlineData("SELECT age(date '2024-01-01', date '2023-01-01')", "1 year")]
    [InlineData("SELECT age('2024-01-01', '2023-01-01')", "1 year")]
    [InlineData("SELECT age(timestamp 'infinity', timestamp '2024-01-01')", "292253 years 8 days 04:00:54.775807")]
    [InlineData("SELECT age(timestamp 'infinity', timestamp 'infinity')", "00:00:00")]
    [InlineData("SELECT age(NULL::timestamp, timestamp '2024-01-01')", null)]
    public void Age_counts_years_months_and_days_borrowing_from_the_earlier_month(string sql, string? expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Fact]
    public void Age_of_one_timestamp_counts_from_midnight_today()
    {
        // The fixed clock's today is 2024-03-15.
        Assert.Equal("4 years 2 mons 14 days", SqlRun.Scalar("SELECT age(date '2020-01-01')"));
        Assert.Equal("1 mon 14 days 12:00:00", SqlRun.Scalar("SELECT age(timestamp '2024-01-31 12:00')"));
    }

    [Theory]
    [InlineData("SELECT make_date(2024, 2, 29)", "2024-02-29")]
    [InlineData("SELECT make_date(-44, 3, 15)", "0044-03-15 BC")]
    [InlineData("SELECT make_date(-4714, 11, 24)", "4714-11-24 BC")]
    [InlineData("SELECT make_time(8, 15, 23.5)", "08:15:23.5")]
    [InlineData("SELECT make_time(24, 0, 0)", "24:00:00")]
    [InlineData("SELECT make_time(1, 0, 60)", "01:01:00")]
    [InlineData("SELECT make_time(1, 0, 59.9999999)", "01:01:00")]
    [InlineData("SELECT make_time(1, 1, 1::int)", "01:01:01")]
    [InlineData("SELECT make_timestamp(2013, 7, 15, 8, 15, 23.5)", "2013-07-15 08:15:23.5")]
    [InlineData("SELECT make_timestamp(-44, 3, 15, 12, 0, 0)", "0044-03-15 12:00:00 BC")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5)", "2013-07-15 08:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'America/New_York')", "2013-07-15 12:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'europe/berlin')", "2013-07-15 06:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'EST')", "2013-07-15 13:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'UTC+2')", "2013-07-15 10:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, '+2')", "2013-07-15 06:15:23.5+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, '-05:30')", "2013-07-15 13:45:23.5+00")]
    [InlineData("SELECT make_timestamptz(2024, 1, 1, 0, 0, 0, '+0230')", "2023-12-31 21:30:00+00")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, '+02:00:30')", "2013-07-15 06:14:53.5+00")]
    [InlineData("SELECT make_timestamptz(2024, 3, 10, 2, 30, 0, 'America/New_York')", "2024-03-10 07:30:00+00")]
    [InlineData("SELECT make_date(NULL, 1, 1)", null)]
    [InlineData("SELECT make_timestamptz(2024, 1, 1, 0, 0, 0, NULL)", null)]
    public void Make_functions_build_values_from_fields(string sql, string? expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT make_date(2023, 2, 29)", "22008", "date field value out of range: 2023-02-29")]
    [InlineData("SELECT make_date(0, 1, 1)", "22008", "date field value out of range: 0-01-01")]
    [InlineData("SELECT make_date(2024, 13, 1)", "22008", "date field value out of range: 2024-13-01")]
    [InlineData("SELECT make_date(5874898, 1, 1)", "22008", "date out of range: 5874898-01-01")]
    [InlineData("SELECT make_date(-4714, 11, 23)", "22008", "date out of range: -4713-11-23")]
    [InlineData("SELECT make_date(2024::int8, 1, 1)", "42883", "function make_date(bigint, integer, integer) does not exist")]
    [InlineData("SELECT make_time(24, 0, 0.1)", "22008", "time field value out of range: 24:00:0.1")]
    [InlineData("SELECT make_time(-1, 0, 0)", "22008", "time field value out of range: -1:00:00")]
    [InlineData("SELECT make_time(1, 60, 0)", "22008", "time field value out of range: 1:60:00")]
    [InlineData("SELECT make_time(0, 0, -0.1)", "22008", "time field value out of range: 0:00:-0.1")]
    [InlineData("SELECT make_time(1.5, 0, 0)", "42883", "function make_time(numeric, integer, integer) does not exist")]
    [InlineData("SELECT make_timestamp(2013, 2, 30, 8, 15, 0)", "22008", "date field value out of range: 2013-02-30")]
    [InlineData("SELECT make_timestamp(2013, 7, 15, 8, 15, 'NaN')", "22008", "time field value out of range: 8:15:NaN")]
    [InlineData("SELECT make_timestamp(2024, 1, 1, 0, 0, 'infinity')", "22008", "time field value out of range: 0:00:Infinity")]
    [InlineData("SELECT make_timestamp(2024, 1, 1, 0, 0, 61.12345678)", "22008", "time field value out of range: 0:00:61.1235")]
    [InlineData("SELECT make_timestamp(294277, 1, 1, 0, 0, 0)", "22008", "timestamp out of range: 294277-01-01 0:00:00")]
    [InlineData("SELECT make_timestamp(-4714, 11, 23, 0, 0, 0)", "22008", "timestamp out of range: -4714-11-23 0:00:00")]
    [InlineData("SELECT make_timestamptz(2024, 1, 1, 0, 0, 0, 'Nowhere')", "22023", "time zone \"Nowhere\" not recognized")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, '+16')", "22023", "numeric time zone \"+16\" out of range")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, '2')", "22023", "invalid input syntax for type numeric time zone: \"2\"")]
    [InlineData("SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, interval '2h')", "42883", "function make_timestamptz(integer, integer, integer, integer, integer, numeric, interval) does not exist")]
    [InlineData("SELECT age(timestamp '2024-01-01', timestamp '-infinity')", "22008", "timestamp out of range")]
    [InlineData("SELECT age('2020-01-01')", "42725", "function age(unknown) is not unique")]
    [InlineData("SELECT isfinite('2024-01-01')", "42725", "function isfinite(unknown) is not unique")]
    [InlineData("SELECT justify_days(interval '2147483647 mons 30 days')", "22008", "interval out of range")]
    [InlineData("SELECT justify_hours(interval '2147483647 days 24 hours')", "22008", "interval out of range")]
    [InlineData("SELECT justify_interval(interval '2147483647 mons 30 days')", "22008", "interval out of range")]
    [InlineData("SELECT num_nulls()", "42883", "function num_nulls() does not exist")]
    public void Bad_arguments_raise_postgres_errors(string sql, string sqlState, string message)
    {
        var error = SqlRun.Error(sql);
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("SELECT justify_days(interval '35 days')", "1 mon 5 days")]
    [InlineData("SELECT justify_days(interval '-35 days')", "-1 mons -5 days")]
    [InlineData("SELECT justify_days(interval '1 mon -35 days')", "-5 days")]
    [InlineData("SELECT justify_days(interval '-1 mon 35 days 30 hours')", "5 days 30:00:00")]
    [InlineData("SELECT justify_hours(interval '27 hours')", "1 day 03:00:00")]
    [InlineData("SELECT justify_hours(interval '-27 hours')", "-1 days -03:00:00")]
    [InlineData("SELECT justify_hours(interval '1 day -27 hours')", "-03:00:00")]
    [InlineData("SELECT justify_hours(interval '-1 day 27 hours')", "03:00:00")]
    [InlineData("SELECT justify_hours(interval '40 days 50 hours')", "42 days 02:00:00")]
    [InlineData("SELECT justify_interval(interval '1 mon -1 hour')", "29 days 23:00:00")]
    [InlineData("SELECT justify_interval(interval '-1 mon 1 hour')", "-29 days -23:00:00")]
    [InlineData("SELECT justify_interval(interval '1 mon 35 days 30 hours')", "2 mons 6 days 06:00:00")]
    [InlineData("SELECT justify_interval(interval '-1 mon -35 days -30 hours')", "-2 mons -6 days -06:00:00")]
    [InlineData("SELECT justify_interval(interval '2147483647 days 24 hrs')", "5965232 years 4 mons 8 days")]
    [InlineData("SELECT justify_days(NULL)", null)]
    public void Justify_functions_carry_days_and_hours_with_one_sign(string sql, string? expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT isfinite(date 'infinity')", "f")]
    [InlineData("SELECT isfinite(date '2024-01-01')", "t")]
    [InlineData("SELECT isfinite(timestamp '-infinity')", "f")]
    [InlineData("SELECT isfinite(timestamptz 'infinity')", "f")]
    [InlineData("SELECT isfinite(now())", "t")]
    [InlineData("SELECT isfinite(interval '1 day')", "t")]
    [InlineData("SELECT isfinite(NULL::date)", null)]
    public void Isfinite_is_false_only_for_infinities(string sql, string? expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT timestamp '2024-01-01 12:00' AT TIME ZONE '+02'", "2024-01-01 14:00:00+00")]
    [InlineData("SELECT timestamp '2024-01-01 12:00' AT TIME ZONE '-05:30'", "2024-01-01 06:30:00+00")]
    [InlineData("SELECT timestamp '2024-01-01 12:00' AT TIME ZONE 'UTC+3'", "2024-01-01 15:00:00+00")]
    [InlineData("SELECT timestamptz '2024-01-01 12:00+00' AT TIME ZONE '+02'", "2024-01-01 10:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '2'", "2024-07-01 10:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '+24:59'", "2024-06-30 11:01:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '+167'", "2024-06-24 13:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'UTC+3:30:15'", "2024-07-01 08:29:45")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'ABC+2'", "2024-07-01 10:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '<+03>-3'", "2024-07-01 15:00:00")]
    [InlineData("SELECT timestamptz '2024-01-01 12:00+00' AT TIME ZONE 'America/New_York'", "2024-01-01 07:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'america/new_york'", "2024-07-01 08:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'EUROPE/BERLIN'", "2024-07-01 14:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'Asia/Kolkata'", "2024-07-01 17:30:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'America/St_Johns'", "2024-07-01 09:30:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'etc/gmt+2'", "2024-07-01 10:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'est5edt'", "2024-07-01 08:00:00")]
    [InlineData("SELECT timestamptz '1900-07-01 12:00+00' AT TIME ZONE 'Europe/Berlin'", "1900-07-01 13:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'EST'", "2024-07-01 07:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'pdt'", "2024-07-01 05:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'CET'", "2024-07-01 13:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'JST'", "2024-07-01 21:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'ist'", "2024-07-01 14:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'Z'", "2024-07-01 12:00:00")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE interval '02:00'", "2024-07-01 14:00:00")]
    [InlineData("SELECT timestamp '2024-07-01 12:00' AT TIME ZONE interval '02:00'", "2024-07-01 10:00:00+00")]
    [InlineData("SELECT timestamp 'infinity' AT TIME ZONE 'UTC'", "infinity")]
    [InlineData("SELECT timestamptz '-infinity' AT TIME ZONE 'Europe/Berlin'", "-infinity")]
    [InlineData("SELECT date '2024-01-01' AT TIME ZONE 'UTC'", "2024-01-01 00:00:00")]
    [InlineData("SELECT timezone('UTC', '2024-01-01')", "2024-01-01 00:00:00")]
    [InlineData("SELECT timezone('America/New_York', timestamptz '2024-03-10 07:30+00')", "2024-03-10 03:30:00")]
    [InlineData("SELECT timezone(NULL, timestamp '2024-01-01')", null)]
    [InlineData("SELECT timezone('UTC', NULL::timestamp)", null)]
    public void At_time_zone_converts_between_utc_and_local_time(string sql, string? expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Theory]
    [InlineData("SELECT timezone('Europe/Berlin', timestamp '2024-03-31 02:30')", "2024-03-31 01:30:00+00")]
    [InlineData("SELECT timezone('Europe/Berlin', timestamp '2024-10-27 02:30')", "2024-10-27 01:30:00+00")]
    [InlineData("SELECT timezone('America/New_York', timestamp '2024-03-10 02:30')", "2024-03-10 07:30:00+00")]
    [InlineData("SELECT timezone('America/New_York', timestamp '2024-11-03 01:30')", "2024-11-03 06:30:00+00")]
    [InlineData("SELECT timezone('Australia/Sydney', timestamp '2024-04-07 02:30')", "2024-04-06 16:30:00+00")]
    [InlineData("SELECT timezone('Australia/Sydney', timestamp '2024-10-06 02:30')", "2024-10-05 16:30:00+00")]
    public void Local_times_in_dst_gaps_take_the_earlier_offset_and_repeated_times_the_later(string sql, string expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Fact]
    public void At_time_zone_flips_between_timestamp_and_timestamptz()
    {
        var result = SqlRun.Query("SELECT timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'");
        Assert.Equal([SqlType.TimestampTz, SqlType.Timestamp], result.ColumnTypes);
    }

    [Theory]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'Foo/Bar'", "22023", "time zone \"Foo/Bar\" not recognized")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'abc'", "22023", "time zone \"abc\" not recognized")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE ' UTC'", "22023", "time zone \" UTC\" not recognized")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '+0230'", "22023", "time zone \"+0230\" not recognized")]
    [InlineData("SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE ''", "22023", "time zone \"\" not recognized")]
    [InlineData("SELECT timestamp '2024-07-01 12:00' AT TIME ZONE interval '1 day'", "22023", "interval time zone \"1 day\" must not include months or days")]
    [InlineData("SELECT 'abc' AT TIME ZONE 'UTC'", "22007", "invalid input syntax for type timestamp with time zone: \"abc\"")]
    [InlineData("SELECT timezone(1, timestamp '2024-01-01')", "42883", "function timezone(integer, timestamp without time zone) does not exist")]
    public void Unknown_time_zones_raise_postgres_errors(string sql, string sqlState, string message)
    {
        var error = SqlRun.Error(sql);
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("SELECT timestamp '2024-01-01' + time '10:00'", "2024-01-01 10:00:00")]
    [InlineData("SELECT timestamp '2024-01-01' - time '10:00'", "2023-12-31 14:00:00")]
    [InlineData("SELECT timestamptz '2024-01-01 00:00+00' + time '10:00'", "2024-01-01 10:00:00+00")]
    [InlineData("SELECT time '10:00' + timestamp '2024-01-01'", "2024-01-01 10:00:00")]
    [InlineData("SELECT date '2024-01-01' - time '10:00'", "2023-12-31 14:00:00")]
    [InlineData("SELECT interval '1 day' - time '10:00'", "1 day -10:00:00")]
    [InlineData("SELECT time '10:00' / 4", "02:30:00")]
    [InlineData("SELECT 2 * time '10:00'", "20:00:00")]
    [InlineData("SELECT time '10:00' * 2.5", "25:00:00")]
    [InlineData("SELECT time '10:00' + date '2024-01-01'", "2024-01-01 10:00:00")]
    [InlineData("SELECT date '2024-01-01' + time '10:00'", "2024-01-01 10:00:00")]
    [InlineData("SELECT time '10:00' - time '12:30'", "-02:30:00")]
    [InlineData("SELECT time '23:00' + interval '2 hours'", "01:00:00")]
    [InlineData("SELECT time '01:00' - interval '2 hours'", "23:00:00")]
    [InlineData("SELECT interval '1 day' + time '10:00'", "10:00:00")]
    [InlineData("SELECT date '2024-01-31' + interval '1 month'", "2024-02-29 00:00:00")]
    [InlineData("SELECT date '2024-03-01' - interval '1 day'", "2024-02-29 00:00:00")]
    public void Time_operands_combine_with_dates_timestamps_and_intervals(string sql, string expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Fact]
    public void Time_plus_time_is_ambiguous()
    {
        var error = SqlRun.Error("SELECT time '10:00' + time '01:00'");
        Assert.Equal("42725", error.SqlState);
        Assert.Equal("operator is not unique: time without time zone + time without time zone", error.Message);
    }

    [Theory]
    [InlineData("SELECT pg_typeof(1)", "integer")]
    [InlineData("SELECT pg_typeof(1.5)", "numeric")]
    [InlineData("SELECT pg_typeof('a')", "unknown")]
    [InlineData("SELECT pg_typeof('a'::text)", "text")]
    [InlineData("SELECT pg_typeof(NULL)", "unknown")]
    [InlineData("SELECT pg_typeof(array['a'])", "text[]")]
    [InlineData("SELECT pg_typeof(array[1])", "integer[]")]
    [InlineData("SELECT pg_typeof(now())", "timestamp with time zone")]
    [InlineData("SELECT pg_typeof('x'::varchar(3))", "character varying")]
    [InlineData("SELECT pg_typeof('x'::char(3))", "character")]
    [InlineData("SELECT pg_typeof('x'::bpchar)", "character")]
    [InlineData("SELECT pg_typeof(1::int2)", "smallint")]
    [InlineData("SELECT pg_typeof(1::float4)", "real")]
    [InlineData("SELECT pg_typeof(1e0::float8)", "double precision")]
    [InlineData("SELECT pg_typeof(time '1:00')", "time without time zone")]
    [InlineData("SELECT pg_typeof('{}'::jsonb)", "jsonb")]
    [InlineData("SELECT pg_typeof(interval '1d')", "interval")]
    [InlineData("SELECT pg_typeof(make_date(1, 1, 1))", "date")]
    [InlineData("SELECT pg_typeof(make_timestamp(1, 1, 1, 1, 1, 1))", "timestamp without time zone")]
    [InlineData("SELECT pg_typeof(age(timestamp '2024-03-01', timestamp '2024-01-31'))", "interval")]
    [InlineData("SELECT pg_typeof(timeofday())", "text")]
    [InlineData("SELECT pg_typeof(clock_timestamp())", "timestamp with time zone")]
    [InlineData("SELECT pg_typeof(num_nulls(1))", "integer")]
    [InlineData("SELECT pg_typeof(pg_backend_pid())", "integer")]
    [InlineData("SELECT pg_typeof(pg_postmaster_start_time())", "timestamp with time zone")]
    [InlineData("SELECT pg_typeof(1)::text", "integer")]
    public void Pg_typeof_names_the_type_as_postgres_prints_it(string sql, string expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Fact]
    public void Pg_typeof_still_evaluates_its_argument()
    {
        var error = SqlRun.Error("SELECT pg_typeof(1 / 0)");
        Assert.Equal("22012", error.SqlState);
    }

    [Theory]
    [InlineData("SELECT num_nulls(1, NULL, 'a', NULL)", "2")]
    [InlineData("SELECT num_nonnulls(1, NULL, 'a', NULL)", "2")]
    [InlineData("SELECT num_nulls(NULL)", "1")]
    [InlineData("SELECT num_nonnulls(NULL::int)", "0")]
    [InlineData("SELECT num_nonnulls(now(), array[1], interval '1 day')", "3")]
    public void Num_nulls_counts_null_arguments(string sql, string expected) =>
        Assert.Equal(expected, SqlRun.Scalar(sql));

    [Fact]
    public void Clock_timestamp_reads_the_clock_while_now_stays_at_the_statement_start()
    {
        // The statement clock is fixed at 2024-03-15; clock_timestamp() reads the real time.
        var result = SqlRun.Query("SELECT clock_timestamp() > now(), clock_timestamp() <= clock_timestamp()");
        Assert.Equal(["t", "t"], result.TextRow(0));
        var before = DateTime.UtcNow;
        var text = SqlRun.Scalar("SELECT clock_timestamp()")!;
        var read = DateTime.Parse(text[..^3], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(read, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void Timeofday_prints_the_clock_as_c_ctime_text()
    {
        var text = SqlRun.Scalar("SELECT timeofday()")!;
        Assert.Matches(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{6} \d{4} UTC$", text);
    }

    [Fact]
    public void Pg_backend_pid_reports_the_session_process_id()
    {
        var settings = new SessionSettings();
        settings.SetStartup(SessionSettings.BackendPidSetting, "4242");
        var context = new EvaluationContext(new FixedClock(SqlRun.Now)) { Settings = settings };
        Assert.Equal("4242", ConstantQueryExecutor.Execute("SELECT pg_backend_pid()", context).TextRow(0)[0]);

        // Outside a network session there is no BackendKeyData; the server process id stands in.
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), SqlRun.Scalar("SELECT pg_backend_pid()"));
    }

    [Fact]
    public void Pg_postmaster_start_time_is_when_the_server_process_started()
    {
        var text = SqlRun.Scalar("SELECT pg_postmaster_start_time()")!;
        var started = DateTime.Parse(text[..^3], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(started, DateTime.UtcNow.AddHours(-12), DateTime.UtcNow);
        Assert.Equal(text, SqlRun.Scalar("SELECT pg_postmaster_start_time()"));
    }
}
