namespace LumaDB.Query.Sql.Types;

/// <summary>pg_type OIDs of the built-in types, as clients (drivers, psql) expect them on the wire.</summary>
public static class PgTypeOids
{
#pragma warning disable CS1591 // The names are the pg_type names; each is its own documentation.
    public const uint Bool = 16;
    public const uint Bytea = 17;
    public const uint Int8 = 20;
    public const uint Int2 = 21;
    public const uint Int4 = 23;
    public const uint Text = 25;
    public const uint Json = 114;
    public const uint JsonArray = 199;
    public const uint Float4 = 700;
    public const uint Float8 = 701;
    public const uint Unknown = 705;
    public const uint BoolArray = 1000;
    public const uint ByteaArray = 1001;
    public const uint Int2Array = 1005;
    public const uint Int4Array = 1007;
    public const uint TextArray = 1009;
    public const uint BpcharArray = 1014;
    public const uint VarcharArray = 1015;
    public const uint Int8Array = 1016;
    public const uint Float4Array = 1021;
    public const uint Float8Array = 1022;
    public const uint Bpchar = 1042;
    public const uint Varchar = 1043;
    public const uint Date = 1082;
    public const uint Time = 1083;
    public const uint Timestamp = 1114;
    public const uint TimestampArray = 1115;
    public const uint DateArray = 1182;
    public const uint TimeArray = 1183;
    public const uint TimestampTz = 1184;
    public const uint TimestampTzArray = 1185;
    public const uint Interval = 1186;
    public const uint IntervalArray = 1187;
    public const uint NumericArray = 1231;
    public const uint Numeric = 1700;
    public const uint Uuid = 2950;
    public const uint UuidArray = 2951;
    public const uint Jsonb = 3802;
    public const uint JsonbArray = 3807;
#pragma warning restore CS1591

    /// <summary>pgvector's <c>vector</c> has no fixed OID (extensions get one at CREATE EXTENSION); LumaDB's catalog pins it here, in the range PostgreSQL leaves to non-built-in objects.</summary>
    public const uint Vector = 16385;

    /// <summary>The array type of <see cref="Vector"/>.</summary>
    public const uint VectorArray = 16386;
}
