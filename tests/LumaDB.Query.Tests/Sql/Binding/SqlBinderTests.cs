using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Binding;

public class SqlBinderTests
{
    private static readonly ColumnList Scope = new([("i", SqlType.Int4), ("b", SqlType.Int8), ("t", SqlType.Text), ("ts", SqlType.TimestampTz), ("f", SqlType.Float4), ("ok", SqlType.Boolean)]);

    private static BoundExpression Bind(string sql, SqlBinder? binder = null) =>
        (binder ?? new SqlBinder(Scope)).BindTopLevel(SqlParser.ParseExpression(sql));

    private static string TypeOf(string sql) => Bind(sql).Type.Name;

    private static SqlException Error(string sql) => Assert.Throws<SqlException>(() => Bind(sql));

    [Theory]
    [InlineData("1", "int4")]
    [InlineData("3000000000", "int8")]
    [InlineData("1.5", "numeric")]
    [InlineData("'x'", "text")]
    [InlineData("i + b", "int8")]
    [InlineData("i + 1.5", "numeric")]
    [InlineData("i + f", "float8")]
    [InlineData("f * f", "float4")]
    [InlineData("i / 2", "int4")]
    [InlineData("2 ^ 3", "float8")]
    [InlineData("i + '5'", "int4")]
    [InlineData("t || i", "text")]
    [InlineData("i || 'x'", "text")]
    [InlineData("'a' || 'b'", "text")]
    [InlineData("i = b", "bool")]
    [InlineData("t = 'x'", "bool")]
    [InlineData("ts - interval '1 day'", "timestamptz")]
    [InlineData("ts - ts", "interval")]
    [InlineData("date '2024-01-01' + 7", "date")]
    [InlineData("date '2024-01-02' - date '2024-01-01'", "int4")]
    [InlineData("date '2024-01-01' + interval '1 hour'", "timestamp")]
    [InlineData("interval '1 hour' * 2", "interval")]
    [InlineData("-i", "int4")]
    [InlineData("i BETWEEN 1 AND b", "bool")]
    [InlineData("i IN (1, 2.5)", "bool")]
    [InlineData("t LIKE 'a%'", "bool")]
    [InlineData("CASE WHEN ok THEN 1 ELSE 2.5 END", "numeric")]
    [InlineData("CASE i WHEN 1 THEN 'one' END", "text")]
    [InlineData("coalesce(i, b, 0)", "int8")]
    [InlineData("nullif(i, 0)", "int4")]
    [InlineData("greatest(1, 2.5, f)", "float4")]
    [InlineData("abs(b)", "int8")]
    [InlineData("round(1.25, 1)", "numeric")]
    [InlineData("round(f)", "float8")]
    [InlineData("sqrt(2)", "float8")]
    [InlineData("mod(i, b)", "int8")]
    [InlineData("length(t)", "int4")]
    [InlineData("substring(t from 2 for 3)", "text")]
    [InlineData("position('b' in t)", "int4")]
    [InlineData("trim(both 'x' from t)", "text")]
    [InlineData("now()", "timestamptz")]
    [InlineData("current_timestamp", "timestamptz")]
    [InlineData("current_date", "date")]
    [InlineData("date_trunc('hour', ts)", "timestamptz")]
    [InlineData("extract(year from ts)", "numeric")]
    [InlineData("date_part('year', ts)", "float8")]
    [InlineData("to_timestamp(0)", "timestamptz")]
    [InlineData("make_interval(days => 3)", "interval")]
    [InlineData("'5'::int8", "int8")]
    [InlineData("CAST(i AS text)", "text")]
    [InlineData("i IS NULL", "bool")]
    [InlineData("i IS DISTINCT FROM 2", "bool")]
    public void Expressions_get_postgres_types(string sql, string type) => Assert.Equal(type, TypeOf(sql));

    [Fact]
    public void Unknown_literals_take_the_other_sides_type_at_bind_time()
    {
        var bound = (BoundBinary)Bind("i + '5'");
        Assert.Equal(new BoundConstant(5, SqlType.Int4), bound.Right);
        var e = Error("i + 'five'");
        Assert.Equal(SqlState.InvalidTextRepresentation, e.SqlState);
        Assert.Equal("invalid input syntax for type integer: \"five\"", e.Message);
    }

