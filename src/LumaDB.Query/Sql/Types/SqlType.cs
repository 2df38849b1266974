using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Types;

/// <summary>
/// A resolved SQL type: a kind, an optional type modifier (varchar/bpchar length, vector dimension)
/// and, for arrays, the element type; with the pg_type facts the wire protocol needs.
/// </summary>
public sealed class SqlType : IEquatable<SqlType>
{
    private SqlType(SqlTypeKind kind, int modifier, SqlType? elementType)
    {
        Kind = kind;
        Modifier = modifier;
        ElementType = elementType;
    }

#pragma warning disable CS1591 // One instance per built-in type; the names say which.
    public static SqlType Unknown { get; } = new(SqlTypeKind.Unknown, -1, null);
    public static SqlType Boolean { get; } = new(SqlTypeKind.Boolean, -1, null);
    public static SqlType Int2 { get; } = new(SqlTypeKind.Int2, -1, null);
    public static SqlType Int4 { get; } = new(SqlTypeKind.Int4, -1, null);
    public static SqlType Int8 { get; } = new(SqlTypeKind.Int8, -1, null);
    public static SqlType Float4 { get; } = new(SqlTypeKind.Float4, -1, null);
    public static SqlType Float8 { get; } = new(SqlTypeKind.Float8, -1, null);
    public static SqlType Numeric { get; } = new(SqlTypeKind.Numeric, -1, null);
    public static SqlType Text { get; } = new(SqlTypeKind.Text, -1, null);
    public static SqlType Varchar { get; } = new(SqlTypeKind.Varchar, -1, null);
    public static SqlType Bpchar { get; } = new(SqlTypeKind.Bpchar, -1, null);
    public static SqlType Bytea { get; } = new(SqlTypeKind.Bytea, -1, null);
    public static SqlType Date { get; } = new(SqlTypeKind.Date, -1, null);
    public static SqlType Time { get; } = new(SqlTypeKind.Time, -1, null);
    public static SqlType Timestamp { get; } = new(SqlTypeKind.Timestamp, -1, null);
    public static SqlType TimestampTz { get; } = new(SqlTypeKind.TimestampTz, -1, null);
    public static SqlType Interval { get; } = new(SqlTypeKind.Interval, -1, null);
    public static SqlType Uuid { get; } = new(SqlTypeKind.Uuid, -1, null);
    public static SqlType Json { get; } = new(SqlTypeKind.Json, -1, null);
    public static SqlType Jsonb { get; } = new(SqlTypeKind.Jsonb, -1, null);
#pragma warning restore CS1591

    /// <summary>What the type is.</summary>
    public SqlTypeKind Kind { get; }

    /// <summary>The type modifier: length for varchar/bpchar, dimension for vector, (precision &lt;&lt; 16) | scale for numeric; -1 when none.</summary>
    public int Modifier { get; }

    /// <summary>For arrays, the element type; else null.</summary>
    public SqlType? ElementType { get; }

    /// <summary>True for array types.</summary>
    public bool IsArray => Kind == SqlTypeKind.Array;

    /// <summary>varchar(n).</summary>
    public static SqlType VarcharOf(int length) => new(SqlTypeKind.Varchar, length, null);

    /// <summary>bpchar(n); PostgreSQL's bare <c>character</c> is bpchar(1).</summary>
    public static SqlType BpcharOf(int length) => new(SqlTypeKind.Bpchar, length, null);

    /// <summary>numeric(precision, scale); the modifier keeps both as (precision &lt;&lt; 16) | scale.</summary>
    public static SqlType NumericOf(int precision, int scale) => new(SqlTypeKind.Numeric, (precision << 16) | scale, null);

    /// <summary>vector(n), or vector with any dimension when <paramref name="dimension"/> is -1.</summary>
    public static SqlType VectorOf(int dimension) => new(SqlTypeKind.Vector, dimension, null);

