namespace LumaDB.Query.Sql.Types;

/// <summary>The built-in SQL types the engine knows.</summary>
public enum SqlTypeKind
{
    /// <summary>The type of an untyped string literal or NULL before resolution (pg_type <c>unknown</c>).</summary>
    Unknown,
    /// <summary>bool</summary>
    Boolean,
    /// <summary>int2 (smallint)</summary>
    Int2,
    /// <summary>int4 (integer)</summary>
    Int4,
    /// <summary>int8 (bigint)</summary>
    Int8,
    /// <summary>float4 (real)</summary>
    Float4,
    /// <summary>float8 (double precision)</summary>
    Float8,
    /// <summary>numeric</summary>
    Numeric,
    /// <summary>text</summary>
    Text,
    /// <summary>varchar(n)</summary>
    Varchar,
    /// <summary>bpchar(n) (character)</summary>
    Bpchar,
    /// <summary>bytea</summary>
    Bytea,
    /// <summary>date</summary>
    Date,
    /// <summary>time without time zone</summary>
    Time,
    /// <summary>timestamp without time zone</summary>
    Timestamp,
    /// <summary>timestamp with time zone</summary>
    TimestampTz,
    /// <summary>interval</summary>
    Interval,
    /// <summary>uuid</summary>
    Uuid,
    /// <summary>json</summary>
    Json,
    /// <summary>jsonb</summary>
    Jsonb,
    /// <summary>pgvector's vector(n)</summary>
    Vector,
    /// <summary>An array of <see cref="SqlType.ElementType"/>.</summary>
    Array,
}

/// <summary>PostgreSQL's type categories (pg_type.typcategory), which steer implicit operator resolution.</summary>
public enum SqlTypeCategory
{
    /// <summary>X: unknown</summary>
    Unknown,
    /// <summary>B: boolean</summary>
    Boolean,
    /// <summary>N: numeric</summary>
    Numeric,
    /// <summary>S: string</summary>
    String,
    /// <summary>D: date/time</summary>
    DateTime,
    /// <summary>T: timespan</summary>
    Timespan,
    /// <summary>U: user-defined (bytea, uuid, json, jsonb, vector)</summary>
    UserDefined,
    /// <summary>A: array</summary>
    Array,
}