    [Fact]
    public void Literal_casts_are_folded()
    {
        Assert.Equal(new BoundConstant(new SqlInterval(0, 1, 0), SqlType.Interval), Bind("'1 day'::interval"));
        Assert.Equal(new BoundConstant(42L, SqlType.Int8), Bind("CAST('42' AS bigint)"));
    }

    [Fact]
    public void Widening_inserts_casts()
    {
        var bound = (BoundBinary)Bind("i + b");
        Assert.Equal(new BoundCast(new BoundColumn(0, "i", SqlType.Int4), SqlType.Int8, IsExplicit: false), bound.Left);
    }

    [Theory]
    [InlineData("i + ok", "operator does not exist: integer + boolean")]
    [InlineData("t - 1", "operator does not exist: text - integer")]
    [InlineData("ok < 1", "operator does not exist: boolean < integer")]
    [InlineData("i || i", "operator does not exist: integer || integer")]
    [InlineData("f % f", "operator does not exist: real % real")]
    [InlineData("ts + ts", "operator does not exist: timestamp with time zone + timestamp with time zone")]
    [InlineData("-t", "operator does not exist: - text")]
    public void Missing_operators_are_42883_with_a_hint(string sql, string message)
    {
        var e = Error(sql);
        Assert.Equal(SqlState.UndefinedFunction, e.SqlState);
        Assert.Equal(message, e.Message);
        Assert.Equal("No operator matches the given name and argument types. You might need to add explicit type casts.", e.Hint);
    }

    [Theory]
    [InlineData("nosuch(1)", "function nosuch(integer) does not exist")]
    [InlineData("lower(1)", "function lower(integer) does not exist")]
    [InlineData("round(f, 2)", "function round(real, integer) does not exist")]
    [InlineData("sqrt(t)", "function sqrt(text) does not exist")]
    public void Missing_functions_are_42883_with_a_hint(string sql, string message)
    {
        var e = Error(sql);
        Assert.Equal(SqlState.UndefinedFunction, e.SqlState);
        Assert.Equal(message, e.Message);
        Assert.StartsWith("No function matches", e.Hint);
    }

    [Theory]
    [InlineData("i AND ok", "argument of AND must be type boolean, not type integer")]
    [InlineData("NOT t", "argument of NOT must be type boolean, not type text")]
    [InlineData("CASE WHEN i THEN 1 END", "argument of CASE/WHEN must be type boolean, not type integer")]
    [InlineData("CASE WHEN ok THEN 1 ELSE ok END", "CASE types integer and boolean cannot be matched")]
    [InlineData("coalesce(i, t)", "COALESCE types integer and text cannot be matched")]
    public void Type_mismatches_are_42804(string sql, string message)
    {
        var e = Error(sql);
        Assert.Equal(SqlState.DatatypeMismatch, e.SqlState);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Unknown_columns_are_42703()
    {
        var e = Error("nosuch + 1");
        Assert.Equal(SqlState.UndefinedColumn, e.SqlState);
        Assert.Equal("column \"nosuch\" does not exist", e.Message);
    }

    [Fact]
    public void Bad_casts_are_42846()
    {
        var e = Error("ts::int4");
        Assert.Equal(SqlState.CannotCoerce, e.SqlState);
        Assert.Equal("cannot cast type timestamp with time zone to integer", e.Message);
    }

    [Fact]
    public void Parameter_types_are_inferred_from_context()
    {
        var binder = new SqlBinder(Scope);
        Bind("i + $1", binder);
        Bind("t = $2 AND $3", binder);
        Bind("$4::date", binder);
        Bind("length($5)", binder);
        Assert.Equal(["int4", "text", "bool", "date", "text"], binder.ParameterTypes.Select(t => t.Name));
    }

    [Fact]
    public void A_null_test_leaves_a_parameter_open_for_a_later_use()
    {
        var binder = new SqlBinder(Scope);
        Bind("$1 IS NULL OR i = $1", binder);
        Assert.Equal(SqlType.Int4, binder.ParameterTypes[0]);
    }

    [Fact]
    public void Declared_parameter_types_win()
    {
        var binder = new SqlBinder(Scope, [SqlType.Int8]);
        var bound = (BoundBinary)Bind("i + $1", binder);
        Assert.Equal(SqlType.Int8, bound.Type);
    }
}