    /// <summary>The array type over <paramref name="element"/> (arrays of arrays are the same type, as in PostgreSQL).</summary>
    public static SqlType ArrayOf(SqlType element) => element.IsArray ? element : new(SqlTypeKind.Array, -1, element);

    /// <summary>The pg_type OID.</summary>
    public uint Oid => Kind switch
    {
        SqlTypeKind.Unknown => PgTypeOids.Unknown,
        SqlTypeKind.Boolean => PgTypeOids.Bool,
        SqlTypeKind.Int2 => PgTypeOids.Int2,
        SqlTypeKind.Int4 => PgTypeOids.Int4,
        SqlTypeKind.Int8 => PgTypeOids.Int8,
        SqlTypeKind.Float4 => PgTypeOids.Float4,
        SqlTypeKind.Float8 => PgTypeOids.Float8,
        SqlTypeKind.Numeric => PgTypeOids.Numeric,
        SqlTypeKind.Text => PgTypeOids.Text,
        SqlTypeKind.Varchar => PgTypeOids.Varchar,
        SqlTypeKind.Bpchar => PgTypeOids.Bpchar,
        SqlTypeKind.Bytea => PgTypeOids.Bytea,
        SqlTypeKind.Date => PgTypeOids.Date,
        SqlTypeKind.Time => PgTypeOids.Time,
        SqlTypeKind.Timestamp => PgTypeOids.Timestamp,
        SqlTypeKind.TimestampTz => PgTypeOids.TimestampTz,
        SqlTypeKind.Interval => PgTypeOids.Interval,
        SqlTypeKind.Uuid => PgTypeOids.Uuid,
        SqlTypeKind.Json => PgTypeOids.Json,
        SqlTypeKind.Jsonb => PgTypeOids.Jsonb,
        SqlTypeKind.Vector => PgTypeOids.Vector,
        _ => ArrayOid(ElementType!),
    };

    private static uint ArrayOid(SqlType element) => element.Kind switch
    {
        SqlTypeKind.Boolean => PgTypeOids.BoolArray,
        SqlTypeKind.Int2 => PgTypeOids.Int2Array,
        SqlTypeKind.Int4 => PgTypeOids.Int4Array,
        SqlTypeKind.Int8 => PgTypeOids.Int8Array,
        SqlTypeKind.Float4 => PgTypeOids.Float4Array,
        SqlTypeKind.Float8 => PgTypeOids.Float8Array,
        SqlTypeKind.Numeric => PgTypeOids.NumericArray,
        SqlTypeKind.Text => PgTypeOids.TextArray,
        SqlTypeKind.Varchar => PgTypeOids.VarcharArray,
        SqlTypeKind.Bpchar => PgTypeOids.BpcharArray,
        SqlTypeKind.Bytea => PgTypeOids.ByteaArray,
        SqlTypeKind.Date => PgTypeOids.DateArray,
        SqlTypeKind.Time => PgTypeOids.TimeArray,
        SqlTypeKind.Timestamp => PgTypeOids.TimestampArray,
        SqlTypeKind.TimestampTz => PgTypeOids.TimestampTzArray,
        SqlTypeKind.Interval => PgTypeOids.IntervalArray,
        SqlTypeKind.Uuid => PgTypeOids.UuidArray,
        SqlTypeKind.Json => PgTypeOids.JsonArray,
        SqlTypeKind.Jsonb => PgTypeOids.JsonbArray,
        SqlTypeKind.Vector => PgTypeOids.VectorArray,
        _ => 0,
    };

    /// <summary>pg_type.typlen: the fixed size in bytes, -1 for varlena, -2 for C strings (unknown).</summary>
    public short TypLen => Kind switch
    {
        SqlTypeKind.Unknown => -2,
        SqlTypeKind.Boolean => 1,
        SqlTypeKind.Int2 => 2,
        SqlTypeKind.Int4 or SqlTypeKind.Float4 or SqlTypeKind.Date => 4,
        SqlTypeKind.Int8 or SqlTypeKind.Float8 or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => 8,
        SqlTypeKind.Interval or SqlTypeKind.Uuid => 16,
        _ => -1,
    };

