using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Types;

public class SqlTextTests
{
    private static string RoundTrip(string text, string typeName)
    {
        var type = SqlType.FromName(typeName)!;
        return SqlText.Format(SqlText.Parse(text, type), type);
    }

    [Theory]
    [InlineData("bool", "t", "t")]
    [InlineData("bool", "true", "t")]
    [InlineData("bool", "  YES ", "t")]
    [InlineData("bool", "off", "f")]
    [InlineData("bool", "0", "f")]
    [InlineData("int2", "-32768", "-32768")]
    [InlineData("int4", "2147483647", "2147483647")]
    [InlineData("int4", " -2147483648 ", "-2147483648")]
    [InlineData("int4", "1_000", "1000")]
    [InlineData("int8", "-9223372036854775808", "-9223372036854775808")]
    [InlineData("float8", "0.1", "0.1")]
    [InlineData("float8", "1e15", "1e+15")]
    [InlineData("float8", "123456789012345", "123456789012345")]
    [InlineData("float8", "0.0001", "0.0001")]
    [InlineData("float8", "0.00001", "1e-05")]
    [InlineData("float8", "1.7976931348623157e308", "1.7976931348623157e+308")]
    [InlineData("float8", "NaN", "NaN")]
    [InlineData("float8", "infinity", "Infinity")]
    [InlineData("float8", "-inf", "-Infinity")]
    [InlineData("float8", "-0", "-0")]
    [InlineData("float4", "1000000", "1e+06")]
    [InlineData("float4", "123456", "123456")]
    [InlineData("float4", "0.1", "0.1")]
    [InlineData("numeric", "1.50", "1.50")]
    [InlineData("numeric", "-0.000123", "-0.000123")]
    [InlineData("text", "héllo", "héllo")]
    [InlineData("bytea", "\\xDEADbeef", "\\xdeadbeef")]
    [InlineData("bytea", "abc\\\\", "\\x6162635c")]
    [InlineData("bytea", "\\001", "\\x01")]
    [InlineData("date", "2024-02-29", "2024-02-29")]
    [InlineData("date", "0044-03-15 BC", "0044-03-15 BC")]
    [InlineData("date", "0001-01-01 BC", "0001-01-01 BC")]
    [InlineData("date", "1900-01-01", "1900-01-01")]
    [InlineData("date", "infinity", "infinity")]
    [InlineData("date", "-infinity", "-infinity")]
    [InlineData("time", "04:05:06.789", "04:05:06.789")]
    [InlineData("time", "23:59", "23:59:00")]
    [InlineData("time", "24:00:00", "24:00:00")]
    [InlineData("timestamp", "2024-01-15 10:20:30.5", "2024-01-15 10:20:30.5")]
    [InlineData("timestamp", "2024-01-15T10:20:30", "2024-01-15 10:20:30")]
    [InlineData("timestamp", "1969-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999")]
    [InlineData("timestamp", "2024-01-15 10:20:30+05", "2024-01-15 10:20:30")]
    [InlineData("timestamp", "0099-06-01 00:00:00 BC", "0099-06-01 00:00:00 BC")]
    [InlineData("timestamptz", "2024-01-15 10:20:30+02", "2024-01-15 08:20:30+00")]
    [InlineData("timestamptz", "2024-01-15 10:20:30.25Z", "2024-01-15 10:20:30.25+00")]
    [InlineData("timestamptz", "2024-01-15 10:20:30-05:30", "2024-01-15 15:50:30+00")]
    [InlineData("timestamptz", "infinity", "infinity")]
    [InlineData("interval", "1 year 2 mons 3 days 04:05:06.789", "1 year 2 mons 3 days 04:05:06.789")]
    [InlineData("interval", "1 day", "1 day")]
    [InlineData("interval", "2 weeks", "14 days")]
    [InlineData("interval", "-1 day", "-1 days")]
    [InlineData("interval", "-1 days +01:00:00", "-1 days +01:00:00")]
    [InlineData("interval", "1.5 days", "1 day 12:00:00")]
    [InlineData("interval", "0", "00:00:00")]
    [InlineData("interval", "90 minutes", "01:30:00")]
    [InlineData("interval", "-04:05:06", "-04:05:06")]
    [InlineData("interval", "@ 1 hour ago", "-01:00:00")]
    [InlineData("interval", "1 mon", "1 mon")]
    [InlineData("interval", "100 hours", "100:00:00")]
    [InlineData("uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [InlineData("uuid", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [InlineData("json", "{\"b\": 1,   \"a\": [1,2]}", "{\"b\": 1,   \"a\": [1,2]}")]
    [InlineData("jsonb", "{\"bb\": 1, \"a\": [1,2], \"a\": 3}", "{\"a\": 3, \"bb\": 1}")]
    [InlineData("jsonb", "[\"x\\ty\", null, true]", "[\"x\\ty\", null, true]")]
    public void Text_round_trips_in_postgres_format(string type, string input, string output) =>
        Assert.Equal(output, RoundTrip(input, type));

    [Fact]
    public void Formatted_values_read_back_to_the_same_value()
    {
        foreach (var d in new[] { 0.1, 1.0 / 3, 1e-300, double.Epsilon, 123456.789e10, -2.5e-7, double.MaxValue })
        {
            Assert.Equal(d, (double)SqlText.Parse(SqlText.FormatFloat8(d), SqlType.Float8));
        }

        foreach (var f in new[] { 0.1f, 1.0f / 3, float.MaxValue, 1e-20f })
        {
            Assert.Equal(f, (float)SqlText.Parse(SqlText.FormatFloat4(f), SqlType.Float4));
        }
    }

    [Theory]
    [InlineData("int4", "abc", "22P02", "invalid input syntax for type integer: \"abc\"")]
    [InlineData("int4", "", "22P02", "invalid input syntax for type integer: \"\"")]
    [InlineData("int4", "1.5", "22P02", "invalid input syntax for type integer: \"1.5\"")]
    [InlineData("int4", "2147483648", "22003", "value \"2147483648\" is out of range for type integer")]
    [InlineData("int2", "40000", "22003", "value \"40000\" is out of range for type smallint")]
    [InlineData("int8", "9223372036854775808", "22003", "value \"9223372036854775808\" is out of range for type bigint")]
    [InlineData("bool", "maybe", "22P02", "invalid input syntax for type boolean: \"maybe\"")]
    [InlineData("float8", "x1", "22P02", "invalid input syntax for type double precision: \"x1\"")]
    [InlineData("float8", "1e400", "22003", "\"1e400\" is out of range for type double precision")]
    [InlineData("numeric", "12a", "22P02", "invalid input syntax for type numeric: \"12a\"")]
    [InlineData("date", "2024-13-01", "22008", "date/time field value out of range: \"2024-13-01\"")]
    [InlineData("date", "2023-02-29", "22008", "date/time field value out of range: \"2023-02-29\"")]
    [InlineData("date", "yesterday-ish", "22007", "invalid input syntax for type date: \"yesterday-ish\"")]
    [InlineData("timestamp", "2024-01-01 25:00", "22008", "date/time field value out of range: \"2024-01-01 25:00\"")]
    [InlineData("interval", "1 fortnight", "22007", "invalid input syntax for type interval: \"1 fortnight\"")]
    [InlineData("uuid", "xyz", "22P02", "invalid input syntax for type uuid: \"xyz\"")]
    [InlineData("json", "{bad", "22P02", "invalid input syntax for type json")]
    [InlineData("bytea", "\\xabc", "22023", "invalid hexadecimal data: odd number of digits")]
    public void Bad_input_gives_postgres_errors(string type, string input, string sqlState, string message)
    {
        var e = Assert.Throws<SqlException>(() => SqlText.Parse(input, SqlType.FromName(type)!));
        Assert.Equal(sqlState, e.SqlState);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Arrays_round_trip_with_quoting_and_nulls()
    {
        var type = SqlType.ArrayOf(SqlType.Text);
        var value = (object?[])SqlText.Parse("{a,\"b c\",NULL,\"NULL\",\"q\\\"x\",\"\"}", type);
        Assert.Equal(["a", "b c", null, "NULL", "q\"x", ""], value);
        Assert.Equal("{a,\"b c\",NULL,\"NULL\",\"q\\\"x\",\"\"}", SqlText.Format(value, type));
        var ints = SqlType.ArrayOf(SqlType.Int4);
        Assert.Equal("{{1,2},{3,4}}", SqlText.Format(SqlText.Parse("{{1, 2}, {3,4}}", ints), ints));
        Assert.Equal("{}", SqlText.Format(SqlText.Parse("{}", ints), ints));
        var e = Assert.Throws<SqlException>(() => SqlText.Parse("{1,2", ints));
        Assert.Equal("22P02", e.SqlState);
        Assert.Equal("malformed array literal: \"{1,2\"", e.Message);
    }

    [Fact]
    public void Vectors_check_their_dimension()
    {
        var type = SqlType.VectorOf(3);
        Assert.Equal("[1,2.5,-3]", SqlText.Format(SqlText.Parse("[1, 2.5, -3]", type), type));
        var e = Assert.Throws<SqlException>(() => SqlText.Parse("[1,2]", type));
        Assert.Equal("expected 3 dimensions, not 2", e.Message);
    }

    [Fact]
    public void Intervals_keep_months_days_and_microseconds_apart()
    {
        var iv = (SqlInterval)SqlText.Parse("1 year 2 mons 3 days 04:05:06.789", SqlType.Interval);
        Assert.Equal(new SqlInterval(14, 3, 14_706_789_000), iv);
        Assert.Equal(0, new SqlInterval(1, 0, 0).CompareTo(new SqlInterval(0, 30, 0)));
    }

    [Fact]
    public void Calendar_handles_leap_years_and_bc()
    {
        Assert.Equal(0, SqlCalendar.DaysFromCivil(1970, 1, 1));
        Assert.Equal((2000L, 2, 29), SqlCalendar.CivilFromDays(SqlCalendar.DaysFromCivil(2000, 2, 29)));
        Assert.Equal((-43L, 3, 15), SqlCalendar.CivilFromDays(SqlCalendar.DaysFromCivil(-43, 3, 15)));
        Assert.Equal(SqlCalendar.DaysFromCivil(2024, 2, 29), SqlCalendar.AddMonths(SqlCalendar.DaysFromCivil(2024, 1, 31), 1));
    }
}

public class NumericLimitTests
{
    [Fact]
    public void Numeric_values_beyond_decimal_are_refused_not_rounded_to_zero()
    {
        var e = Assert.Throws<SqlException>(() => SqlText.Parse("1e-300", SqlType.Numeric));
        Assert.Equal(SqlState.FeatureNotSupported, e.SqlState);
        Assert.Equal(0m, (decimal)SqlText.Parse("0e10", SqlType.Numeric));
        Assert.Equal(SqlState.NumericValueOutOfRange, Assert.Throws<SqlException>(() => SqlText.Parse("1e300", SqlType.Numeric)).SqlState);
    }
}
