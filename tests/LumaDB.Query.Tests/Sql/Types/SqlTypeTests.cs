using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Types;

public class SqlTypeTests
{
    [Theory]
    [InlineData("bool", 16u, 1, "boolean")]
    [InlineData("bytea", 17u, -1, "bytea")]
    [InlineData("int8", 20u, 8, "bigint")]
    [InlineData("int2", 21u, 2, "smallint")]
    [InlineData("int4", 23u, 4, "integer")]
    [InlineData("text", 25u, -1, "text")]
    [InlineData("json", 114u, -1, "json")]
    [InlineData("float4", 700u, 4, "real")]
    [InlineData("float8", 701u, 8, "double precision")]
    [InlineData("bpchar", 1042u, -1, "bpchar")]
    [InlineData("varchar", 1043u, -1, "character varying")]
    [InlineData("date", 1082u, 4, "date")]
    [InlineData("time", 1083u, 8, "time without time zone")]
    [InlineData("timestamp", 1114u, 8, "timestamp without time zone")]
    [InlineData("timestamptz", 1184u, 8, "timestamp with time zone")]
    [InlineData("interval", 1186u, 16, "interval")]
    [InlineData("numeric", 1700u, -1, "numeric")]
    [InlineData("uuid", 2950u, 16, "uuid")]
    [InlineData("jsonb", 3802u, -1, "jsonb")]
    public void Built_in_types_carry_pg_type_facts(string name, uint oid, int typlen, string display)
    {
        var type = SqlType.FromName(name)!;
        Assert.Equal(oid, type.Oid);
        Assert.Equal(typlen, type.TypLen);
        Assert.Equal(name, type.Name);
        Assert.Equal(display, type.DisplayName);
    }

    [Theory]
    [InlineData("int4[]", 1007u, "_int4", "integer[]")]
    [InlineData("text[]", 1009u, "_text", "text[]")]
    [InlineData("bool[]", 1000u, "_bool", "boolean[]")]
    [InlineData("int8[]", 1016u, "_int8", "bigint[]")]
    [InlineData("float8[]", 1022u, "_float8", "double precision[]")]
    [InlineData("timestamptz[]", 1185u, "_timestamptz", "timestamp with time zone[]")]
    [InlineData("uuid[]", 2951u, "_uuid", "uuid[]")]
    [InlineData("jsonb[]", 3807u, "_jsonb", "jsonb[]")]
    public void Array_types_have_their_own_oids(string sql, uint oid, string name, string display)
    {
        var type = SqlType.FromTypeName(SqlParser.ParseTypeName(sql));
        Assert.True(type.IsArray);
        Assert.Equal(oid, type.Oid);
        Assert.Equal(name, type.Name);
        Assert.Equal(display, type.DisplayName);
        Assert.Equal(-1, type.TypLen);
    }

    [Fact]
    public void Type_modifiers_come_from_the_parsed_name()
    {
        var varchar = SqlType.FromTypeName(SqlParser.ParseTypeName("varchar(10)"));
        Assert.Equal("character varying(10)", varchar.DisplayName);
        Assert.Equal(14, varchar.TypMod);
        var vector = SqlType.FromTypeName(SqlParser.ParseTypeName("vector(3)"));
        Assert.Equal(SqlTypeKind.Vector, vector.Kind);
        Assert.Equal(3, vector.TypMod);
        Assert.Equal(PgTypeOids.Vector, vector.Oid);
    }

    [Fact]
    public void Unknown_type_names_are_42704()
    {
        var e = Assert.Throws<SqlException>(() => SqlType.FromTypeName(SqlParser.ParseTypeName("nosuchtype")));
        Assert.Equal(SqlState.UndefinedObject, e.SqlState);
        Assert.Equal("type \"nosuchtype\" does not exist", e.Message);
    }

    [Theory]
    [InlineData("int4", "int8", "int8")]
    [InlineData("int2", "int4", "int4")]
    [InlineData("int4", "numeric", "numeric")]
    [InlineData("int8", "numeric", "numeric")]
    [InlineData("numeric", "float8", "float8")]
    [InlineData("float4", "float4", "float4")]
    [InlineData("int4", "float4", "float8")]
    [InlineData("float4", "numeric", "float8")]
    public void Numeric_promotion_follows_postgres(string left, string right, string result)
    {
        Assert.Equal(result, SqlTypeCoercion.PromoteNumeric(SqlType.FromName(left)!, SqlType.FromName(right)!).Name);
        Assert.Equal(result, SqlTypeCoercion.PromoteNumeric(SqlType.FromName(right)!, SqlType.FromName(left)!).Name);
    }

    [Theory]
    [InlineData("int4", "int8", true)]
    [InlineData("int8", "int4", false)]
    [InlineData("int4", "numeric", true)]
    [InlineData("numeric", "int4", false)]
    [InlineData("float8", "numeric", false)]
    [InlineData("date", "timestamptz", true)]
    [InlineData("timestamptz", "date", false)]
    [InlineData("varchar", "text", true)]
    [InlineData("int4", "text", false)]
    [InlineData("bool", "int4", false)]
    public void Implicit_casts_follow_pg_cast(string from, string to, bool allowed) =>
        Assert.Equal(allowed, SqlTypeCoercion.CanImplicitlyCast(SqlType.FromName(from)!, SqlType.FromName(to)!));

    [Fact]
    public void Categories_and_preferred_types()
    {
        Assert.Equal(SqlTypeCategory.Numeric, SqlType.Int4.Category);
        Assert.Equal(SqlTypeCategory.String, SqlType.Varchar.Category);
        Assert.Equal(SqlTypeCategory.DateTime, SqlType.TimestampTz.Category);
        Assert.Equal(SqlTypeCategory.Timespan, SqlType.Interval.Category);
        Assert.True(SqlType.Float8.IsPreferred);
        Assert.True(SqlType.Text.IsPreferred);
        Assert.False(SqlType.Int4.IsPreferred);
    }
}