    /// <summary>pg_attribute.atttypmod as the wire's RowDescription carries it: length + 4 for varchar/bpchar, the dimension for vector, else -1.</summary>
    public int TypMod => Kind switch
    {
        SqlTypeKind.Varchar or SqlTypeKind.Bpchar or SqlTypeKind.Numeric when Modifier >= 0 => Modifier + 4,
        SqlTypeKind.Vector => Modifier,
        _ => -1,
    };

    /// <summary>pg_type.typname (<c>int4</c>, <c>_int4</c>).</summary>
    public string Name => Kind switch
    {
        SqlTypeKind.Unknown => "unknown",
        SqlTypeKind.Boolean => "bool",
        SqlTypeKind.Int2 => "int2",
        SqlTypeKind.Int4 => "int4",
        SqlTypeKind.Int8 => "int8",
        SqlTypeKind.Float4 => "float4",
        SqlTypeKind.Float8 => "float8",
        SqlTypeKind.Numeric => "numeric",
        SqlTypeKind.Text => "text",
        SqlTypeKind.Varchar => "varchar",
        SqlTypeKind.Bpchar => "bpchar",
        SqlTypeKind.Bytea => "bytea",
        SqlTypeKind.Date => "date",
        SqlTypeKind.Time => "time",
        SqlTypeKind.Timestamp => "timestamp",
        SqlTypeKind.TimestampTz => "timestamptz",
        SqlTypeKind.Interval => "interval",
        SqlTypeKind.Uuid => "uuid",
        SqlTypeKind.Json => "json",
        SqlTypeKind.Jsonb => "jsonb",
        SqlTypeKind.Vector => "vector",
        _ => "_" + ElementType!.Name,
    };

    /// <summary>The name as PostgreSQL's format_type prints it in messages (<c>integer</c>, <c>character varying(10)</c>, <c>integer[]</c>).</summary>
    public string DisplayName => Kind switch
    {
        SqlTypeKind.Boolean => "boolean",
        SqlTypeKind.Int2 => "smallint",
        SqlTypeKind.Int4 => "integer",
        SqlTypeKind.Int8 => "bigint",
        SqlTypeKind.Float4 => "real",
        SqlTypeKind.Float8 => "double precision",
        SqlTypeKind.Varchar => Modifier >= 0 ? $"character varying({Modifier})" : "character varying",
        SqlTypeKind.Bpchar => Modifier >= 0 ? $"character({Modifier})" : "bpchar",
        SqlTypeKind.Time => "time without time zone",
        SqlTypeKind.Timestamp => "timestamp without time zone",
        SqlTypeKind.TimestampTz => "timestamp with time zone",
        SqlTypeKind.Vector => Modifier >= 0 ? $"vector({Modifier})" : "vector",
        SqlTypeKind.Numeric when Modifier >= 0 => $"numeric({Modifier >> 16},{Modifier & 0xFFFF})",
        SqlTypeKind.Array => ElementType!.DisplayName + "[]",
        _ => Name,
    };

    /// <summary>pg_type.typcategory.</summary>
    public SqlTypeCategory Category => Kind switch
    {
        SqlTypeKind.Unknown => SqlTypeCategory.Unknown,
        SqlTypeKind.Boolean => SqlTypeCategory.Boolean,
        SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Numeric => SqlTypeCategory.Numeric,
        SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Bpchar => SqlTypeCategory.String,
        SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => SqlTypeCategory.DateTime,
        SqlTypeKind.Interval => SqlTypeCategory.Timespan,
        SqlTypeKind.Array => SqlTypeCategory.Array,
        _ => SqlTypeCategory.UserDefined,
    };

    /// <summary>pg_type.typispreferred: the type a category resolves to when candidates tie.</summary>
    public bool IsPreferred => Kind is SqlTypeKind.Boolean or SqlTypeKind.Float8 or SqlTypeKind.Text or SqlTypeKind.TimestampTz or SqlTypeKind.Interval;

    /// <summary>True for the integer types int2, int4 and int8.</summary>
    public bool IsInteger => Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8;

    /// <summary>The same type without its modifier (varchar(10) → varchar).</summary>
    public SqlType WithoutModifier => Modifier < 0 ? this : Kind switch
    {
        SqlTypeKind.Varchar => Varchar,
        SqlTypeKind.Bpchar => Bpchar,
        SqlTypeKind.Numeric => Numeric,
        SqlTypeKind.Vector => VectorOf(-1),
        _ => this,
    };

    /// <summary>Looks up a built-in type by pg_type name (as the parser normalises names), or null.</summary>
    public static SqlType? FromName(string name, int modifier = -1) => name switch
    {
        "bool" or "boolean" => Boolean,
        "int2" or "smallint" => Int2,
        "int4" or "int" or "integer" or "oid" => Int4,
        "int8" or "bigint" => Int8,
        "float4" or "real" => Float4,
        "float8" or "double precision" or "float" => Float8,
        "numeric" or "decimal" => Numeric,
        "text" or "name" => Text,
        "varchar" or "character varying" => modifier >= 0 ? VarcharOf(modifier) : Varchar,
        "bpchar" or "char" or "character" => modifier >= 0 ? BpcharOf(modifier) : Bpchar,
        "bytea" => Bytea,
        "date" => Date,
        "time" => Time,
        "timestamp" => Timestamp,
        "timestamptz" => TimestampTz,
        "interval" => Interval,
        "uuid" => Uuid,
        "json" => Json,
        "jsonb" => Jsonb,
        "vector" => VectorOf(modifier),
        "unknown" => Unknown,
        _ => null,
    };

    /// <summary>Resolves a parsed type name; throws 42704 for an unknown type.</summary>
    public static SqlType FromTypeName(TypeName typeName)
    {
        var name = typeName.Name.Name;
        var modifier = typeName.Modifiers.Count > 0 ? typeName.Modifiers[0] : -1;

        if (name is "numeric" or "decimal" && typeName.Modifiers.Count > 0)
        {
            var precision = typeName.Modifiers[0];
            var scale = typeName.Modifiers.Count > 1 ? typeName.Modifiers[1] : 0;
            if (precision is < 1 or > 1000)
            {
                throw new SqlException(SqlState.InvalidParameterValue, $"NUMERIC precision {precision} must be between 1 and 1000");
            }

            // PostgreSQL 15 takes scales from -1000 to 1000; a negative one (rounding left of the point) is not supported here.
            if (scale is < 0 or > 1000)
            {
                throw new SqlException(SqlState.InvalidParameterValue, $"NUMERIC scale {scale} must be between -1000 and 1000");
            }

            var numeric = NumericOf(precision, scale);
            return typeName.IsArray ? ArrayOf(numeric) : numeric;
        }

        if (name is "numeric" or "decimal" or "float4" or "float8" or "timestamp" or "timestamptz" or "time" or "interval")
        {
            modifier = -1;
        }

        var type = FromName(name, modifier)
            ?? throw new SqlException(SqlState.UndefinedObject, $"type \"{typeName.Name}\" does not exist");
        return typeName.IsArray ? ArrayOf(type) : type;
    }

    /// <inheritdoc/>
    public bool Equals(SqlType? other) =>
        other is not null && other.Kind == Kind && other.Modifier == Modifier && Equals(other.ElementType, ElementType);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SqlType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Modifier, ElementType);

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    /// <summary>Type equality.</summary>
    public static bool operator ==(SqlType? left, SqlType? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Type inequality.</summary>
    public static bool operator !=(SqlType? left, SqlType? right) => !(left == right);
}
